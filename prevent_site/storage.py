from django.conf import settings
from whitenoise.storage import CompressedManifestStaticFilesStorage


class HashedStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Whitenoise's compressed, hashed static files, with JavaScript module imports hashed too,
    and each file's URL worked out once per process.

    static/js/init.js imports ./govuk-frontend.min.js. Without this the import keeps the
    unhashed name, which whitenoise may only let browsers cache for a minute; with it, the file
    is cached for a year like every other static file and replaced when it changes.

    The manifest is read when the process starts and the hashed names cannot change after that,
    so a file's URL is the same for every page: Django works it out again on every
    ``{% static %}`` (some 10 µs each, five times a page), this remembers it.
    """

    support_js_module_import_aggregation = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls = {}

    def url(self, name, force=False):
        if force or settings.DEBUG:
            return super().url(name, force)
        try:
            return self._urls[name]
        except KeyError:
            url = self._urls[name] = super().url(name)
            return url

    def post_process(self, *args, **kwargs):
        # collectstatic hashes the files afresh: forget the URLs of the old manifest.
        yield from super().post_process(*args, **kwargs)
        self._urls.clear()
