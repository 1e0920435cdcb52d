from django.views.generic import DetailView, ListView

from blocks.publishing import PreviewMixin

from .models import Contact, FundingScheme, HelpRoute, ResourceLink, TeamMember


class TeamView(ListView):
    model = TeamMember
    template_name = "resources/team.html"
    context_object_name = "members"


class ContactListView(ListView):
    model = Contact
    context_object_name = "contacts"


class ResourceLinkListView(ListView):
    context_object_name = "links"
    # Grouped by category on the page, so fetched in category order.
    queryset = ResourceLink.objects.order_by("category", "order", "title").prefetch_related(
        "topics"
    )


class FundingSchemeListView(ListView):
    context_object_name = "schemes"

    def get_queryset(self):
        return FundingScheme.objects.published()


class FundingSchemeDetailView(PreviewMixin, DetailView):
    context_object_name = "scheme"
    # PreviewMixin keeps this to published schemes for everyone but signed-in staff.
    queryset = FundingScheme.objects.prefetch_related("topics")


class HelpRouteListView(ListView):
    """The "Worried about someone?" page: each part lists the ways to get help for its readers."""

    model = HelpRoute
    context_object_name = "routes"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        routes_for = {part: [] for part in HelpRoute.Part.values}
        for route in context["routes"]:
            routes_for.setdefault(route.part, []).append(route)
        context["routes_for"] = routes_for
        # Shown first, on a phone's first screen: the team decides which by the order they give.
        context["first_call"] = next((r for r in routes_for["public"] if r.phone), None)
        return context
