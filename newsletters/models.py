from django.db import models
from django.urls import reverse

from prevent_site import images, richtext
from prevent_site.publishing import Publishable, PublishableQuerySet


class IssueQuerySet(PublishableQuerySet):
    def archive(self):
        return self.published().order_by("-month", "-volume")


class Issue(Publishable):
    title = models.CharField(max_length=200, help_text="E.g. “Prevent Newsletter, July 2023”.")
    slug = models.SlugField(
        unique=True, max_length=100, help_text="Used in the web address, e.g. “july-2023”."
    )
    volume = models.PositiveIntegerField(help_text="Volume number printed on the issue.")
    month = models.DateField(
        help_text="The month the issue covers. Any day in that month will do; it is shown as "
        "“July 2023”."
    )
    summary = models.TextField(help_text="One or two sentences shown in the archive and the feed.")
    cover_image = images.ImageField(
        upload_to="issues/",
        blank=True,
        width_field="cover_image_width",
        height_field="cover_image_height",
        help_text="Optional. A JPEG, PNG or WebP of at most 10 MB. Location and camera details "
        "are removed when it is saved.",
    )
    cover_image_alt = models.CharField(
        "cover image description",
        max_length=200,
        blank=True,
        help_text="Describe the image for people who cannot see it.",
    )
    cover_image_decorative = models.BooleanField(
        "decorative cover image",
        default=False,
        help_text="Tick only if the cover image adds nothing to the text (it is then skipped by "
        "screen readers, and no description is needed).",
    )
    # Filled in when the cover image is saved: pages use them to pick renditions and reserve space.
    cover_image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    cover_image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)

    objects = IssueQuerySet.as_manager()

    class Meta:
        ordering = ["-month", "-volume"]
        constraints = [
            models.UniqueConstraint(fields=["month", "volume"], name="one_issue_per_month_volume")
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        images.check_alt_text(
            self.cover_image, self.cover_image_alt, self.cover_image_decorative, "cover_image_alt"
        )

    def get_absolute_url(self):
        return reverse("newsletters:issue-detail", kwargs={"slug": self.slug})

    @property
    def label(self):
        return f"{self.month:%B %Y}, Vol. {self.volume}"


class Section(models.Model):
    # The names of the many-to-many fields below that point readers to the structured items a
    # section talks about, in the order the admin offers them. The admin, the issue page and
    # the tests read this; the page's template gives each kind its own markup.
    LINKED_ITEMS = (
        "workshops",
        "events",
        "projects",
        "funding_schemes",
        "resource_links",
        "team_members",
        "contacts",
    )

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveIntegerField(default=0, help_text="Lowest number comes first.")
    heading = models.CharField(max_length=200)
    slug = models.SlugField(
        "anchor",
        max_length=100,
        help_text="Short name used to link straight to this section, e.g. “prevent-news”.",
    )
    body = richtext.RichTextField(
        help_text="The section's text. Sub-headings become entries in the issue's contents.",
        # The section's own heading is the h2: its text starts at h3.
        heading_levels=(3, 4),
    )
    image = images.ImageField(
        upload_to="sections/",
        blank=True,
        width_field="image_width",
        height_field="image_height",
        help_text="Optional. A JPEG, PNG or WebP of at most 10 MB, shown under the heading. "
        "Location and camera details are removed when it is saved.",
    )
    image_alt = models.CharField(
        "image description",
        max_length=200,
        blank=True,
        help_text="Describe the image for people who cannot see it.",
    )
    image_decorative = models.BooleanField(
        "decorative image",
        default=False,
        help_text="Tick only if the image adds nothing to the text (it is then skipped by "
        "screen readers, and no description is needed).",
    )
    # Filled in when the image is saved: pages use them to pick renditions and reserve space.
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    workshops = models.ManyToManyField(
        "training.Workshop",
        blank=True,
        related_name="sections",
        help_text="Workshops this section talks about: readers get a link to each one's page.",
    )
    events = models.ManyToManyField("training.Event", blank=True, related_name="sections")
    projects = models.ManyToManyField(
        "training.CommunityProject", blank=True, related_name="sections"
    )
    funding_schemes = models.ManyToManyField(
        "resources.FundingScheme", blank=True, related_name="sections"
    )
    resource_links = models.ManyToManyField(
        "resources.ResourceLink", blank=True, related_name="sections"
    )
    team_members = models.ManyToManyField(
        "resources.TeamMember", blank=True, related_name="sections"
    )
    contacts = models.ManyToManyField("resources.Contact", blank=True, related_name="sections")

    class Meta:
        ordering = ["issue", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["issue", "slug"], name="unique_section_anchor")
        ]

    def __str__(self):
        return self.heading

    def clean(self):
        super().clean()
        images.check_alt_text(self.image, self.image_alt, self.image_decorative, "image_alt")

    def get_absolute_url(self):
        return self.issue.get_absolute_url() + f"#{self.slug}"

    @property
    def subheadings(self):
        return richtext.subheadings(self.body, self.slug)
