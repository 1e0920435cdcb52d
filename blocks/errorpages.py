"""What a page that is not a page of the site says in its context: an error page (the
project's 403 and 404, the 413 for a body too big), or the answer in place of a page that is
gone (a feedback form that has closed)."""

# No canonical address, nor the same page in other languages: either would tell search engines
# the address is a page.
NOT_A_PAGE = {"canonical_url": None, "page_languages": ()}

# Nor do error pages read the team's banners: they must answer even with the database away.
ERROR_PAGE = {**NOT_A_PAGE, "site_banners": (), "sensitive_page": False}
