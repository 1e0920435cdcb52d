"""The newsletter sent to 10,000 subscribers through a local SMTP sink (part of make loadtest).

1. A plain send: `manage.py send_issue july-2023` with the email worker running. Passes if every
   subscriber gets exactly one email in under 5 minutes; reports the time and emails per second.
   While it runs, wrk measures the home page (through Varnish) against its idle rate:
   passes at half the idle rate or more.
2. The same send with the worker stopped halfway (SIGTERM, as systemd or a deploy stops it) and
   started again: passes if every subscriber still gets exactly one email.

Run alone with `python -m scripts.bench.newsletter_send` (prints the results), or as part of
make loadtest.
"""

import argparse
import collections
import signal
import subprocess
import sys
import threading
import time

from .client import wrk
from .harness import PYTHON, ROOT, Site, free_port, log, require, wait_for_port

SUBSCRIBERS = 10_000
ISSUE = "july-2023"
TARGET_SECONDS = 300


def received(path):
    if not path.exists():
        return collections.Counter()
    return collections.Counter(path.read_text().split())


def lines_in(path):
    if not path.exists():
        return 0
    with path.open("rb") as file:
        return sum(1 for _ in file)


def wait_for(path, count, deadline):
    while time.monotonic() < deadline:
        if lines_in(path) >= count:
            return True
        time.sleep(0.2)
    return False


def exactly_once(path):
    counts = received(path)
    twice = sum(1 for n in counts.values() if n > 1)
    return counts, len(counts) == SUBSCRIBERS and twice == 0 and sum(counts.values()) == SUBSCRIBERS


def start_send(site):
    site.manage("send_issue", ISSUE)
    return time.monotonic()


def plain_send(site, base, sink_file, results):
    log(f"4. {ISSUE} to {SUBSCRIBERS:,} subscribers, with the home page measured meanwhile")
    idle = wrk(base + "/", connections=16, seconds=8)
    during = {}
    started = start_send(site)

    def measure():
        time.sleep(1)
        during.update(wrk(base + "/", connections=16, seconds=8))

    measuring = threading.Thread(target=measure)
    measuring.start()
    finished = wait_for(sink_file, SUBSCRIBERS, started + TARGET_SECONDS * 2)
    seconds = time.monotonic() - started
    measuring.join()
    time.sleep(2)  # anything sent twice would arrive now
    counts, once = exactly_once(sink_file)
    rate = sum(counts.values()) / seconds
    results.append(
        (
            f"The issue to {SUBSCRIBERS:,} subscribers",
            finished and once and seconds < TARGET_SECONDS,
            f"{len(counts):,} subscribers got {sum(counts.values()):,} emails in {seconds:.0f} s "
            f"({rate:.0f} emails/s; target: all in under {TARGET_SECONDS} s); "
            f"{sum(1 for n in counts.values() if n > 1)} got more than one",
        )
    )
    ratio = during.get("rps", 0) / idle["rps"]
    results.append(
        (
            "The home page (through Varnish) while the issue is sent",
            ratio >= 0.5,
            f"{during.get('rps', 0):.0f} requests/s during the send against {idle['rps']:.0f} "
            f"idle ({ratio:.2f} of idle; target ≥ 0.5); p99 {during.get('p99', 0):.0f} ms",
        )
    )


def interrupted_send(site, sink_file, results):
    log("5. The same send, with the worker stopped halfway and started again")
    site.manage("make_test_content", "--forget-sends", ISSUE)
    # Emptied, not removed: the sink keeps the file open (in append mode).
    sink_file.write_text("")
    started = start_send(site)
    wait_for(sink_file, SUBSCRIBERS // 2, started + TARGET_SECONDS)
    at_stop = lines_in(sink_file)
    worker = site.processes["worker"]
    worker.send_signal(signal.SIGTERM)
    worker.wait(timeout=120)
    after_stop = lines_in(sink_file)
    site.processes.pop("worker")
    time.sleep(2)
    site.start_worker()
    finished = wait_for(sink_file, SUBSCRIBERS, time.monotonic() + TARGET_SECONDS * 2)
    seconds = time.monotonic() - started
    time.sleep(2)
    counts, once = exactly_once(sink_file)
    results.append(
        (
            "The same send, worker stopped halfway and started again",
            finished and once,
            f"stopped at {at_stop:,} emails (the worker finished its batch: {after_stop:,}); "
            f"after the restart {len(counts):,} subscribers got {sum(counts.values()):,} emails, "
            f"{sum(1 for n in counts.values() if n > 1)} more than one; {seconds:.0f} s in all",
        )
    )


def run(site, base, results):
    """Scenarios 4 and 5, on a site started by loadtest.py (gunicorn and the worker
    running, EMAIL_PORT pointing at ``smtp_port`` below)."""
    if site.restart_worker_if_stopped():
        log("the email worker had exited (it does when PostgreSQL goes away): started again")
    log(site.manage("make_test_content", "--subscribers", str(SUBSCRIBERS)).stdout.strip())
    sink_file = site.tmp / "received.txt"
    sink = subprocess.Popen(
        [PYTHON, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{site.env['EMAIL_PORT']}"]
        + ["-c", "scripts.bench.smtp_sink.Recorder", str(sink_file)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(int(site.env["EMAIL_PORT"]))
        plain_send(site, base, sink_file, results)
        interrupted_send(site, sink_file, results)
    finally:
        sink.terminate()
        sink.wait(timeout=10)


def main():
    argparse.ArgumentParser(description=__doc__.split("\n\n")[0]).parse_args()
    require("wrk")
    results = []
    with Site() as site:
        site.env.update(
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(free_port()),
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        )
        base = site.start_gunicorn("site")
        site.start_worker()
        run(site, base, results)
    for name, ok, details in results:
        print(f"{'pass' if ok else 'FAIL'}: {name}: {details}")
    if not all(ok for _, ok, _ in results):
        sys.exit(1)


if __name__ == "__main__":
    main()
