"""gunicorn settings for production, `make serve` and the benchmarks.

    gunicorn -c gunicorn.conf.py prevent_site.wsgi

Every value can be changed from the environment (docs/deployment.md lists them). gunicorn is meant
to sit behind a reverse proxy (nginx, Apache, or the host's load balancer) that terminates TLS
and buffers slow clients.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")

# Sync workers: each handles one request at a time, so a page never waits behind another
# request's Python code in the same process. Two per core plus one, the usual rule, keeps the
# cores busy while some workers wait on PostgreSQL or the cache.
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))

# Load Django once in the master and fork: workers start faster and share memory. No database
# connection is opened at import time, so none is shared between processes.
preload_app = True

# A request that takes longer than this is stuck: its worker is killed and replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Replace each worker now and then, so a slow leak can never build up: after tens of thousands
# of requests, as a worker serves thousands a second from the cache during a newsletter burst
# and each replacement costs a fork and fresh connections.
max_requests = 50000
max_requests_jitter = 5000

# Request limits: smaller than gunicorn's defaults, still far above anything the site uses.
limit_request_line = 4094
limit_request_fields = 50
limit_request_field_size = 8190

# The proxy's address: only it may say the original request was HTTPS (X-Forwarded-Proto).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# The heartbeat file in memory rather than on a possibly slow disk.
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"

# Errors to standard error; one line per request only if asked for ("-" for standard output).
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
# Both without a subscriber's link token: the request line and Referer hold the whole address.
logger_class = "blocks.gunicornlog.Logger"

# gunicorn's control socket is not used; off, so two instances can run on one machine.
control_socket_disable = True
