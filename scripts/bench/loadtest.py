"""make loadtest: load and fault tests against the site on loopback, each bounded in time.

1. Load: wrk with 64 connections for 30 s through Varnish (deploy/varnish/) over a mix of pages
   (pages Varnish keeps, the request form, which is never kept, and a static file). Passes with
   no non-2xx response and no socket error.
2. PostgreSQL restarted under load: threads request pages through Varnish for about 25 s, some
   as anonymous visitors (answered by Varnish) and some with a session cookie (built from the
   database);
   PostgreSQL is stopped for about 6 s in the middle. Passes if requests fail only while it is
   down (or within 3 s of it being back) and every request afterwards succeeds.
3. Mail server down: 100 training requests are sent while nothing listens on the SMTP port and
   the email worker runs. Passes if all 100 are saved and answered, and, once a local SMTP sink
   (aiosmtpd) is started and `send_pending_emails --now` has run (as the team would after an
   outage, rather than wait for each email's next try), exactly 200 emails arrived (one to the
   team and one acknowledgement each), and a further run sends none.
4. and 5. The newsletter sent to 10,000 subscribers, plainly and with the worker stopped halfway
   (newsletter_send.py, which says what passes).

Everything runs on 127.0.0.1 (harness.py) and stops by itself; takes about 8 minutes.
Results go to standard output and into docs/performance.md (between the loadtest markers)
unless --no-docs is given. Exits non-zero if a check fails.
"""

import argparse
import contextlib
import http.client
import json
import mailbox
import os
import re
import subprocess
import sys
import threading
import time

from . import newsletter_send
from .client import Browser, fetch, wrk
from .harness import (
    PYTHON,
    Site,
    free_port,
    log,
    machine,
    require,
    wait_for_port,
    write_docs_section,
)

WORKSHOP = "/training/workshop-to-raise-awareness-of-prevent/"
PAGES = ["/", "/newsletters/july-2023/", "/training/", "/events/", WORKSHOP, "/training/request/"]


# --- 1. Load ------------------------------------------------------------------------------------


def load(site, base, results):
    log("1. 64 connections for 30 s over a mix of pages")
    _, _, home = fetch(base + "/")
    css = re.search(rb'<link rel="stylesheet" href="([^"]+)"', home).group(1).decode()
    paths = [*PAGES, css]
    for path in paths:  # warm Varnish's cache, as a site that has been up for a while is
        fetch(base + path, {"Accept-Encoding": "br, gzip"})
    script = site.tmp / "mix.lua"
    script.write_text(
        "local paths = {"
        + ", ".join(f'"{p}"' for p in paths)
        + "}\nlocal i = 0\nrequest = function()\n  i = i + 1\n"
        + '  return wrk.format("GET", paths[(i % #paths) + 1], '
        + '{["Accept-Encoding"] = "br, gzip"})\nend\n'
    )
    result = wrk(base + "/", connections=64, seconds=30, script=script)
    ok = result["non_2xx"] == 0 and result["socket_errors"] == 0
    results.append(
        (
            "64 connections, 30 s, mix of 7 URLs",
            ok,
            f"{result['requests']:,} requests, {result['rps']:,.0f}/s, p50 {result['p50']:.1f} ms, "
            f"p99 {result['p99']:.1f} ms; non-2xx {result['non_2xx']}, "
            f"socket errors {result['socket_errors']}",
        )
    )


# --- 2. PostgreSQL restart ------------------------------------------------------------------------


class Recorder:
    """Requests in a loop from several threads until a deadline; (start, end, kind, ok)."""

    def __init__(self, port, deadline):
        self.port, self.deadline = port, deadline
        self.records, self.lock = [], threading.Lock()

    def worker(self, number):
        session = number % 2 == 1  # half the threads look like a signed-in editor
        headers = {"Accept-Encoding": "br, gzip"}
        if session:
            headers["Cookie"] = "sessionid=not-a-real-session"  # Varnish passes it to gunicorn
        i = number
        while time.monotonic() < self.deadline:
            path = PAGES[i % 5]  # not the form: its CSRF cookie is beside the point here
            i += 1
            start = time.monotonic()
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                connection.request("GET", path, headers=headers)
                status = connection.getresponse().status
                connection.close()
                ok = status == 200
            except OSError:
                ok = False
            with self.lock:
                self.records.append((start, time.monotonic(), session, ok))
            time.sleep(0.01)

    def run(self, threads):
        workers = [threading.Thread(target=self.worker, args=(n,)) for n in range(threads)]
        for thread in workers:
            thread.start()
        return workers


def database_restart(site, base, results):
    if not site.pg_dir:
        results.append(("PostgreSQL restarted under load", None, "skipped: no PostgreSQL"))
        return
    log("2. PostgreSQL stopped for about 6 s under load")
    port = int(base.rsplit(":", 1)[1])
    for path in PAGES[:5]:
        fetch(base + path, {"Accept-Encoding": "br, gzip"})
    began = time.monotonic()
    recorder = Recorder(port, deadline=began + 25)
    threads = recorder.run(8)
    time.sleep(6)
    down_from = time.monotonic()
    site.stop_postgres()
    time.sleep(6)
    site.start_postgres()
    up_at = time.monotonic()
    for thread in threads:
        thread.join(timeout=30)
    grace = 3.0
    records = recorder.records
    before = [r for r in records if r[1] < down_from]
    during = [r for r in records if down_from <= r[0] and r[1] <= up_at + grace]
    after = [r for r in records if r[0] > up_at + grace]
    failed_before = sum(not r[3] for r in before)
    failed_after = sum(not r[3] for r in after)
    failed_during = sum(not r[3] for r in during)
    cached_during = [r for r in during if not r[2]]
    ok = failed_before == 0 and failed_after == 0 and len(after) > 0
    results.append(
        (
            f"PostgreSQL stopped for {up_at - down_from:.1f} s under load (8 threads, 25 s)",
            ok,
            f"before: {len(before)} requests, {failed_before} failed; while down and "
            f"{grace:.0f} s after: {len(during)} requests, {failed_during} failed "
            f"(of them, anonymous pages from Varnish: {len(cached_during)}, "
            f"{sum(not r[3] for r in cached_during)} failed); "
            f"after: {len(after)} requests, {failed_after} failed",
        )
    )


# --- 3. Mail server down ------------------------------------------------------------------------


def request_form(number):
    next_month = time.localtime(time.time() + 30 * 86400)
    return {
        "workshop": "not-sure",
        "organisation": f"Load test school {number}",
        "sector": "school",
        "contact_name": f"Teacher {number}",
        "email": f"teacher{number}@example.org",
        "who_it_is_for": "Teaching staff",
        "participants": "20",
        "delivery": "online",
        "preferred_date_1_0": str(next_month.tm_mday),
        "preferred_date_1_1": str(next_month.tm_mon),
        "preferred_date_1_2": str(next_month.tm_year),
        "consent": "on",
        "website": "",
    }


def rows(site, model):
    """The fields of every row of ``model`` ("app.Model"), read with dumpdata."""
    return [row["fields"] for row in json.loads(site.manage("dumpdata", model).stdout)]


def unsent_emails(site):
    return sum(email["sent_at"] is None for email in rows(site, "outbox.OutboundEmail"))


def mail_outage(site, smtp_port, base, results):
    log("3. 100 training requests while the mail server is down")
    status, _, _ = fetch(base + "/training/request/")
    if status == 404:
        results.append(("Mail server down", None, "skipped: no request form on this branch"))
        return
    answered, references = 0, set()
    started = time.monotonic()
    for number in range(100):
        browser = Browser(base)
        _, _, form = browser.request("/training/request/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        data = {**request_form(number), "csrfmiddlewaretoken": token}
        status, headers, _ = browser.request("/training/request/", data)
        if status == 302 and headers["Location"].endswith("/training/request/done/"):
            status, _, done = browser.request("/training/request/done/")
            if match := re.search(r"[A-Z]+-\d{4}-\d+", done):
                references.add(match.group(0))
            answered += status == 200
    seconds = time.monotonic() - started
    saved = len(rows(site, "training.TrainingRequest"))
    unsent = unsent_emails(site)

    maildir = site.tmp / "maildir"
    sink = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "aiosmtpd",
            "-n",
            "-l",
            f"127.0.0.1:{smtp_port}",
            "-c",
            "aiosmtpd.handlers.Mailbox",
            str(maildir),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(smtp_port)
        # The outage is over: send what waits now, without waiting for each email's next try.
        # Emails the worker holds at that moment are left to it.
        runs, deadline = 0, time.monotonic() + 180
        while time.monotonic() < deadline:
            runs += 1
            site.manage("send_pending_emails", "--now")
            if unsent_emails(site) == 0:
                break
            time.sleep(5)
        waited = time.monotonic() - started - seconds
        delivered = len(mailbox.Maildir(maildir))
        site.manage("send_pending_emails", "--now")
        time.sleep(0.5)
        delivered_again = len(mailbox.Maildir(maildir))
    finally:
        sink.terminate()
        sink.wait(timeout=10)
    ok = (
        answered == 100
        and saved == 100
        and unsent == 200
        and delivered == 200
        and delivered_again == 200
    )
    results.append(
        (
            "100 training requests with the mail server down, then back",
            ok,
            f"{answered} answered with their reference ({len(references)} distinct) in "
            f"{seconds:.1f} s; {saved} saved; {unsent} emails waiting; with the SMTP sink "
            f"started, {runs} runs of send_pending_emails --now ({waited:.0f} s) delivered "
            f"{delivered}; one more run: {delivered_again} in total",
        )
    )


# --- Report -------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-docs", action="store_true", help="leave docs/performance.md")
    args = parser.parse_args()
    require("wrk")
    with contextlib.suppress(ImportError):
        import aiosmtpd  # noqa: F401
    if "aiosmtpd" not in sys.modules:
        sys.exit("aiosmtpd is needed: pip install -e '.[load]' (make loadtest does)")

    results = []
    smtp_port = free_port()  # nothing listens here until the sink starts
    with Site() as site:
        site.env.update(
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(smtp_port),
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            # One client sends all 100 requests; the hourly limit is for the public.
            TRAINING_REQUEST_RATE_LIMIT="1000",
        )
        base = site.start_gunicorn("site")
        front = site.start_varnish("varnish", base)
        site.start_worker()
        load(site, front, results)
        database_restart(site, front, results)
        mail_outage(site, smtp_port, base, results)
        newsletter_send.run(site, front, results)
        setup = f"{site.database}, Varnish in front, gunicorn.conf.py defaults"
    info = machine()
    load_average = " / ".join(f"{n:.1f}" for n in os.getloadavg())
    lines = [
        f"Machine: {info['nproc']} cores ({info['cpu']}), {info['memory']} memory; load average "
        f"at the end {load_average}. {setup}.",
        "",
        "| Test | Result | Details |",
        "| --- | --- | --- |",
    ]
    for name, ok, details in results:
        verdict = "skipped" if ok is None else ("pass" if ok else "**FAIL**")
        lines.append(f"| {name} | {verdict} | {details} |")
    text = "\n".join(lines)
    print()
    print(text)
    if not args.no_docs:
        write_docs_section("loadtest", text)
    if any(ok is False for _, ok, _ in results):
        sys.exit(1)


if __name__ == "__main__":
    main()
