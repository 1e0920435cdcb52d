"""Static files for production: hashed names, gzip and brotli copies (whitenoise)."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    # init.js imports govuk-frontend.min.js as an ES module: rewriting that import to the hashed
    # name lets browsers cache both files for a year, like every other static file.
    support_js_module_import_aggregation = True
