from django.urls import path
from django.views.decorators.http import require_safe

from . import feeds, views

app_name = "newsletters"

urlpatterns = [
    path("", views.IssueListView.as_view(), name="issue-list"),
    path("feed/", require_safe(feeds.IssueFeed()), name="issue-feed"),
    # Before the issues' own addresses, which take any slug.
    path("subscribe/", views.SubscribeView.as_view(), name="subscribe"),
    path("subscribe/check-your-email/", views.subscribe_done, name="subscribe-done"),
    path("subscribe/confirm/<str:token>/", views.confirm, name="confirm"),
    path("preferences/<str:token>/", views.preferences, name="preferences"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("sections/<slug:slug>/", views.SectionHistoryView.as_view(), name="section-history"),
    path("<slug:slug>/", views.IssueDetailView.as_view(), name="issue-detail"),
]
