"""The WSGI application gunicorn runs: https://docs.djangoproject.com/en/6.1/howto/deployment/wsgi/

Pages are cached in front of it by Varnish (deploy/varnish/), not here.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prevent_site.settings")

application = get_wsgi_application()
