from django.core.files.storage import Storage, storages
from django.utils.deconstruct import deconstructible
from whitenoise.storage import CompressedManifestStaticFilesStorage


class HashedStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Whitenoise's compressed, hashed static files, with JavaScript module imports hashed too.

    static/js/init.js imports ./govuk-frontend.min.js. Without this the import keeps the
    unhashed name, which whitenoise may only let browsers cache for a minute; with it, the file
    is cached for a year like every other static file and replaced when it changes.
    """

    support_js_module_import_aggregation = True


@deconstructible
class PrivateStorage(Storage):
    """STORAGES["private"]: files no one may fetch by address (see settings.PRIVATE_MEDIA_ROOT).

    A model field names it at import time; each use goes to the storage configured then, so the
    backend is only loaded when a file is, and follows STORAGES when it changes (in tests).
    """

    @property
    def backend(self):
        return storages["private"]

    def open(self, name, mode="rb"):
        return self.backend.open(name, mode)

    def save(self, name, content, max_length=None):
        return self.backend.save(name, content, max_length=max_length)

    def generate_filename(self, filename):
        return self.backend.generate_filename(filename)

    def delete(self, name):
        return self.backend.delete(name)

    def exists(self, name):
        return self.backend.exists(name)

    def size(self, name):
        return self.backend.size(name)

    def path(self, name):
        return self.backend.path(name)

    def url(self, name):
        return self.backend.url(name)

    def listdir(self, path):
        return self.backend.listdir(path)


private_storage = PrivateStorage()
