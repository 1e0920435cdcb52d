import pytest
from django.contrib import admin

from newsletters.models import Subscriber
from outbox.models import OutboundEmail
from training.models import Feedback, TrainingRequest

pytestmark = pytest.mark.django_db

CONTENT_MODELS = [
    model
    for model in admin.site._registry
    if model._meta.app_label in {"newsletters", "training", "resources", "outbox"}
]

ADDED_BY_THE_PUBLIC_FORM_ONLY = {TrainingRequest, Feedback, OutboundEmail, Subscriber}


def test_every_content_model_is_registered():
    names = {model.__name__ for model in CONTENT_MODELS}
    assert {
        "Issue",
        "Section",
        "Workshop",
        "Testimonial",
        "Event",
        "CommunityProject",
        "TrainingRequest",
        "TeamMember",
        "Contact",
        "ResourceLink",
        "FundingScheme",
    } <= names


@pytest.mark.parametrize("model", CONTENT_MODELS, ids=lambda m: m.__name__)
def test_admin_list_and_add_pages_load_for_a_superuser(admin_client, model):
    opts = model._meta
    changelist = admin_client.get(f"/admin/{opts.app_label}/{opts.model_name}/")
    assert changelist.status_code == 200
    assert opts.verbose_name_plural.capitalize() in changelist.content.decode()
    add = admin_client.get(f"/admin/{opts.app_label}/{opts.model_name}/add/")
    # Training requests, subscribers (or the subscriber import) and their emails only come from
    # the public forms, never the admin's add page.
    assert add.status_code == (403 if model in ADDED_BY_THE_PUBLIC_FORM_ONLY else 200)
