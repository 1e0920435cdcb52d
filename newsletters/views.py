from django.db.models import Prefetch
from django.views.generic import DetailView, ListView

from prevent_site.publishing import PreviewMixin
from resources.models import FundingScheme
from training.models import Event, Workshop

from .models import Issue, Section


class IssueListView(ListView):
    context_object_name = "issues"
    paginate_by = 12

    def get_queryset(self):
        return Issue.objects.archive()


class IssueDetailView(PreviewMixin, DetailView):
    context_object_name = "issue"

    def get_queryset(self):
        # Drafts linked from a section must not leak into the issue as links that 404.
        sections = Section.objects.prefetch_related(
            Prefetch("workshops", queryset=Workshop.objects.published()),
            Prefetch("events", queryset=Event.objects.published().order_by("starts_at")),
            Prefetch("funding_schemes", queryset=FundingScheme.objects.published()),
            "projects",
            "resource_links",
            "team_members",
            "contacts",
        )
        # PreviewMixin keeps this to published issues for everyone but signed-in staff.
        return Issue.objects.prefetch_related(Prefetch("sections", queryset=sections))

    def get_context_data(self, **kwargs):
        archive = Issue.objects.archive().only("title", "slug", "month", "volume")
        issue = self.object
        newer = archive.filter(month__gt=issue.month).order_by("month", "volume").first()
        older = archive.filter(month__lt=issue.month).first()
        return super().get_context_data(newer=newer, older=older, **kwargs)
