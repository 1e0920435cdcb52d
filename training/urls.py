from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("training/", views.WorkshopListView.as_view(), name="workshop-list"),
    # Before the workshop route, which would otherwise take "request" as a slug.
    path("training/request/", views.TrainingRequestCreateView.as_view(), name="request"),
    path("training/request/done/", views.TrainingRequestSentView.as_view(), name="request-done"),
    path("training/<slug:slug>/", views.WorkshopDetailView.as_view(), name="workshop-detail"),
    # Each session's own address, from its QR code: the code is its only key.
    path("feedback/<slug:code>/", views.FeedbackCreateView.as_view(), name="feedback"),
    path("feedback/<slug:code>/thanks/", views.FeedbackSentView.as_view(), name="feedback-thanks"),
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
