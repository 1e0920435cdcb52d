from django.contrib import admin
from django.urls import path

from . import views

app_name = "impact"

urlpatterns = [
    path("", admin.site.admin_view(views.impact), name="impact"),
    path(
        "home-office-sessions.csv",
        admin.site.admin_view(views.home_office_csv),
        name="home-office-csv",
    ),
    path("<slug:slug>.csv", admin.site.admin_view(views.table_csv), name="table-csv"),
]
