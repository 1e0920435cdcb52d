"""Health checks for the load balancer (/healthz, /readyz), monitoring addresses for what every
app server shares (/readyz/<name>), and warnings for the admin's home page.

The database and migration checks are here; an app adds its own (the outbox: its worker and
its queue, at /readyz/worker) with ``register_check`` and ``register_warnings`` from its
AppConfig.ready.
"""

import io
import logging

from django.core.management import call_command
from django.db import connection
from django.http import Http404, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

# Address (None for /readyz) -> {name: a function returning None when all is well, or what is
# wrong in a few plain words}. Never an exception's text: the answer is public.
_checks = {None: {}}
# Functions returning a list of sentences for the admin's home page.
_warning_sources = []


def register_check(name, check, monitor=None):
    """Add a check to /readyz, which says whether this app server can serve pages; or, with
    ``monitor``, to /readyz/<monitor>, for something every app server shares (the email worker).
    A shared thing fails on every server at once, so it must not take them out of service."""
    _checks.setdefault(monitor, {})[name] = check


def register_warnings(source):
    if source not in _warning_sources:
        _warning_sources.append(source)


def database_problem():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


# Migrations cannot become unapplied under a running process short of someone unapplying them
# by hand; a release that adds some restarts the processes. So a process remembers once they
# were all applied, and the check, which reads every migration file, runs once per process.
_all_migrations_applied = False


def migrations_problem():
    global _all_migrations_applied
    if _all_migrations_applied:
        return None
    # showmigrations marks each migration not yet applied with "[ ]" (django-admin docs).
    plan = io.StringIO()
    call_command("showmigrations", plan=True, stdout=plan, no_color=True)
    unapplied = plan.getvalue().count("[ ]")
    if unapplied:
        return f"{unapplied} not applied"
    _all_migrations_applied = True
    return None


register_check("database", database_problem)
register_check("migrations", migrations_problem)


def monitors():
    """The names of the monitoring addresses under /readyz/."""
    return sorted(name for name in _checks if name)


def run_checks(monitor=None):
    """Every check's answer, for /readyz or /readyz/<monitor>: "ok", or what is wrong."""
    results = {}
    for name, check in _checks[monitor].items():
        try:
            problem = check()
        except Exception:
            logger.exception("Health check %r failed", name)
            problem = "could not be checked"
        results[name] = problem or "ok"
    return results


def warnings():
    """Sentences for the admin's home page about anything wrong; empty when all is well."""
    found = []
    for source in _warning_sources:
        try:
            found.extend(source())
        except Exception:
            logger.exception("Could not work out the admin's warnings with %r", source)
            found.append("The site could not check everything it should: see its log.")
    return found


@require_safe
@never_cache
def healthz(request):
    """The process answers: for the load balancer's liveness check. Touches nothing else."""
    return JsonResponse({"status": "ok"})


def _answer(checks):
    ready = all(answer == "ok" for answer in checks.values())
    return JsonResponse(
        {"status": "ok" if ready else "failing", "checks": checks}, status=200 if ready else 503
    )


@require_safe
@never_cache
def readyz(request):
    """Whether this app server can serve pages (its database and migrations): for the
    load balancer's readiness check."""
    return _answer(run_checks())


@require_safe
@never_cache
def monitor(request, name):
    """Whether something every app server shares works (/readyz/worker: the email worker and
    its queue): for alerts and monitoring, never for routing."""
    if name not in monitors():
        raise Http404("No such monitoring address.")
    return _answer(run_checks(name))
