from django.urls import path
from django.views.decorators.http import require_safe

from . import feeds, views

app_name = "newsletters"

urlpatterns = [
    path("", views.IssueListView.as_view(), name="issue-list"),
    path("feed/", require_safe(feeds.IssueFeed()), name="issue-feed"),
    path("<slug:slug>/", views.IssueDetailView.as_view(), name="issue-detail"),
]
