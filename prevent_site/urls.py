from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.generic import TemplateView

import newsletters.sitemaps
import resources.sitemaps
import training.sitemaps

from . import sitemaps, views

SITEMAPS = {
    **sitemaps.sitemaps,
    **newsletters.sitemaps.sitemaps,
    **training.sitemaps.sitemaps,
    **resources.sitemaps.sitemaps,
}

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("newsletters/", include("newsletters.urls")),
    path("", include("training.urls")),
    path("", include("resources.urls")),
    path(
        "accessibility/",
        TemplateView.as_view(template_name="pages/accessibility.html"),
        name="accessibility",
    ),
    path("privacy/", TemplateView.as_view(template_name="pages/privacy.html"), name="privacy"),
    path("cookies/", TemplateView.as_view(template_name="pages/cookies.html"), name="cookies"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    # Uploaded files under `make run`; in production the web server or object storage serves them.
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler404 = "prevent_site.views.page_not_found"
handler500 = "prevent_site.views.server_error"
