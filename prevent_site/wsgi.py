"""The WSGI application gunicorn runs: Django, with page-cache hits answered in front of it, and
around both the request id and the request's log line, so cache hits are counted too.

See CachedPageFront in prevent_site/pagecache.py, RequestLogFront in prevent_site/requestlog.py,
and https://docs.djangoproject.com/en/6.1/howto/deployment/wsgi/
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prevent_site.settings")

django_application = get_wsgi_application()

from prevent_site.pagecache import CachedPageFront  # noqa: E402 (needs settings loaded)
from prevent_site.requestlog import RequestLogFront  # noqa: E402

application = RequestLogFront(CachedPageFront(django_application))
