"""HTTP for the benchmarks: plain requests, a small browser for forms, and wrk."""

import re
import subprocess
import urllib.error
import urllib.request
from html.parser import HTMLParser
from urllib.parse import urlencode


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def fetch(url, headers=None, data=None, timeout=10):
    """(status, headers, body), redirects not followed, without raising on HTTP errors."""
    request = urllib.request.Request(url, headers=headers or {}, data=data)
    try:
        with _opener.open(request, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def static_css_url(base):
    """The address of the site's (hashed) stylesheet, from its home page."""
    _, _, body = fetch(base + "/", {"Accept-Encoding": "identity"})
    return re.search(rb'<link rel="stylesheet" href="([^"]+)"', body).group(1).decode()


# --- wrk ------------------------------------------------------------------------------------

UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text):
    match = re.match(r"([\d.]+)(us|ms|s|m)$", text)
    if not match:
        raise RuntimeError(f"unexpected latency {text!r} in wrk output")
    number, unit = match.groups()
    return float(number) * UNITS[unit]


def wrk(url, connections=32, seconds=10, threads=2, headers=None, script=None):
    """Run wrk; return requests/s, p50 and p99 latency (ms), and the error counts."""
    threads = min(threads, connections)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    if script:
        command += ["-s", str(script)]
    output = subprocess.run(
        [*command, url], check=True, capture_output=True, text=True, timeout=seconds + 60
    ).stdout
    if "Latency Distribution" not in output:
        raise RuntimeError(f"wrk gave no latency figures:\n{output}")
    result = {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": _ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1)),
        "p99": _ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1)),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "non_2xx": 0,
        "socket_errors": 0,
        "output": output,
    }
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        result["non_2xx"] = int(match.group(1))
    if match := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    ):
        result["socket_errors"] = sum(int(n) for n in match.groups())
    return result


class AdminForm(HTMLParser):
    """The values of the first form on an admin page, as a browser would post them back (the
    admin tests use it too)."""

    def __init__(self):
        super().__init__()
        self.data, self._textarea, self._select = {}, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        kind = attrs.get("type")
        if tag == "input" and name and kind not in ("submit", "button", "file"):
            if kind in ("checkbox", "radio"):
                # Only ticked ones are sent, as "on" when they have no value of their own.
                if "checked" in attrs:
                    self.data[name] = attrs.get("value", "on")
            else:
                self.data[name] = attrs.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea, self.data[name] = name, ""
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select] = attrs.get("value", "")

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


class Browser:
    """Just enough of a browser to keep cookies, sign in to the admin and post a form."""

    def __init__(self, base):
        self.base, self.cookies = base, {}

    def request(self, path, data=None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if data is not None:
            headers["Referer"] = self.base + path
            data = urlencode(data).encode()
        status, response_headers, body = fetch(self.base + path, headers, data)
        for cookie in response_headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return status, response_headers, body.decode()

    def form(self, path):
        _, _, body = self.request(path)
        parser = AdminForm()
        parser.feed(body)
        return parser.data
