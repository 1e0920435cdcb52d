from django.urls import path

from . import feeds, views

app_name = "newsletters"

urlpatterns = [
    path("", views.IssueListView.as_view(), name="issue-list"),
    path("feed/", feeds.IssueFeed(), name="issue-feed"),
    path("<slug:slug>/", views.IssueDetailView.as_view(), name="issue-detail"),
]
