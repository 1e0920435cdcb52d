from collections import defaultdict
from datetime import date, datetime

from django.db.models import F
from django.utils import timezone
from django.views.generic import DetailView, ListView

from prevent_site import richtext
from prevent_site.prepared import PreparedQuery
from prevent_site.publishing import PreviewMixin
from resources.models import Contact, FundingScheme, ResourceLink, TeamMember
from training.models import CommunityProject, Event, Workshop

from .models import Issue, Section


def _linked_from_issue(queryset, issue_id):
    # Each item carries the section it was reached from (an item linked from two sections of
    # the issue comes twice, once for each).
    return queryset.filter(sections__issue=issue_id).annotate(linked_from=F("sections"))


# What a section can link to, and which of it readers may see: drafts linked from a section must
# not leak into the issue as links that 404. Workshops, projects, schemes and events are only
# linked to, by title: their long texts are not read. One query per kind of item, the same on
# every request but for the issue and the time, so its SQL is worked out once (see
# prevent_site/prepared.py: building it cost ten times as much as running it).
def _linked(model, *fields):
    """The items of one kind linked from an issue's sections: published ones only, where the
    kind can be a draft; only ``fields`` read, where the page shows nothing else of them."""
    if hasattr(model.objects, "published"):

        def build(issue_id, now):
            return _linked_from_issue(model.objects.published(now).only(*fields), issue_id)

        return PreparedQuery(build, issue_id=int, now=datetime)

    def build(issue_id):
        queryset = model.objects.only(*fields) if fields else model.objects.all()
        return _linked_from_issue(queryset, issue_id)

    return PreparedQuery(build, issue_id=int)


LINKED_ITEMS = {
    "team_members": _linked(TeamMember),
    "workshops": _linked(Workshop, "slug", "title"),
    "projects": _linked(CommunityProject, "slug", "title", "year_span"),
    "funding_schemes": _linked(FundingScheme, "slug", "name"),
    "events": _linked(Event, "slug", "title", "starts_at"),
    "resource_links": _linked(ResourceLink),
    "contacts": _linked(Contact),
}


# The rest of an issue's page: its sections, and the issues before and after it.
SECTIONS = PreparedQuery(
    lambda issue_id: Section.objects.filter(issue=issue_id).order_by("order", "pk"),
    issue_id=int,
)


def _archive(now):
    return Issue.objects.archive(now).only("title", "slug", "month", "volume")


NEWER_ISSUE = PreparedQuery(
    lambda month, now: _archive(now).filter(month__gt=month).order_by("month", "volume")[:1],
    month=date,
    now=datetime,
)
OLDER_ISSUE = PreparedQuery(
    lambda month, now: _archive(now).filter(month__lt=month)[:1], month=date, now=datetime
)


class IssueListView(ListView):
    context_object_name = "issues"
    paginate_by = 12

    def get_queryset(self):
        return Issue.objects.archive()


class IssueDetailView(PreviewMixin, DetailView):
    context_object_name = "issue"
    # PreviewMixin keeps this to published issues for everyone but signed-in staff.
    queryset = Issue.objects.all()

    def get_context_data(self, **kwargs):
        now = timezone.now()
        [newer] = NEWER_ISSUE(month=self.object.month, now=now) or [None]
        [older] = OLDER_ISSUE(month=self.object.month, now=now) or [None]
        return super().get_context_data(
            sections=self.get_sections(now), newer=newer, older=older, **kwargs
        )

    def get_sections(self, now):
        """The issue's sections, each with its body rendered once (``body_html``, and
        ``contents``: its sub-headings) and ``linked``: {relation: [items]}."""
        sections = SECTIONS(issue_id=self.object.pk)
        by_section = {section.pk: defaultdict(list) for section in sections}
        if sections:
            for relation, linked_items in LINKED_ITEMS.items():
                for item in linked_items(issue_id=self.object.pk, now=now):
                    by_section[item.linked_from][relation].append(item)
        for section in sections:
            section.body_html, section.contents = richtext.render_with_subheadings(
                section.body, section.slug
            )
            section.linked = by_section[section.pk]
        return sections
