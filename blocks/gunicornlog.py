"""gunicorn's own log (gunicorn.conf.py logger_class): its access log line (GUNICORN_ACCESS_LOG)
and its error log, without a subscriber's link token or an email address, as the site's own
lines (blocks/requestlog.py loggable). The request line and the Referer hold the whole
address a browser asked for."""

from gunicorn import glogging

from .requestlog import SecretsFilter

_secrets = SecretsFilter()


class Logger(glogging.Logger):
    def setup(self, cfg):
        # Again at each reload (SIGHUP); a filter already there is not added twice.
        super().setup(cfg)
        self.access_log.addFilter(_secrets)
        self.error_log.addFilter(_secrets)
