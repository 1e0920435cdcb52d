"""The WSGI application gunicorn runs: Django, with page-cache hits answered in front of it.

See CachedPageFront in prevent_site/pagecache.py, and
https://docs.djangoproject.com/en/6.1/howto/deployment/wsgi/
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prevent_site.settings")

django_application = get_wsgi_application()

from prevent_site.pagecache import CachedPageFront  # noqa: E402 (needs settings loaded)

application = CachedPageFront(django_application)
