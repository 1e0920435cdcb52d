from collections import defaultdict

from django.db.models import F
from django.views.generic import DetailView, ListView

from prevent_site import richtext
from prevent_site.publishing import PreviewMixin
from resources.models import Contact, FundingScheme, ResourceLink, TeamMember
from training.models import CommunityProject, Event, Workshop

from .models import Issue

# What a section can link to, and which of it readers may see: drafts linked from a section must
# not leak into the issue as links that 404. Workshops, projects, schemes and events are only
# linked to, by title: their long texts are not read.
LINKED_ITEMS = {
    "team_members": lambda: TeamMember.objects.all(),
    "workshops": lambda: Workshop.objects.published().only("slug", "title"),
    "projects": lambda: CommunityProject.objects.only("slug", "title", "year_span"),
    "funding_schemes": lambda: FundingScheme.objects.published().only("slug", "name"),
    "events": lambda: Event.objects.published().only("slug", "title", "starts_at"),
    "resource_links": lambda: ResourceLink.objects.all(),
    "contacts": lambda: Contact.objects.all(),
}


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
        archive = Issue.objects.archive().only("title", "slug", "month", "volume")
        issue = self.object
        newer = archive.filter(month__gt=issue.month).order_by("month", "volume").first()
        older = archive.filter(month__lt=issue.month).first()
        return super().get_context_data(
            sections=self.get_sections(), newer=newer, older=older, **kwargs
        )

    def get_sections(self):
        """The issue's sections, each with its body rendered once (``body_html``, and
        ``contents``: its sub-headings) and ``linked``: {relation: [items]}.

        One query per kind of linked item, each item carrying the section it was reached from.
        (prefetch_related() makes the same queries but then builds a related manager and a
        queryset for every section and kind, which cost more than the queries.)
        """
        sections = list(self.object.sections.order_by("order", "pk"))
        for section in sections:
            section.body_html, section.contents = richtext.render_with_subheadings(
                section.body, section.slug
            )
            section.linked = {}
        for relation, visible_items in LINKED_ITEMS.items():
            by_section = defaultdict(list)
            items = visible_items().filter(sections__in=sections)
            for item in items.annotate(linked_from=F("sections")):
                by_section[item.linked_from].append(item)
            for section in sections:
                section.linked[relation] = by_section[section.pk]
        return sections
