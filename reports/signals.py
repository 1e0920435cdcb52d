from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import ReportPhoto


@receiver(post_delete, sender=ReportPhoto, dispatch_uid="reports-delete-photo-file")
def delete_photo_file(sender, instance, **kwargs):
    # A report's photos go with it (the admin, purge_old_reports). The file is removed once the
    # deletion is committed, so a rolled-back deletion leaves the photo where it was.
    storage, name = instance.image.storage, instance.image.name
    if name:
        transaction.on_commit(lambda: storage.delete(name), robust=True)
