"""Views that each break one rule of the page cache, for tests/prevent_site/test_pagecache.py.

Each answers with a number that goes up on every call, so a test can tell a page built afresh
from one served from the cache.
"""

import itertools

from django.http import HttpResponse, HttpResponseNotFound
from django.middleware.csrf import get_token
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.vary import vary_on_headers

calls = itertools.count()


def counted(request):
    return HttpResponse(f"<p>Call {next(calls)}</p>" + "<p>Padding to compress.</p>" * 20)


def sets_cookie(request):
    response = counted(request)
    response.set_cookie("seen", "yes")
    return response


def with_form(request):
    token = get_token(request)
    return HttpResponse(
        f'<form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
        f"Call {next(calls)}</form>" + "<p>Padding to compress.</p>" * 20
    )


def private(request):
    response = counted(request)
    response["Cache-Control"] = "private, no-store"
    return response


@vary_on_headers("Accept-Language")
def varies(request):
    return counted(request)


def missing(request):
    return HttpResponseNotFound(f"Not found, call {next(calls)}")


urlpatterns = [
    path("counted/", counted),
    path("sets-cookie/", sets_cookie),
    path("form/", with_form),
    path("private/", private),
    path("never-cache/", never_cache(counted)),
    path("varies/", varies),
    path("missing/", missing),
    path("admin/counted/", counted),
]
