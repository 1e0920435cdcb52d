from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

import newsletters.sitemaps
import resources.sitemaps
import search.sitemaps
import training.sitemaps
from blocks import health, sitemaps
from blocks.passwords import PasswordResetForm

from . import views

SITEMAPS = {
    **sitemaps.sitemaps,
    **newsletters.sitemaps.sitemaps,
    **training.sitemaps.sitemaps,
    **resources.sitemaps.sitemaps,
    **search.sitemaps.sitemaps,
}

# The public pages: English at these addresses, each other language of settings.LANGUAGES
# under its code (/ar/report/). Only the pages registered with blocks.languages.translated_page
# answer there; the others redirect to English. The admin, feeds' and sitemap's addresses, and
# the health checks stay outside, in English only.
urlpatterns = i18n_patterns(
    path("", views.HomeView.as_view(), name="home"),
    path("newsletters/", include("newsletters.urls")),
    path("", include("training.urls")),
    path("", include("resources.urls")),
    path("", include("reports.urls")),
    path("", include("search.urls")),
    path(
        "accessibility/",
        TemplateView.as_view(template_name="pages/accessibility.html"),
        name="accessibility",
    ),
    path("privacy/", TemplateView.as_view(template_name="pages/privacy.html"), name="privacy"),
    path(
        "staying-safe-online/",
        TemplateView.as_view(template_name="pages/staying_safe_online.html"),
        name="staying-safe-online",
    ),
    path("cookies/", TemplateView.as_view(template_name="pages/cookies.html"), name="cookies"),
    prefix_default_language=False,
)

urlpatterns += [
    path("sitemap.xml", require_safe(sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path("favicon.ico", views.favicon, name="favicon"),
    # For the load balancer: docs/deployment.md. Never kept by a cache (never_cache).
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("readyz/<slug:name>", health.monitor, name="readyz-monitor"),
    # Staff set their first password, or a forgotten one, through Django's reset links (the
    # invitation email from `manage.py invite_staff` uses the confirm page); both emails link to
    # SITE_URL, whatever host the request named (blocks/passwords.py). Before the admin,
    # whose catch-all would otherwise answer these addresses.
    path(
        "admin/password-reset/",
        auth_views.PasswordResetView.as_view(form_class=PasswordResetForm),
        name="admin_password_reset",
    ),
    path(
        "admin/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "admin/password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "admin/password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("admin/status/", admin.site.admin_view(views.status), name="admin-status"),
    path("admin/impact/", include("impact.urls")),
    path("admin/", admin.site.urls),
]

# Uploaded images on the development server; in production the web server or storage serves
# MEDIA_URL (static() adds nothing when DEBUG is off).
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler403 = "prevent_site.views.permission_denied"
handler404 = "prevent_site.views.page_not_found"
handler500 = "prevent_site.views.server_error"
