from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse

from .models import Issue


class IssueFeed(Feed):
    """Links start with SITE_URL, as canonical links and the sitemap do: a feed reader keeps
    them, so they must not carry whatever host name the request happened to use."""

    title = "Westminster Prevent team newsletter"
    description = "New issues of the Westminster City Council Prevent team's newsletter."

    def link(self):
        return settings.SITE_URL + reverse("newsletters:issue-list")

    def feed_url(self):
        return settings.SITE_URL + reverse("newsletters:issue-feed")

    def items(self):
        return Issue.objects.archive()[:20]

    def item_title(self, item):
        return item.title

    def item_link(self, item):
        return settings.SITE_URL + item.get_absolute_url()

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.publish_at
