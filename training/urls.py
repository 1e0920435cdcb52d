from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("training/", views.WorkshopListView.as_view(), name="workshop-list"),
    path("training/<slug:slug>/", views.WorkshopDetailView.as_view(), name="workshop-detail"),
    path("events/", views.EventListView.as_view(), name="event-list"),
    path("events/<slug:slug>/", views.EventDetailView.as_view(), name="event-detail"),
    path("events/<slug:slug>/calendar.ics", views.event_ics, name="event-ics"),
    path("community-projects/", views.CommunityProjectListView.as_view(), name="project-list"),
    path(
        "community-projects/<slug:slug>/",
        views.CommunityProjectDetailView.as_view(),
        name="project-detail",
    ),
]
