"""Benchmarks and load tests, run on loopback against the site as production runs it:
`python -m scripts.bench` (make bench), `python -m scripts.bench.loadtest` (make loadtest),
`python -m scripts.bench.search_speed`, `.newsletter_send` and `.render_profile`. See
docs/performance.md; the commands they need are listed in README.md."""
