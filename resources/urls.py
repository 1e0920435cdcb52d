from django.urls import path

from . import views

app_name = "resources"

urlpatterns = [
    path("team/", views.TeamView.as_view(), name="team"),
    path("contacts/", views.ContactListView.as_view(), name="contact-list"),
    path("resources/", views.ResourceLinkListView.as_view(), name="link-list"),
    path("funding/", views.FundingSchemeListView.as_view(), name="scheme-list"),
    path("funding/<slug:slug>/", views.FundingSchemeDetailView.as_view(), name="scheme-detail"),
    path("worried-about-someone/", views.HelpRouteListView.as_view(), name="help-route-list"),
]
