"""The site's logging (settings.LOGGING): every line with its request id, and no subscriber's
link token or email address in any of them (blocks/requestlog.py)."""


def config(log_format, level):
    """LOGGING for ``log_format`` ("plain" or "json") at ``level``."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {"()": "blocks.requestlog.RequestIdFilter"},
            # On every handler: no subscriber's link token or email address in any line, whichever
            # logger wrote it (Django's own write the whole path of a 404, 405 or CSRF failure).
            "secrets": {"()": "blocks.requestlog.SecretsFilter"},
            "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        },
        "formatters": {
            "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
            "json": {"()": "blocks.requestlog.JsonFormatter"},
            "mail": {"format": "%(message)s\n\nRequest ID: %(request_id)s"},
            "django.server": {
                "()": "django.utils.log.ServerFormatter",
                "format": "[{server_time}] {message}",
                "style": "{",
            },
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["request_id", "secrets"],
                "formatter": log_format,
            },
            "mail_admins": {
                # Django's, with the secrets also taken out of the traceback and request details.
                "class": "blocks.errorreports.AdminEmailHandler",
                "level": "ERROR",
                "filters": ["require_debug_false", "request_id", "secrets"],
                "formatter": "mail",
            },
            # runserver's line per request, as Django has it, without the secrets.
            "django.server": {
                "class": "logging.StreamHandler",
                "filters": ["secrets"],
                "formatter": "django.server",
            },
        },
        "loggers": {
            # Unhandled errors in a request (django.request) reach ADMINS; also the console, above.
            "django": {"handlers": ["mail_admins"], "level": "INFO"},
            "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
            # One line per request in JSON only: in plain text gunicorn's access log
            # (GUNICORN_ACCESS_LOG) or runserver already writes one.
            "prevent_site.requests": {"level": "INFO" if log_format == "json" else "WARNING"},
        },
        "root": {"handlers": ["console"], "level": level},
    }
