from whitenoise.storage import CompressedManifestStaticFilesStorage


class HashedStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Whitenoise's compressed, hashed static files, with JavaScript module imports hashed too.

    static/js/init.js imports ./govuk-frontend.min.js. Without this the import keeps the
    unhashed name, which whitenoise may only let browsers cache for a minute; with it, the file
    is cached for a year like every other static file and replaced when it changes.
    """

    support_js_module_import_aggregation = True
