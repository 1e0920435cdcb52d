"""What an error page's context says, whoever renders it (the project's 403 and 404, the 413 for
a body too big, a feedback form that has closed)."""

# No canonical address, nor the same page in other languages: either would tell search engines
# the address is a page. Nor do they read the team's banners: they must answer even with the
# database away.
ERROR_PAGE = {
    "canonical_url": None,
    "page_languages": (),
    "site_banners": (),
    "sensitive_page": False,
}
