"""Where uploads are stored, from the environment: the part of the settings that needs a few
lines of logic (settings.py reads it). S3 needs the optional dependency: pip install '.[s3]'.
Credentials are read by boto3 from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY."""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured


def _bucket_options(env):
    return {
        "bucket_name": env["AWS_STORAGE_BUCKET_NAME"],
        "endpoint_url": env.get("AWS_S3_ENDPOINT_URL") or None,
        "region_name": env.get("AWS_S3_REGION_NAME") or None,
        "custom_domain": env.get("AWS_S3_CUSTOM_DOMAIN") or None,
        "file_overwrite": False,
    }


def media_storage(env):
    """Public uploads: MEDIA_ROOT, or the bucket, so that several app servers see the same files."""
    if env.get("AWS_STORAGE_BUCKET_NAME"):
        return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": _bucket_options(env)}
    return {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def private_storage(env, root, public):
    """Files that must never be public (the photos sent with reports): ``root``, outside every
    ``public`` folder, or their own prefix of the bucket with private objects, never under a
    custom (public) domain. Only a view that checks who is asking serves them."""
    if env.get("AWS_STORAGE_BUCKET_NAME"):
        return {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **_bucket_options(env),
                "location": env.get("AWS_PRIVATE_LOCATION", "private"),
                "custom_domain": None,
                "default_acl": "private",
                "querystring_auth": True,
            },
        }
    private = Path(root).resolve()
    for folder in (Path(p).resolve() for p in public):
        if private.is_relative_to(folder) or folder.is_relative_to(private):
            raise ImproperlyConfigured(
                f"PRIVATE_MEDIA_ROOT ({root}) must be a folder of its own, outside "
                "MEDIA_ROOT and the static files, which the web server makes public."
            )
    return {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": root}}


def bucket_origins(env):
    """Where images in the bucket are served from (the Content-Security-Policy's img-src)."""
    bucket = env.get("AWS_STORAGE_BUCKET_NAME")
    if not bucket:
        return []
    if env.get("AWS_S3_CUSTOM_DOMAIN"):
        return ["https://" + env["AWS_S3_CUSTOM_DOMAIN"]]
    if env.get("AWS_S3_ENDPOINT_URL"):
        endpoint = env["AWS_S3_ENDPOINT_URL"].rstrip("/")
        scheme, _, host = endpoint.partition("://")
        return [endpoint, f"{scheme}://*.{host}"]
    return [f"https://{bucket}.s3.amazonaws.com"]
