from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("report/photos/<uuid:key>/", views.photo, name="photo"),
]
