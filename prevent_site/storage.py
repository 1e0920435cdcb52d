from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty
from whitenoise.storage import CompressedManifestStaticFilesStorage


class HashedStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Whitenoise's compressed, hashed static files, with JavaScript module imports hashed too.

    static/js/init.js imports ./govuk-frontend.min.js. Without this the import keeps the
    unhashed name, which whitenoise may only let browsers cache for a minute; with it, the file
    is cached for a year like every other static file and replaced when it changes.
    """

    support_js_module_import_aggregation = True


class PrivateStorage(LazyObject):
    """STORAGES["private"]: files no one may fetch by address (see settings.PRIVATE_MEDIA_ROOT).

    Looked up when first used, as Django's default_storage is, so that a model field can name
    it at import time (``storage=private_storage``).
    """

    def _setup(self):
        self._wrapped = storages["private"]


_private_storage = PrivateStorage()


def private_storage():
    return _private_storage


@receiver(setting_changed)
def _forget_private_storage(*, setting, **kwargs):
    # As Django does for default_storage when a test changes STORAGES.
    if setting == "STORAGES":
        _private_storage._wrapped = empty
