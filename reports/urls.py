from django.urls import path

from blocks.bodysize import body_limit

from . import views

app_name = "reports"

urlpatterns = [
    path(
        "report/",
        body_limit(views.BODY_LIMIT)(views.ReportCreateView.as_view()),
        name="report",
    ),
    path("report/sent/", views.ReportSentView.as_view(), name="done"),
    path("report/photos/<uuid:key>/", views.photo, name="photo"),
    path("report/photos/<uuid:key>/preview/", views.photo_preview, name="photo-preview"),
]
