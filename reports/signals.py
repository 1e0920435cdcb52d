from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import ReportPhoto


@receiver(post_delete, sender=ReportPhoto, dispatch_uid="reports-delete-photo-file")
def delete_photo_file(sender, instance, **kwargs):
    # A report's photos go with it (the admin, `manage.py purge`), with their previews. The
    # files are removed once the deletion is committed, so a rolled-back deletion leaves them.
    storage, names = instance.image.storage, instance.stored_names
    for name in names:
        transaction.on_commit(lambda name=name: storage.delete(name), robust=True)
