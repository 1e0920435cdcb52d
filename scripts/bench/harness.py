"""Shared parts of make bench and make loadtest: a production-like site on loopback.

A `Site` starts a throwaway PostgreSQL cluster (scripts/test-postgres; SQLite in a temporary
file if PostgreSQL is not installed), loads the July 2023 newsletter, collects the static files
and runs gunicorn with gunicorn.conf.py and production settings, with Varnish in front of it
(deploy/varnish/prevent.vcl) when asked. Everything listens on 127.0.0.1 only and is stopped on
exit.
"""

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .client import fetch

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def require(*commands):
    """Stop with a plain message if a command is missing (README.md lists the prerequisites)."""
    missing = [command for command in commands if not shutil.which(command)]
    if missing:
        sys.exit(f"{', '.join(missing)} needed: see the benchmark prerequisites in README.md")


def write_docs_section(name, text):
    """Replace the text between <!-- NAME:start --> and <!-- NAME:end --> in performance.md."""
    docs = ROOT / "docs" / "performance.md"
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    if not docs.exists():
        return
    content = docs.read_text()
    if start in content and end in content:
        head, rest = content.split(start, 1)
        _, tail = rest.split(end, 1)
        docs.write_text(f"{head}{start}\n{text}\n{end}{tail}")
        log(f"updated {docs.relative_to(ROOT)}")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listening on 127.0.0.1:{port} after {timeout}s")


def machine():
    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = "unknown"
    with contextlib.suppress(OSError, ValueError, IndexError):
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kb / 1024 / 1024:.0f} GiB"
    return {"nproc": os.cpu_count(), "cpu": cpu, "memory": memory}


class Site:
    def __init__(self, postgres=True, workers=None, unix_sockets=True):
        self.tmp = Path(tempfile.mkdtemp(prefix="prevent-bench-"))
        # The postgres user and Varnish's own user must reach the folders inside.
        os.chmod(self.tmp, 0o755)
        self.want_postgres = postgres
        self.workers = workers
        # As on a single production server: the app reaches PostgreSQL through a Unix socket,
        # which costs less per round trip than TCP. gunicorn still listens on TCP.
        self.unix_sockets = unix_sockets
        self.processes = {}
        self.pg_dir = None
        self.pg_port = None
        self.env = {}

    # --- services ---------------------------------------------------------------------------

    def start_services(self):
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": os.environ.get("HOME", "/root"),
            "DJANGO_SETTINGS_MODULE": "prevent_site.settings",
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            # Plain HTTP on loopback: no redirect to HTTPS (production sits behind TLS).
            "SECURE_SSL_REDIRECT": "false",
            "STATIC_ROOT": str(self.tmp / "static"),
            "MEDIA_ROOT": str(self.tmp / "media"),
            "EMAIL_FILE_PATH": str(self.tmp / "emails"),
            "LOG_LEVEL": "WARNING",
            "GUNICORN_LOG_LEVEL": "warning",
        }
        if self.want_postgres and list(Path("/usr/lib/postgresql").glob("*/bin/postgres")):
            self.pg_dir = self.tmp / "postgres"
            url = subprocess.run(
                [str(ROOT / "scripts/test-postgres"), "start", str(self.pg_dir)],
                check=True,
                capture_output=True,
                text=True,
            ).stdout.strip()
            self.pg_port = int(url.rsplit(":", 1)[1].split("/")[0])
            if self.unix_sockets:
                socket_dir = str(self.pg_dir).replace("/", "%2F")
                url = f"postgres://postgres@{socket_dir}:{self.pg_port}/prevent"
            env["DATABASE_URL"] = url
            self.database = "PostgreSQL " + ("(Unix socket)" if self.unix_sockets else "(TCP)")
        else:
            env["DATABASE_URL"] = f"sqlite:///{self.tmp / 'db.sqlite3'}"
            self.database = "SQLite file"
        self.env = env
        log(f"database: {self.database}")

    def manage(self, *args, env=None, check=True):
        return subprocess.run(
            [PYTHON, str(ROOT / "manage.py"), *args],
            cwd=ROOT,
            env={**self.env, **(env or {})},
            check=check,
            capture_output=True,
            text=True,
        )

    def prepare(self):
        log("migrate, load the July 2023 newsletter, collectstatic")
        self.manage("migrate", "--noinput")
        self.manage("load_initial_content", "--if-empty")
        self.manage("collectstatic", "--noinput", "-v", "0")

    def start_gunicorn(self, name, extra_env=None):
        port = free_port()
        env = {**self.env, "GUNICORN_BIND": f"127.0.0.1:{port}", **(extra_env or {})}
        if self.workers:
            env["WEB_CONCURRENCY"] = str(self.workers)
        self.processes[name] = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "prevent_site.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=open(self.tmp / f"{name}.log", "ab"),  # noqa: SIM115 - closed with the process
            stderr=subprocess.STDOUT,
        )
        wait_for_port(port)
        base = f"http://127.0.0.1:{port}"
        status, _, _ = fetch(base + "/")
        if status != 200:
            raise RuntimeError(f"{name} answered {status}; see {self.tmp / f'{name}.log'}")
        return base

    def start_varnish(self, name, backend):
        """Varnish with the repository's VCL in front of ``backend`` (a gunicorn's base URL)."""
        port = free_port()
        vcl = (ROOT / "deploy/varnish/prevent.vcl").read_text()
        backend_port = backend.rsplit(":", 1)[1]
        (self.tmp / f"{name}.vcl").write_text(
            vcl.replace('.port = "8000";', f'.port = "{backend_port}";')
        )
        self.processes[name] = subprocess.Popen(
            ["varnishd", "-F", "-n", str(self.tmp / name), "-f", str(self.tmp / f"{name}.vcl")]
            + ["-a", f"127.0.0.1:{port}", "-s", "malloc,256m"],
            stdout=open(self.tmp / f"{name}.log", "ab"),  # noqa: SIM115 - closed with the process
            stderr=subprocess.STDOUT,
        )
        wait_for_port(port)
        return f"http://127.0.0.1:{port}"

    def start_nginx_static(self, name, folder):
        """nginx serving ``folder`` as static files, with the .gz copies beside them."""
        port = free_port()
        conf = self.tmp / f"{name}.conf"
        user = "user root;" if os.geteuid() == 0 else ""
        conf.write_text(f"""
{user}
worker_processes auto;
pid {self.tmp / f"{name}.pid"};
error_log {self.tmp / f"{name}.log"};
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {self.tmp};
    proxy_temp_path {self.tmp};
    fastcgi_temp_path {self.tmp};
    uwsgi_temp_path {self.tmp};
    scgi_temp_path {self.tmp};
    server {{
        listen 127.0.0.1:{port};
        location / {{ root {folder}; gzip_static on; }}
    }}
}}
""")
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        self.processes[name] = subprocess.Popen(
            [nginx, "-p", str(self.tmp), "-c", str(conf), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        wait_for_port(port)
        return f"http://127.0.0.1:{port}"

    def start_worker(self):
        """The email worker, as production runs it beside gunicorn."""
        self.processes["worker"] = subprocess.Popen(
            [PYTHON, "manage.py", "db_worker", "--no-reload"],
            cwd=ROOT,
            env=self.env,
            stdout=open(self.tmp / "worker.log", "ab"),  # noqa: SIM115 - closed with the process
            stderr=subprocess.STDOUT,
        )

    def restart_worker_if_stopped(self):
        """Start the worker again if it has exited, as systemd's Restart=always does (it exits
        when it loses PostgreSQL). Returns True if it had to."""
        worker = self.processes.get("worker")
        if worker is not None and worker.poll() is None:
            return False
        self.processes.pop("worker", None)
        self.start_worker()
        return True

    def server_cpu(self):
        """{pid: CPU seconds used so far} for everything serving the site: gunicorn and its
        workers, Varnish, nginx, PostgreSQL and its backends. See cpu_between()."""
        roots = {p.pid for p in self.processes.values()}
        if self.pg_dir and (self.pg_dir / "data/postmaster.pid").exists():
            roots.add(int((self.pg_dir / "data/postmaster.pid").read_text().split()[0]))
        stats = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                with contextlib.suppress(OSError, IndexError, ValueError):
                    fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                    stats[int(entry.name)] = (int(fields[1]), int(fields[11]) + int(fields[12]))
        children = {}
        for pid, (ppid, _) in stats.items():
            children.setdefault(ppid, []).append(pid)
        used, todo = {}, [pid for pid in roots if pid in stats]
        while todo:
            pid = todo.pop()
            used[pid] = stats[pid][1] / os.sysconf("SC_CLK_TCK")
            todo += children.get(pid, [])
        return used

    @staticmethod
    def cpu_between(before, after):
        """CPU seconds the serving processes used between two server_cpu() snapshots.

        Counted process by process, so one that starts in between counts from zero and one that
        ends (an autovacuum worker, say) is left out rather than taking its past with it."""
        return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())

    def stop(self, name):
        process = self.processes.pop(name, None)
        if process and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    # --- PostgreSQL outages (loadtest) ------------------------------------------------------

    def _pg_ctl(self, *args):
        bindir = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
        command = [str(bindir[-1] / "pg_ctl"), f"--pgdata={self.pg_dir / 'data'}", *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, cwd="/", capture_output=True)

    def stop_postgres(self):
        self._pg_ctl("--mode=fast", "--wait", "stop")

    def start_postgres(self):
        self._pg_ctl(
            f"--log={self.pg_dir / 'server.log'}",
            "--wait",
            "-o",
            f"-c listen_addresses=127.0.0.1 -p {self.pg_port} "
            f"-c unix_socket_directories='{self.pg_dir}'",
            "-o",
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off",
            "start",
        )

    # --- teardown ---------------------------------------------------------------------------

    def close(self):
        for name in list(self.processes):
            self.stop(name)
        if self.pg_dir:
            subprocess.run(
                [str(ROOT / "scripts/test-postgres"), "stop", str(self.pg_dir)],
                check=False,
                capture_output=True,
            )
        shutil.rmtree(self.tmp, ignore_errors=True)

    def __enter__(self):
        try:
            self.start_services()
            self.prepare()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc):
        self.close()
