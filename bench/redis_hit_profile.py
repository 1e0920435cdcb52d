"""What one page-cache hit costs in Django's RedisCache, against the Redis round trip itself.

    python bench/redis_hit_profile.py

Starts a private Redis on a Unix socket, stores a page as the page cache does, and measures the
processor time of the one cache call a hit makes (`get_many` of the generation and the page),
of the same MGET on one redis-py client kept for the process, and of Django building its
redis-py client, which it does on every call; then prints the call's cProfile. Takes seconds.
"""

import cProfile
import os
import pstats
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CALLS = 20000


def timed(label, call):
    for _ in range(500):
        call()
    started = time.process_time()
    for _ in range(CALLS):
        call()
    print(f"{(time.process_time() - started) / CALLS * 1e6:6.0f} µs  {label}")


def main():
    folder = tempfile.mkdtemp(prefix="prevent-redis-")
    socket = f"{folder}/redis.sock"
    redis = subprocess.Popen(
        ["redis-server", "--port", "0", "--unixsocket", socket, "--save", ""],
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(50):
            if os.path.exists(socket):
                break
            time.sleep(0.1)
        os.environ.update(
            DJANGO_SETTINGS_MODULE="prevent_site.settings",
            DEBUG="false",
            SECRET_KEY="only-for-this-measurement",
            REDIS_URL=f"unix://{socket}?db=0",
        )
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.core.cache import cache

        from prevent_site import pagecache

        key = pagecache.page_key("https", "prevent.example", "/", "", "br")
        keys = [pagecache.GENERATION_KEY, key]
        cache.set(pagecache.GENERATION_KEY, "generation", None)
        cache.set(key, (pagecache.ENTRY_FORMAT, "generation", {}, "etag", b"x" * 9000), 60)
        # Django's own objects, read here only to measure them.
        client = cache._cache.get_client(key)
        raw_keys = [cache.make_and_validate_key(k) for k in keys]
        print("Processor time per call:")
        timed(
            "Django's RedisCache.get_many, as a page-cache hit calls it",
            lambda: cache.get_many(keys),
        )
        timed(
            "the same MGET on one redis-py client kept for the process",
            lambda: client.mget(raw_keys),
        )
        timed(
            "Django building a redis-py client (on every call)",
            lambda: cache._cache.get_client(key),
        )
        profile = cProfile.Profile()
        profile.runcall(lambda: [cache.get_many(keys) for _ in range(5000)])
        pstats.Stats(profile).sort_stats("tottime").print_stats(8)
    finally:
        redis.terminate()
        redis.wait(timeout=10)


if __name__ == "__main__":
    main()
