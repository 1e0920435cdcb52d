"""make bench: requests per second and latency of the main pages, against static files.

Starts the site as production runs it (gunicorn.conf.py, DEBUG off, PostgreSQL on loopback; see
scripts/bench/harness.py), then runs wrk with a browser's Accept-Encoding, on one machine:

1. the home page through Varnish with the repository's VCL (deploy/varnish/), against the same
   bytes served by nginx as a static file (gzip_static): target at least 0.4;
2. the home page, an issue, a workshop and the training request form built by Django for every
   request (as on a laptop, or on a miss), each against WhiteNoise serving the stylesheet from
   the same gunicorn: target at least 0.02.

Each page's requests per second is divided by its reference's, measured just before and after
it (their mean), so the ratio holds on a slower or busier machine. The CPU columns count the
processor time the serving side (nginx, Varnish, gunicorn, PostgreSQL) spent per request, and
the reference's divided by the page's: steadier than requests per second when other work shares
the machine. Last, search_speed.py grows the content a hundredfold and measures the search
page (its own targets: p99 under 50 ms one search at a time, and at least 0.02 of the static
file's requests per second). The exit status is 1 only if a target is missed.

The table and the machine go to standard output and into docs/performance.md (between the
bench markers) unless --no-docs is given. Takes about 6 minutes.
"""

import argparse
import gzip
import os
import sys

from . import search_speed
from .client import fetch, static_css_url, wrk
from .harness import Site, log, machine, require, write_docs_section

HEADERS = {"Accept-Encoding": "br, gzip", "Accept": "text/html,*/*"}
PAGES = [
    ("Home page", "/"),
    ("Newsletter issue", "/newsletters/july-2023/"),
    ("Workshop", "/training/workshop-to-raise-awareness-of-prevent/"),
    ("Training request form", "/training/request/"),
]
TARGET_VARNISH = 0.4
TARGET_BUILT = 0.02


def measure(site, base, path, args):
    for _ in range(3):  # warm: the first request fills Varnish's cache
        fetch(base + path, HEADERS)
    before = site.server_cpu()
    result = wrk(base + path, args.connections, args.seconds, headers=HEADERS)
    used = site.cpu_between(before, site.server_cpu())
    result["cpu"] = used / max(result["requests"], 1) * 1e6
    return result


def median(values):
    values = sorted(values)
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def summary(runs):
    """Medians of several runs of one page, and their errors added up."""
    result = {key: median([run[key] for run in runs]) for key in ("rps", "p50", "p99", "cpu")}
    result["ratio"] = median([run.get("ratio", 1.0) for run in runs])
    result["cpu_ratio"] = median([run.get("cpu_ratio", 1.0) for run in runs])
    result["errors"] = sum(run["non_2xx"] + run["socket_errors"] for run in runs)
    return result


def alternating(site, base, path, reference, args):
    """``path`` measured between two runs of ``reference``, ``args.repeats`` times over.

    Other work on the machine comes and goes: each run of the page is divided by the reference's
    runs just before and after it, and the medians are reported.
    """
    references, results = [], []
    before = measure(site, *reference, args)
    references.append(before)
    for _ in range(args.repeats):
        result = measure(site, base, path, args)
        after = measure(site, *reference, args)
        references.append(after)
        result["ratio"] = result["rps"] / ((before["rps"] + after["rps"]) / 2)
        result["cpu_ratio"] = ((before["cpu"] + after["cpu"]) / 2) / result["cpu"]
        results.append(result)
        before = after
    return summary(references), summary(results)


def through_varnish(site, args, rows):
    """The home page from Varnish against the same bytes served by nginx as a static file."""
    log("the home page through Varnish, against its own bytes as a static file served by nginx")
    base = site.start_gunicorn("gunicorn behind Varnish")
    _, _, body = fetch(base + "/", HEADERS | {"Accept-Encoding": "identity"})
    folder = site.tmp / "home"
    folder.mkdir()
    (folder / "index.html").write_bytes(body)
    (folder / "index.html.gz").write_bytes(gzip.compress(body, compresslevel=6, mtime=0))
    static = site.start_nginx_static("nginx", folder)
    varnish = site.start_varnish("varnish", base)
    status, headers, _ = fetch(varnish + "/", HEADERS)
    if status != 200 or "s-maxage" not in headers.get("Cache-Control", ""):
        raise SystemExit(f"the home page is not cacheable: {status} {headers}")
    files, page = alternating(site, varnish, "/", (static, "/index.html"), args)
    rows.append(("Home page's bytes as a static file (nginx)", files, 1.0, None))
    rows.append(("Home page through Varnish", page, page["ratio"], TARGET_VARNISH))
    for name in ("varnish", "nginx", "gunicorn behind Varnish"):
        site.stop(name)


def built_per_request(site, args, rows):
    """Each page built by Django for every request, against WhiteNoise's stylesheet."""
    log("pages built for each request, against WhiteNoise serving the stylesheet")
    base = site.start_gunicorn("gunicorn")
    css = (base, static_css_url(base))
    statics = []
    for name, path in PAGES:
        status, _, _ = fetch(base + path, HEADERS)
        if status != 200:
            raise SystemExit(f"{path} answered {status}")
        reference, result = alternating(site, base, path, css, args)
        statics.append(reference)
        rows.append((f"{name}, built per request", result, result["ratio"], TARGET_BUILT))
        if result["errors"]:
            log(f"  {name}: {result['errors']} errors")
    rows.insert(-len(PAGES), ("Static CSS file (WhiteNoise)", statics[0], 1.0, None))
    site.stop("gunicorn")


def table(rows):
    lines = [
        "| Page | Requests/s | p50 latency | p99 latency | Ratio to static | Target "
        "| Server CPU per request | CPU ratio |",
        "| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: |",
    ]
    for name, result, ratio, target in rows:
        if result is None:
            lines.append(f"| {name} | – | – | – | – | {target} | – | – |")
            continue
        if target is None:
            verdict = ""
        else:
            verdict = f"≥ {target} {'met' if ratio >= target else 'NOT MET'}"
        shown = f"{ratio:.3f}" if ratio < 0.1 else f"{ratio:.2f}"  # 0.057 is not 0.06
        cpu_ratio = result["cpu_ratio"]
        cpu_shown = f"{cpu_ratio:.3f}" if cpu_ratio < 0.1 else f"{cpu_ratio:.2f}"
        lines.append(
            f"| {name} | {result['rps']:,.0f} | {result['p50']:.1f} ms | {result['p99']:.1f} ms "
            f"| {shown} | {verdict} | {result['cpu']:,.0f} µs | {cpu_shown} |"
        )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=5, help="length of each wrk run")
    parser.add_argument("--repeats", type=int, default=3, help="passes over the pages")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--sqlite", action="store_true", help="SQLite instead of PostgreSQL")
    parser.add_argument("--no-docs", action="store_true", help="leave docs/performance.md")
    args = parser.parse_args()
    require("wrk", "varnishd", "nginx")

    rows = []
    with Site(postgres=not args.sqlite) as site:
        through_varnish(site, args, rows)
        built_per_request(site, args, rows)
        # Last: it grows the content a hundredfold.
        search_met, *_ = search_speed.run(site, rows)
        setup = (
            f"{site.database}; gunicorn.conf.py defaults ({machine()['nproc'] * 2 + 1} sync "
            f"workers); Varnish 7 with deploy/varnish/prevent.vcl; wrk -t2 -c{args.connections} "
            f"-d{args.seconds}s with `Accept-Encoding: br, gzip`, on the same machine; medians of "
            f"{args.repeats} runs, each page between two runs of its reference."
        )
    info = machine()
    load = " / ".join(f"{n:.1f}" for n in os.getloadavg())
    text = "\n".join(
        [
            f"Machine: {info['nproc']} cores ({info['cpu']}), {info['memory']} memory; load "
            f"average at the end {load} (1/5/15 min, other work included). {setup}",
            "",
            table(rows),
        ]
    )
    print()
    print(text)
    if not args.no_docs:
        write_docs_section("bench", text)
    failed = [
        row
        for row in rows
        if isinstance(row[3], float) and row[2] < row[3]  # not None or "skipped"
    ]
    if failed or not search_met:
        sys.exit(1)


if __name__ == "__main__":
    main()
