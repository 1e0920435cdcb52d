import pytest

from tests.mail import FailingEmailBackend, use_mail_backend


@pytest.fixture
def mail_server_down(settings, monkeypatch):
    """Every email fails until the test switches the mailer back (tests.mail.use_mail_backend).

    Returns ``fail_with(error, on_open=False)`` to choose how the server fails.
    """
    use_mail_backend(settings, "tests.mail.FailingEmailBackend")

    def fail_with(error, on_open=False):
        monkeypatch.setattr(FailingEmailBackend, "error", error)
        monkeypatch.setattr(FailingEmailBackend, "fail_on_open", on_open)

    return fail_with
