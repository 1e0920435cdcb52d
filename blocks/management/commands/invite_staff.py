"""Give a new member of the team an account for the site editor (the Django admin).

    python manage.py invite_staff kiran.malik@westminster.gov.uk --name "Kiran Malik" \\
        --group "Content editors"

The account is active staff with no usable password: the person chooses their own through the
link emailed to them (Django's password-reset token, valid for PASSWORD_RESET_TIMEOUT).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import password_validators_help_texts
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from blocks.passwords import PasswordResetForm
from blocks.staff import StaffGroup

# What each group lets its members do, in the invitation's words. A group not listed there is
# named as it is.
GROUP_PURPOSES = dict(StaffGroup.choices)


class InvitationForm(PasswordResetForm):
    """PasswordResetForm skips accounts without a usable password; an invitee has none yet."""

    def __init__(self, user, **kwargs):
        super().__init__({"email": user.email}, **kwargs)
        self.user = user

    def get_users(self, email):
        return [self.user]


class Command(BaseCommand):
    help = (
        "Create an active staff account with no password, add it to one or more groups, and "
        "email the person a link to choose their password."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="Their work email address; also their username.")
        parser.add_argument("--name", required=True, help='Their full name, e.g. "Kiran Malik".')
        parser.add_argument(
            "--group",
            action="append",
            dest="groups",
            required=True,
            metavar="GROUP",
            help='A group such as "Content editors". Repeat to add several.',
        )

    def handle(self, email, name, groups, **options):
        email = email.strip().lower()
        try:
            validate_email(email)
        except ValidationError as exc:
            raise CommandError(f"“{email}” is not an email address.") from exc
        User = get_user_model()
        if User.objects.filter(username__iexact=email).exists():
            raise CommandError(
                f"There is already an account for {email}. To send a new link, use "
                "“Forgotten your password?” on the sign-in page."
            )
        found = list(Group.objects.filter(name__in=groups))
        missing = sorted(set(groups) - {group.name for group in found})
        if missing:
            known = ", ".join(Group.objects.order_by("name").values_list("name", flat=True))
            raise CommandError(f"No group called {', '.join(missing)}. Groups: {known}.")

        first_name, _, last_name = name.strip().partition(" ")
        with transaction.atomic():
            user = User(
                username=email,
                email=email,
                first_name=first_name,
                last_name=last_name.strip(),
                is_staff=True,
                is_active=True,
            )
            user.set_unusable_password()
            user.save()
            user.groups.set(found)

        form = InvitationForm(user)
        form.is_valid()
        form.save(
            subject_template_name="registration/invitation_subject.txt",
            email_template_name="registration/invitation_email.txt",
            extra_email_context={
                "name": first_name,
                "purposes": [
                    GROUP_PURPOSES.get(g.name, f"work as one of the “{g.name}” group")
                    for g in found
                ],
                "password_rules": password_validators_help_texts(),
            },
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Invited {name} <{email}> ({', '.join(g.name for g in found)}). "
                "They have been emailed a link to choose a password."
            )
        )
