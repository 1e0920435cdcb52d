from django.db.models import Prefetch
from django.http import Http404
from django.views.generic import DetailView, ListView

from prevent_site import richtext
from prevent_site.publishing import PreviewMixin, Publishable

from .models import Issue, Section

# Linked items the page shows only as a link with its title: the fields that link reads.
LINK_FIELDS = {
    "workshops": ["slug", "title"],
    "projects": ["slug", "title", "year_span"],
    "funding_schemes": ["slug", "name"],
    "events": ["slug", "title", "starts_at"],
}


def linked_items(relation):
    """What readers may see of one kind of item a section links to: drafts and scheduled items
    linked from a section must not leak into the issue as links that 404."""
    model = Section._meta.get_field(relation).related_model
    queryset = model.objects.published() if issubclass(model, Publishable) else model.objects.all()
    if relation in LINK_FIELDS:
        queryset = queryset.only(*LINK_FIELDS[relation])
    return Prefetch(relation, queryset=queryset)


class IssueListView(ListView):
    context_object_name = "issues"
    paginate_by = 12

    def get_queryset(self):
        return Issue.objects.archive()


class IssueDetailView(PreviewMixin, DetailView):
    context_object_name = "issue"

    def get_queryset(self):
        sections = Section.objects.prefetch_related(*map(linked_items, Section.LINKED_ITEMS))
        # PreviewMixin keeps this to published issues for everyone but signed-in staff.
        return Issue.objects.prefetch_related(Prefetch("sections", queryset=sections))

    def get_context_data(self, **kwargs):
        archive = Issue.objects.archive().only("title", "slug", "month", "volume")
        issue = self.object
        newer = archive.filter(month__gt=issue.month).order_by("month", "volume").first()
        older = archive.filter(month__lt=issue.month).first()
        sections = issue.sections.all()
        # Each body is sanitised once, for both its text and its entries in the contents.
        for section in sections:
            section.body_html, section.contents = richtext.render_with_subheadings(
                section.body, section.slug
            )
        return super().get_context_data(sections=sections, newer=newer, older=older, **kwargs)


# The subscription pages: being built (issue 12).
def subscribe(request):
    raise Http404


def confirm(request, token):
    raise Http404


def preferences(request, token):
    raise Http404


def unsubscribe(request, token):
    raise Http404
