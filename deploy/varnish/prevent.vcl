vcl 4.1;
# The Westminster Prevent website's front cache: nginx (TLS) -> Varnish -> gunicorn.
# Install as /etc/varnish/prevent.vcl (deploy/systemd/varnish.service.d/prevent.conf starts
# varnishd with it); see docs/deployment.md. tests/deploy/test_varnish.py runs this file
# as it is, with only the backend's address changed.
#
# Django decides what may be kept: a page anyone may see says "s-maxage=60" in its
# Cache-Control (blocks/frontcache.py), and nothing else is stored. The site purges
# everything with a BAN when its content changes (settings.FRONT_CACHE_URLS).

import std;
import cookie;

backend default {
    # gunicorn's GUNICORN_BIND.
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 35s;
    # Marked sick within seconds of gunicorn stopping: pages are then served stale (grace).
    .probe = {
        .url = "/healthz";
        .interval = 2s;
        .timeout = 1s;
        .window = 3;
        .threshold = 2;
        .initial = 2;
    }
}

# Who may purge: the app servers' addresses (the email worker sends the BAN).
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "BAN") {
        if (client.ip !~ purgers) {
            return (synth(405, "Not allowed"));
        }
        # Everything: the site is small, and any edit can change any list on any page. Only
        # obj.* in the expression, so Varnish's ban lurker can clear old objects in the background.
        ban("obj.status != 0");
        return (synth(200, "Purged"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        # Forms' POSTs, and the odd methods Django answers 405.
        return (pass);
    }
    if (req.url ~ "^/(admin/|healthz|readyz)") {
        return (pass);
    }
    # Search results for a query are the searcher's own (and logged by the site), in English or
    # under a language's prefix (/ar/search/?q=), and before Django adds the last slash.
    if (req.url ~ "^(/[^/?]+)?/search/?\?(.*&)?q=") {
        return (pass);
    }

    # Marketing parameters change nothing on a page: taken out, in any case (UTM_SOURCE), with a
    # value or without (?utm_source). The rest are sorted, so reordering them makes no new copy
    # of a page; any other made-up parameter still makes one (a trip to gunicorn, and an object
    # of its own, bounded by the storage size like every other).
    set req.url = regsuball(req.url,
        "(?i)([?&])(utm_[a-z_]+|fbclid|gclid|mc_eid|mc_cid)(=[^&]*)?(?=&|$)", "\1");
    set req.url = regsuball(req.url, "&&+", "&");
    set req.url = regsub(req.url, "[?&]+$", "");
    set req.url = regsub(req.url, "\?&", "?");
    set req.url = std.querysort(req.url);

    if (req.http.Cookie) {
        cookie.parse(req.http.Cookie);
        # Signed in (staff), or a message waiting to be shown: the page is theirs alone.
        if (cookie.isset("sessionid") || cookie.isset("messages")) {
            return (pass);
        }
        # The CSRF cookie goes on to Django, so a form opened in another tab still matches it;
        # public pages never read it, and a page that does is never stored. Others are dropped.
        cookie.keep("csrftoken");
        set req.http.Cookie = cookie.get_string();
        if (req.http.Cookie == "") {
            unset req.http.Cookie;
        }
    }

    # While gunicorn answers, a page past its time is served at most 10 s late while it is
    # fetched again; when it does not, pages are served as they were, for up to 6 hours.
    if (std.healthy(req.backend_hint)) {
        set req.grace = 10s;
    }
    return (hash);
}

sub vcl_hash {
    hash_data(req.url);
    hash_data(req.http.host);
    # A page built for HTTPS (with its HSTS header) never answers plain HTTP.
    hash_data(req.http.X-Forwarded-Proto);
    return (lookup);
}

sub vcl_backend_response {
    # A background refresh that failed leaves the stale page in place rather than an error.
    if (beresp.status >= 500 && bereq.is_bgfetch) {
        return (abandon);
    }
    # Only what Django marked for shared caches is kept; Set-Cookie or private never is.
    if (beresp.http.Cache-Control !~ "s-maxage=[1-9]"
        || beresp.http.Set-Cookie
        || beresp.http.Cache-Control ~ "(private|no-store|no-cache)") {
        set beresp.uncacheable = true;
        set beresp.ttl = 10s;
        return (deliver);
    }
    # An error page is never kept for long, whatever it says.
    if (beresp.status >= 400 && beresp.ttl > 5s) {
        set beresp.ttl = 5s;
    }
    set beresp.grace = 6h;
    # Never a request with a session cookie is answered from here (vcl_recv), so the page is
    # the same whatever cookie asked for it: one copy, not one per visitor's CSRF cookie.
    if (beresp.http.Vary) {
        set beresp.http.Vary = regsuball(beresp.http.Vary, "(?i)\s*\bCookie\b\s*,?", "");
        set beresp.http.Vary = regsub(beresp.http.Vary, "^[\s,]+|[\s,]+$", "");
        if (beresp.http.Vary == "") {
            unset beresp.http.Vary;
        }
    }
    # One visitor's request id must not reach the next (vcl_deliver gives each its own).
    unset beresp.http.X-Request-ID;
    # Compressed once, here; Varnish unzips for the rare client that takes no gzip.
    if (beresp.http.Content-Type ~ "^(text/|application/(.*\+)?(xml|json|javascript))") {
        set beresp.do_gzip = true;
    }
    return (deliver);
}

sub vcl_deliver {
    if (req.http.X-Request-ID) {
        set resp.http.X-Request-ID = req.http.X-Request-ID;
    }
    # For the tests and for operators reading headers; says nothing about the visitor.
    if (obj.hits > 0) {
        set resp.http.X-Cache = "hit";
    } else {
        set resp.http.X-Cache = "miss";
    }
    unset resp.http.Via;
    unset resp.http.X-Varnish;
    return (deliver);
}

sub vcl_synth {
    # Varnish's own pages (a refused purge, no backend and nothing stale to serve) say little.
    set resp.http.Content-Type = "text/plain; charset=utf-8";
    set resp.http.Cache-Control = "no-store";
    set resp.body = resp.reason;
    return (deliver);
}

sub vcl_backend_error {
    # gunicorn did not answer a background refresh: keep serving the stale page.
    if (bereq.is_bgfetch) {
        return (abandon);
    }
    set beresp.http.Content-Type = "text/plain; charset=utf-8";
    set beresp.http.Cache-Control = "no-store";
    set beresp.body = "The site is not available at the moment. Please try again in a few minutes.";
    set beresp.ttl = 0s;
    return (deliver);
}
