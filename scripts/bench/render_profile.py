"""Server CPU per request of the pages built for every request, measured in-process.

    python -m scripts.bench.render_profile [-n 300] [--rounds 3] [--page issue] [--url /events/]
                                   [--profile PATH] [--sort tottime]

Runs the site as production does, minus gunicorn and the network: DEBUG off, the hashed static
files storage (after a collectstatic), the cached template loader, no front cache, the
July 2023 newsletter loaded into a fresh SQLite database in a temporary folder (or into the
database in DATABASE_URL, e.g. one from scripts/test-postgres). Each page is called through the
WSGI application gunicorn runs (prevent_site.wsgi) with the headers wrk sends in `make bench`
(no cookies, `Accept-Encoding: br, gzip`), warmed up, then called N times; the CPU time used
divided by N is reported, the median of a few rounds. SQLite runs inside this process, so its
work is counted with the rest; the CPU of a PostgreSQL server process on this machine is added,
and also shown on its own. The stylesheet that WhiteNoise serves is measured in the same run, as
in `make bench`, to show how fast the machine is at the moment; without gunicorn and the network
it costs far less than there, so the "× static" column is no substitute for bench's ratios.

``--profile PATH`` also writes the profile of one page's N requests under cProfile
(``PATH.<page>.prof``, for snakeviz or pstats) and prints its top functions.

Much faster than `make bench` (well under a minute) and on one core, so it can be re-run after
each change; `make bench` remains the measure of record (docs/performance.md).
"""

import argparse
import cProfile
import io
import os
import pstats
import re
import secrets
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PAGES = [
    ("home", "/"),
    ("issue", "/newsletters/july-2023/"),
    ("workshop", "/training/workshop-to-raise-awareness-of-prevent/"),
    ("form", "/training/request/"),
]


def configure(folder):
    """Production settings pointed at ``folder``: set before Django reads them."""
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "prevent_site.settings",
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
            "STATIC_ROOT": str(folder / "static"),
            "MEDIA_ROOT": str(folder / "media"),
            "EMAIL_FILE_PATH": str(folder / "emails"),
            "LOG_LEVEL": "WARNING",
        }
    )
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder / 'db.sqlite3'}")
    # One database connection for the whole run, so that its server process can be measured.
    os.environ.setdefault("DATABASE_CONN_MAX_AGE", "3600")


def prepare():
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)
    call_command("load_initial_content", "--if-empty", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)


def environ(path):
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SCRIPT_NAME": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1:8000",
        "HTTP_ACCEPT": "text/html,*/*",
        "HTTP_ACCEPT_ENCODING": "br, gzip",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def call(application, path):
    status = []
    body = application(environ(path), lambda s, headers, exc_info=None: status.append(s))
    try:
        for _ in body:  # consumed as a server would
            pass
    finally:
        if hasattr(body, "close"):
            body.close()
    return status[0]


def static_css_path(application):
    """The hashed stylesheet the pages link to, which WhiteNoise serves: the yardstick."""
    from django.test import Client

    html = Client().get("/", HTTP_HOST="127.0.0.1").content.decode()
    return re.search(r'<link rel="stylesheet" href="([^"]+)"', html).group(1)


def database_cpu():
    """CPU seconds used so far by the PostgreSQL process serving this connection, if it runs
    on this machine; 0 for SQLite, whose work is in this process's own time."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        [pid] = cursor.fetchone()
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_per_request(application, path, requests, warmup, profiler=None):
    """(CPU seconds per request in all, of which in the database server)."""
    for _ in range(warmup):
        status = call(application, path)
        if not status.startswith("200"):
            raise SystemExit(f"{path} answered {status}")
    if profiler:
        profiler.enable()
    database_before = database_cpu()
    start = time.process_time()
    for _ in range(requests):
        call(application, path)
    used = time.process_time() - start
    database = database_cpu() - database_before
    if profiler:
        profiler.disable()
    return (used + database) / requests, database / requests


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--requests", type=int, default=300, help="per page (300)")
    parser.add_argument("--warmup", type=int, default=30, help="requests before counting (30)")
    parser.add_argument(
        "--rounds", type=int, default=3, help="rounds of N per page; the median is shown (3)"
    )
    parser.add_argument("--page", action="append", choices=[name for name, _ in PAGES])
    parser.add_argument("--url", action="append", default=[], help="measure this path too")
    parser.add_argument("--profile", metavar="PATH", help="also profile each page with cProfile")
    parser.add_argument("--sort", default="cumulative", help="pstats order for --profile")
    parser.add_argument("--top", type=int, default=40, help="functions shown for --profile")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory(prefix="prevent-render-") as folder:
        configure(Path(folder))
        import django

        django.setup()
        prepare()
        # The application gunicorn runs (gunicorn.conf.py), whatever wraps Django in it.
        from prevent_site.wsgi import application

        pages = [("static", static_css_path(application))]
        pages += [(name, path) for name, path in PAGES if not args.page or name in args.page]
        pages += [(path.strip("/").replace("/", "-") or "root", path) for path in args.url]
        results = []
        for name, path in pages:
            profiler = cProfile.Profile() if args.profile else None
            rounds = sorted(
                cpu_per_request(application, path, args.requests, args.warmup, profiler)
                for _ in range(1 if profiler else args.rounds)
            )
            results.append((name, path, rounds[len(rounds) // 2], rounds[0][0]))
            if profiler:
                profiler.dump_stats(f"{args.profile}.{name}.prof")
                print(f"\n--- {name} ({path}), under cProfile ---")
                pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.top)
    database_used = any(database for _, _, (_, database), _ in results)
    print(
        f"\nServer CPU per request: mean of {args.requests} requests after {args.warmup} warm-up,"
        f" median of {args.rounds} rounds; 'static' is the stylesheet served by WhiteNoise"
    )
    static = results[0][2][0]
    print(f"{'':11}{'µs':>7} {'× static':>9}  (lowest µs{', in the database' * database_used})")
    for name, path, (median, database), lowest in results:
        details = f"{lowest * 1e6:,.0f}" + (f", {database * 1e6:,.0f}" if database_used else "")
        print(f"  {name:<9}{median * 1e6:7,.0f} {median / static:9.1f}  ({details})  {path}")


if __name__ == "__main__":
    main()
