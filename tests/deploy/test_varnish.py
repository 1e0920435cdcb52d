"""deploy/varnish/ run for real: nginx -> Varnish -> gunicorn with production settings, on
loopback, with the email worker sending the purges."""

import gzip
import json
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.deploy.test_log_secrets import TOKEN, secret_addresses
from tests.deploy.test_nginx import (
    PRODUCTION_MEDIA_ROOT,
    PRODUCTION_STATIC_ROOT,
    install_snippets,
    nginx_command,
    nginx_conf,
)
from tests.factories import request_form_data
from tests.processes import free_port, get, manage, production_env, stop, wait_for_port

ROOT = Path(__file__).resolve().parents[2]
VCL = ROOT / "deploy/varnish/prevent.vcl"
VARNISHD = shutil.which("varnishd") or shutil.which("varnishd", path="/usr/sbin:/sbin")
NGINX = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
VARNISHNCSA = shutil.which("varnishncsa")
VARNISHNCSA_DROPIN = ROOT / "deploy/systemd/varnishncsa.service.d/prevent.conf"
# How long the site lets Varnish keep a page here: short, so a test can see one expire, and
# long enough that an edit showing within two seconds can only be the purge's doing (and a slow
# first render on a busy machine is still kept).
KEPT_FOR = 10
RATE_LIMIT = 2

pytestmark = pytest.mark.skipif(
    VARNISHD is None or NGINX is None,
    reason="Varnish and nginx are not installed (apt-get install varnish nginx; .ci/run does)",
)


class Chain:
    """nginx -> Varnish -> gunicorn, and the email worker, each a process of its own."""

    def __init__(self, folder, static):
        self.folder = folder
        self.static = static
        self.ports = {name: free_port() for name in ("gunicorn", "varnish", "nginx")}
        # SQLite, as in test_nginx.py, whatever database the test suite itself uses.
        self.env = production_env(
            folder,
            static,
            # nginx, then Varnish, each append the address they saw.
            TRUSTED_PROXY_COUNT="2",
            TRAINING_REQUEST_RATE_LIMIT=str(RATE_LIMIT),
            FRONT_CACHE_SECONDS=str(KEPT_FOR),
            FRONT_CACHE_URLS=f"http://127.0.0.1:{self.ports['varnish']}/",
            GUNICORN_BIND=f"127.0.0.1:{self.ports['gunicorn']}",
            WEB_CONCURRENCY="2",
            LOG_FORMAT="json",
        )
        self.processes = {}

    def manage(self, *args):
        manage(self.env, *args)

    def start(self, name, command, port=None):
        log = self.folder / f"{name}.log"
        with log.open("a") as out:
            process = subprocess.Popen(
                command,
                env=self.env if name in ("gunicorn", "worker") else None,
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.processes[name] = process
        if port:
            wait_for_port(port, process, log)

    def start_gunicorn(self):
        self.start(
            "gunicorn",
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "prevent_site.wsgi"],
            self.ports["gunicorn"],
        )

    def start_all(self):
        self.manage("migrate", "--noinput", "-v", "0")
        self.manage("load_initial_content", "-v", "0")
        self.start_gunicorn()
        # The production VCL with one change: the port gunicorn listens on.
        vcl = VCL.read_text()
        assert '.port = "8000";' in vcl
        (self.folder / "prevent.vcl").write_text(
            vcl.replace('.port = "8000";', f'.port = "{self.ports["gunicorn"]}";')
        )
        self.start(
            "varnish",
            [
                VARNISHD,
                "-F",
                "-n",
                str(self.folder / "varnish"),
                "-f",
                str(self.folder / "prevent.vcl"),
            ]
            + ["-a", f"127.0.0.1:{self.ports['varnish']}", "-s", "malloc,32m"]
            # The probe's first answers decide health; a quick lurker keeps the ban list short.
            + ["-p", "ban_lurker_sleep=0.1"],
            self.ports["varnish"],
        )
        install_snippets(
            self.folder,
            [
                (PRODUCTION_STATIC_ROOT, f"{self.static}/"),
                (PRODUCTION_MEDIA_ROOT, f"{self.folder / 'media'}/"),
            ],
        )
        conf = self.folder / "nginx.conf"
        conf.write_text(
            nginx_conf(
                self.folder,
                f"""
    include {self.folder / "prevent-logs.conf"};
    upstream prevent {{ server 127.0.0.1:{self.ports["varnish"]}; }}
    server {{
        listen 127.0.0.1:{self.ports["nginx"]};
        include {self.folder / "prevent-locations.conf"};
    }}""",
            )
        )
        self.start(
            "nginx", [*nginx_command(self.folder, conf), "-g", "daemon off;"], self.ports["nginx"]
        )
        # Last: Varnish is there for the purge that loading the content queued.
        self.start(
            "worker",
            [sys.executable, "manage.py", "db_worker", "--interval", "0.1", "--no-reload"]
            + ["--no-startup-delay"],
        )

    def stop_all(self):
        for process in reversed(self.processes.values()):
            stop(process)

    def log(self, name):
        return (self.folder / f"{name}.log").read_text()


@pytest.fixture(scope="module")
def chain(collected_static):
    # varnishd drops to its own user, which must read the VCL and every folder above it.
    folder = Path(tempfile.mkdtemp(prefix="prevent-varnish-"))
    folder.chmod(0o755)
    chain = Chain(folder, collected_static)
    try:
        chain.start_all()
        yield chain
    finally:
        chain.stop_all()
        shutil.rmtree(folder, ignore_errors=True)


def through(chain, path, headers=None, method="GET", body=None, layer="nginx", source=None):
    return get(chain.ports[layer], path, headers, method, body, source)


def test_a_second_request_is_answered_by_varnish(chain):
    first, body = through(chain, "/training/")
    again, same = through(chain, "/training/")
    assert first.status == again.status == 200
    assert again.getheader("X-Cache") == "hit"
    assert same == body
    assert b"Workshop to Raise Awareness of Prevent" in same


def test_made_up_parameters_are_served_from_the_same_page(chain):
    through(chain, "/funding/")
    for path in ("/funding/?utm_source=newsletter", "/funding/?fbclid=abc&gclid=x"):
        response, _ = through(chain, path)
        assert response.getheader("X-Cache") == "hit", path
    through(chain, "/newsletters/?b=2&a=1")
    response, _ = through(chain, "/newsletters/?a=1&b=2&utm_medium=email")
    assert response.getheader("X-Cache") == "hit"


def test_marketing_parameters_of_any_name_case_or_without_a_value_share_the_page(chain):
    through(chain, "/resources/")
    for query in (
        "utm_source_platform=x",
        "utm_creative_format=banner&utm_marketing_tactic=remarketing",
        "UTM_SOURCE=newsletter&Utm_Medium=email&FBCLID=abc&GClid=x",
        "utm_source",
        "utm_source&utm_campaign=&gclid",
        "mc_cid=1&mc_eid=2",
    ):
        response, _ = through(chain, f"/resources/?{query}")
        assert response.getheader("X-Cache") == "hit", query
    # A parameter that only begins like one is the page's own business: another copy.
    response, _ = through(chain, "/resources/?utm_source2=x")
    assert response.getheader("X-Cache") == "miss"


def test_a_search_for_a_query_is_never_served_from_the_cache_in_any_language(chain):
    # Varnish passes them before looking (the VCL), and Django marks them private as well.
    for path in (
        "/search/?q=radicalisation",
        "/ar/search/?q=radicalisation",
        "/bn/search/?page=1&q=radicalisation",
    ):
        for _ in range(2):
            response, _ = through(chain, path)
            assert response.status == 200, path
            assert response.getheader("X-Cache") == "miss", path


def test_cached_pages_carry_the_security_headers_compression_and_no_shared_nonce(chain):
    https = {"X-Forwarded-Proto": "https", "Accept-Encoding": "gzip"}
    # As nginx passes a request that came over TLS (tested over plain HTTP at Varnish itself).
    through(chain, "/privacy/", https, layer="varnish")
    response, body = through(chain, "/privacy/", https, layer="varnish")
    assert response.getheader("X-Cache") == "hit"
    assert "max-age=31536000" in response.getheader("Strict-Transport-Security")
    policy = response.getheader("Content-Security-Policy")
    assert "frame-ancestors 'none'" in policy and "'nonce-" not in policy
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert response.getheader("Content-Encoding") == "gzip"
    assert b"<title>Privacy notice" in gzip.decompress(body)
    # A page kept for HTTPS never answers plain HTTP (where it would carry HSTS).
    plain, _ = through(chain, "/privacy/", layer="varnish")
    assert plain.getheader("Strict-Transport-Security") is None


def test_each_visitor_gets_their_own_request_id_and_nginx_s_reaches_the_sites_log(chain):
    ids = set()
    for _ in range(3):
        response, _ = through(chain, "/contacts/")
        ids.add(response.getheader("X-Request-ID"))
    assert len(ids) == 3 and all(re.fullmatch(r"[0-9a-f]{32}", i) for i in ids)

    response, _ = through(chain, "/no-such-page/")
    assert response.status == 404
    request_id = response.getheader("X-Request-ID")
    lines = [
        json.loads(line) for line in chain.log("gunicorn").splitlines() if line.startswith("{")
    ]
    [line] = [line for line in lines if line.get("request_id") == request_id and "path" in line]
    assert (line["path"], line["status"]) == ("/no-such-page/", 404)


def test_signed_in_visitors_and_forms_are_never_served_a_cached_page(chain):
    through(chain, "/")
    response, _ = through(chain, "/", {"Cookie": "sessionid=someone"})
    assert response.getheader("X-Cache") == "miss"
    response, _ = through(chain, "/", {"Cookie": "csrftoken=abc; _ga=GA1.2"})
    assert response.getheader("X-Cache") == "hit"
    for _ in range(2):
        response, body = through(chain, "/training/request/")
        assert response.getheader("X-Cache") == "miss"
        assert b"csrfmiddlewaretoken" in body


def post_training_request(chain, source):
    """A browser at ``source`` opens the form and sends it, through nginx and Varnish."""
    response, body = through(chain, "/training/request/", source=source)
    cookie = response.getheader("Set-Cookie").split(";", 1)[0]
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    data = {**request_form_data(), "csrfmiddlewaretoken": token}
    return through(
        chain,
        "/training/request/",
        {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
        method="POST",
        body=urlencode(data),
        source=source,
    )[0]


def test_posts_are_never_cached_and_the_rate_limit_counts_each_visitor_apart(chain):
    first = [post_training_request(chain, "127.0.0.2").status for _ in range(RATE_LIMIT + 1)]
    assert first == [302] * RATE_LIMIT + [429]
    # Another visitor behind the same nginx and Varnish is not held back by the first.
    assert post_training_request(chain, "127.0.0.3").status == 302


def test_an_edit_shows_through_varnish_within_two_seconds(chain):
    through(chain, "/team/")
    response, body = through(chain, "/team/")
    assert response.getheader("X-Cache") == "hit" and b"Kiran Malik" in body
    assert int(response.getheader("Age")) < KEPT_FOR - 2
    chain.manage(
        "shell",
        "-c",
        "from resources.models import TeamMember; "
        "m = TeamMember.objects.get(name='Kiran Malik'); m.role = 'Edited role'; m.save()",
    )
    saved = time.monotonic()
    while b"Edited role" not in through(chain, "/team/")[1]:
        assert time.monotonic() - saved < 2, "the edit did not show within 2 seconds"
        time.sleep(0.05)


def test_a_banner_saved_shows_through_varnish_within_two_seconds_and_goes_when_it_ends(chain):
    issue_path = "/newsletters/july-2023/"
    for path in ("/", issue_path):
        through(chain, path)
        response, body = through(chain, path)
        assert response.getheader("X-Cache") == "hit" and b"Road closures" not in body
    chain.manage(
        "shell",
        "-c",
        "from datetime import timedelta; from django.utils import timezone; "
        "from alerts.models import Banner; "
        "Banner.objects.create(title='Road closures', message='<p>Avoid Whitehall.</p>', "
        f"is_live=True, ends_at=timezone.now() + timedelta(seconds={KEPT_FOR + 2}))",
    )
    saved = time.monotonic()
    for path in ("/", issue_path):
        while b"Road closures" not in through(chain, path)[1]:
            assert time.monotonic() - saved < 2, f"the banner did not show on {path} in 2 s"
            time.sleep(0.05)
    # Once it ends, a page kept before then lasts the time Varnish may keep it, and then one
    # more request (served from grace while Varnish fetches the page again).
    time.sleep(max(0, saved + KEPT_FOR + 2 + KEPT_FOR - time.monotonic()))
    for path in ("/", issue_path):
        while b"Road closures" in through(chain, path)[1]:
            assert time.monotonic() - saved < KEPT_FOR + 2 + KEPT_FOR + 2, f"still on {path}"
            time.sleep(0.05)


def test_with_gunicorn_stopped_cached_pages_are_still_served(chain):
    through(chain, "/events/")
    response, _ = through(chain, "/events/")
    assert response.getheader("X-Cache") == "hit", response.getheaders()
    stop(chain.processes["gunicorn"])
    try:
        # Past the page's time in the cache, and the backend seen as down by Varnish's probe.
        time.sleep(KEPT_FOR + 6)
        response, body = through(chain, "/events/")
        assert response.status == 200
        assert b"govuk-template" in body
        # A signed-in visitor is never given the cached page: Varnish says the site is away.
        response, body = through(chain, "/events/", {"Cookie": "sessionid=someone"})
        assert response.status == 503
        assert b"govuk-template" not in body
        # A page that was never cached cannot be served either.
        assert through(chain, "/community-projects/")[0].status == 503
    finally:
        chain.start_gunicorn()


def test_an_error_while_the_site_was_away_is_not_kept_once_it_is_back(chain):
    # The test above restarted gunicorn; Varnish's probe sees it back within a few seconds.
    back = time.monotonic()
    while (status := through(chain, "/community-projects/")[0].status) != 200:
        assert status == 503
        assert time.monotonic() - back < 15, "the page was still an error 15 s after the restart"
        time.sleep(0.2)


def test_nginx_varnish_and_gunicorn_are_wired_to_each_other_in_production():
    dropin = (ROOT / "deploy/systemd/varnish.service.d/prevent.conf").read_text()
    command = [line for line in dropin.splitlines() if line.startswith("ExecStart=/")][0]
    assert " -a 127.0.0.1:6081 " in command
    assert " -f /etc/varnish/prevent.vcl " in command
    nginx_site = (ROOT / "deploy/nginx/prevent.conf").read_text()
    assert re.search(r"upstream prevent \{[^}]*server 127\.0\.0\.1:6081;", nginx_site)
    vcl = VCL.read_text()
    assert '.host = "127.0.0.1";' in vcl and '.port = "8000";' in vcl
    assert "127.0.0.1:8000" in (ROOT / "gunicorn.conf.py").read_text()


def test_each_language_is_kept_apart_and_english_is_one_copy_whatever_the_browser_says(chain):
    # English: the address alone says the language, so no Vary: Accept-Language splits it.
    through(chain, "/worried-about-someone/", {"Accept-Language": "ar"})
    again, english = through(chain, "/worried-about-someone/", {"Accept-Language": "bn, en;q=0.5"})
    assert again.getheader("X-Cache") == "hit"
    assert "Accept-Language" not in (again.getheader("Vary") or "")
    assert b'<html lang="en-GB" dir="ltr"' in english
    # Arabic and Bengali are pages of their own, each kept once.
    through(chain, "/ar/worried-about-someone/")
    arabic_again, arabic = through(chain, "/ar/worried-about-someone/")
    assert arabic_again.getheader("X-Cache") == "hit"
    assert b'<html lang="ar" dir="rtl"' in arabic
    _, bengali = through(chain, "/bn/worried-about-someone/", {"Accept-Language": "ar"})
    assert b'<html lang="bn" dir="ltr"' in bengali


def varnishncsa_command():
    """The drop-in's varnishncsa command, without what makes it a daemon writing a file."""
    [line] = [
        line
        for line in VARNISHNCSA_DROPIN.read_text().splitlines()
        if line.startswith("ExecStart=/")
    ]
    # systemd reads "%%" as "%" and quotes as a shell does (for this line).
    words = shlex.split(line.removeprefix("ExecStart=").replace("%%", "%"))
    assert words[:2] == ["/usr/bin/varnishncsa", "-a"]
    assert words[2:7] == ["-w", "/var/log/varnish/varnishncsa.log", "-D", "-P", words[6]]
    return words[7:]


@pytest.mark.skipif(VARNISHNCSA is None, reason="varnishncsa comes with Debian's varnish package")
def test_varnishncsa_as_installed_logs_pages_but_no_token_or_query(chain):
    secret = [
        *secret_addresses(TOKEN).values(),
        f"/ar{secret_addresses(TOKEN)['newsletters:unsubscribe']}",
        secret_addresses(TOKEN)["newsletters:unsubscribe"].replace(
            "/unsubscribe/", "/%75nsubscribe/"
        ),
        secret_addresses(TOKEN)["newsletters:preferences"].replace(
            "/newsletters/", "//newsletters/"
        ),
    ]
    for path in secret:
        through(chain, path)
    through(chain, "/search/?q=someones-own-words")
    through(chain, "/accessibility/?private=words")
    through(chain, "/accessibility/")
    response, _ = through(chain, "/accessibility/", source="127.0.0.5")
    assert response.getheader("X-Cache") == "hit"
    request_id = response.getheader("X-Request-ID")

    result = subprocess.run(
        [VARNISHNCSA, *varnishncsa_command(), "-n", str(chain.folder / "varnish"), "-d"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    log = result.stdout
    assert TOKEN not in log and TOKEN.split(":")[-1] not in log
    assert "someones-own-words" not in log and "private=words" not in log
    # A page Varnish answered itself has its line: the visitor (then nginx, which Varnish adds to
    # X-Forwarded-For), the path, the request id and how Varnish answered.
    [line] = [line for line in log.splitlines() if request_id in line]
    assert re.fullmatch(
        rf'127\.0\.0\.5, 127\.0\.0\.1 - - \[[^]]+\] "GET /accessibility/ HTTP/1\.[01]" 200 \d+ '
        rf'"-" {request_id} hit',
        line,
    ), line
