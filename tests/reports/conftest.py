import pytest
from django.contrib.auth.models import Group
from django.test import Client


def member_of(django_user_model, group, username):
    user = django_user_model.objects.create_user(username, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def report_handler(django_user_model):
    return member_of(django_user_model, "Report handlers", "handler@westminster.gov.uk")


@pytest.fixture
def handler_client(report_handler):
    handler = Client()
    handler.force_login(report_handler)
    return handler
