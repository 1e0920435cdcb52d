from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy

from .models import Issue


class IssueFeed(Feed):
    title = "Westminster Prevent team newsletter"
    link = reverse_lazy("newsletters:issue-list")
    description = "New issues of the Westminster City Council Prevent team's newsletter."

    def items(self):
        return Issue.objects.archive()[:20]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.publish_at
