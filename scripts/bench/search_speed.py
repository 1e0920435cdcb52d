"""Search with 100 times the July 2023 content, on PostgreSQL (part of make bench).

The July 2023 issue is copied into 200 issues (1,200 sections), its workshops into 400 and its
resource links into 2,000, all published, and the search index is rebuilt. Then wrk asks
/search/ for a rotation of queries (words that match many items, few, and none), without the
page cache's help (searches are built for each request):

- one connection at a time: the time a search takes; target p99 under 50 ms;
- 16 connections: requests per second against the static CSS file's on the same server;
  target at least 0.02.

Run alone with `python bench/search_speed.py` (about 2 minutes), or as part of bench/bench.py.
"""

import sys

from harness import ROOT, Site, ensure_command, fetch, log, static_css_url, wrk

TARGET_P99_MS = 50
TARGET_RATIO = 0.02
QUERIES = ["grooming", "WRAP", "places of worship", "misogyny", "Kiran", "online safety", "zzzq"]

GROW = """
from datetime import date, timedelta
from django.utils import timezone
from newsletters.models import Issue, Section
from resources.models import ResourceLink
from training.models import Workshop

past = timezone.now() - timedelta(days=1)
july = Issue.objects.get(slug="july-2023")
sections = list(july.sections.all())
issues = Issue.objects.bulk_create(
    [
        Issue(
            title=f"Prevent Newsletter, issue {n}", slug=f"issue-{n}", volume=100 + n,
            month=date(2010 + n // 12, n % 12 + 1, 1), summary=july.summary,
            status="published", publish_at=past,
        )
        for n in range(199)
    ]
)
Section.objects.bulk_create(
    [
        Section(issue=issue, order=s.order, heading=s.heading, slug=s.slug, body=s.body)
        for issue in issues
        for s in sections
    ],
    batch_size=500,
)
workshops = list(Workshop.objects.all())
Workshop.objects.bulk_create(
    [
        Workshop(
            title=f"{w.title} ({n})", slug=f"{w.slug}-{n}", summary=w.summary, body=w.body,
            audiences=w.audiences, status="published", publish_at=past, order=100 + n,
        )
        for n in range(400 // len(workshops))
        for w in workshops
    ][: 400 - len(workshops)]
)
links = list(ResourceLink.objects.all())
ResourceLink.objects.bulk_create(
    [
        ResourceLink(
            title=f"{link.title} ({n})", slug=f"{link.slug}-{n}", url=link.url,
            publisher=link.publisher, description=link.description, category=link.category,
            order=100 + n,
        )
        for n in range(2000 // len(links) + 1)
        for link in links
    ][: 2000 - len(links)],
    batch_size=500,
)
print(Issue.objects.count(), Section.objects.count(), Workshop.objects.count(),
      ResourceLink.objects.count())
"""

VACUUM = """
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("VACUUM ANALYZE")
"""

ROTATION = """
local paths = {%s}
local i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
"""


def measured(site, url, connections, seconds, script=None):
    """wrk, with the server side's CPU time per request (as bench/bench.py measures it)."""
    before = site.server_cpu()
    threads = 1 if connections == 1 else 2
    result = wrk(url, connections, seconds, threads=threads, script=script)
    result["cpu"] = site.cpu_between(before, site.server_cpu()) / max(result["requests"], 1) * 1e6
    return result


def run(site, rows):
    """Grow the content, rebuild the index, measure. Appends (name, result, ratio, target) rows
    in bench/bench.py's form, and returns whether the targets were met."""
    log("search: 100 times the July 2023 content")
    counts = site.manage("shell", "-v", "0", "-c", GROW).stdout.split()
    log(f"  issues, sections, workshops, resource links: {' '.join(counts)}")
    site.manage("rebuild_search_index")
    if site.database.startswith("PostgreSQL"):
        # As autovacuum would soon after a load this size: without fresh statistics the planner
        # scans the whole index table even for rare words.
        site.manage("shell", "-c", VACUUM)
    paths = [f"/search/?q={query.replace(' ', '+')}" for query in QUERIES]
    script = site.tmp / "search.lua"
    script.write_text(ROTATION % ", ".join(f'"{path}"' for path in paths))
    base = site.start_gunicorn("search")
    for path in paths:
        status, _, _ = fetch(base + path)
        if status != 200:
            raise SystemExit(f"{path} answered {status}")
    css = static_css_url(base)
    # Every gunicorn worker compiles its templates on its first search: warm them all first, so
    # the figures are of a running site.
    wrk(base + "/search/", connections=16, seconds=3, script=script)
    static = measured(site, base + css, connections=16, seconds=8)
    alone = measured(site, base + "/search/", connections=1, seconds=10, script=script)
    loaded = measured(site, base + "/search/", connections=16, seconds=10, script=script)
    static_after = measured(site, base + css, connections=16, seconds=8)
    site.stop("search")
    static_rps = (static["rps"] + static_after["rps"]) / 2
    static_cpu = (static["cpu"] + static_after["cpu"]) / 2
    for result in (alone, loaded):
        result["cpu_ratio"] = static_cpu / result["cpu"]
    ratio = loaded["rps"] / static_rps
    rows.append(
        (
            f"Search, one connection (p99 target < {TARGET_P99_MS} ms: "
            f"{'met' if alone['p99'] < TARGET_P99_MS else 'NOT MET'})",
            alone,
            alone["rps"] / static_rps,
            None,
        )
    )
    rows.append(("Search, 16 connections", loaded, ratio, TARGET_RATIO))
    return alone["p99"] < TARGET_P99_MS and ratio >= TARGET_RATIO, alone, loaded, ratio


def main():
    if not ensure_command("wrk", "wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    rows = []
    with Site() as site:
        ok, alone, loaded, ratio = run(site, rows)
    print(
        f"{'pass' if ok else 'FAIL'}: one connection {alone['rps']:.0f} searches/s, p50 "
        f"{alone['p50']:.1f} ms, p99 {alone['p99']:.1f} ms (target < {TARGET_P99_MS}); "
        f"16 connections {loaded['rps']:.0f}/s, p99 {loaded['p99']:.0f} ms, {ratio:.3f} of the "
        f"static file (target ≥ {TARGET_RATIO}); {ROOT.name}"
    )
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
