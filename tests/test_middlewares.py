"""Downloader middlewares on requests built here: nothing is sent anywhere."""

import pytest
from scrapy import Request

from claimline.crawler.middlewares import (BackoffMiddleware, ConditionalRequestMiddleware, PrivateAddressError,
                                 PrivateAddressMiddleware, RetryBudgetMiddleware)


@pytest.mark.parametrize("url", ["http://169.254.169.254/latest/meta-data/", "http://127.0.0.1/",
                                 "http://10.0.0.1/admin", "http://[::1]/"])
def test_private_addresses_are_refused(url):
    with pytest.raises(PrivateAddressError, match="private or loopback"):
        PrivateAddressMiddleware().process_request(Request(url, meta={"allow_private": False}))


def test_allow_private_may_name_the_hosts_it_allows():
    middleware = PrivateAddressMiddleware()
    allowed = {"allow_private": ["127.0.0.1"]}
    assert middleware.process_request(Request("http://127.0.0.1:8000/", meta=allowed)) is None
    with pytest.raises(PrivateAddressError):
        middleware.process_request(Request("http://169.254.169.254/", meta=allowed))
    assert middleware.process_request(
        Request("http://169.254.169.254/", meta={"allow_private": True})) is None


def test_conditional_headers_belong_to_the_url_requested():
    middleware = ConditionalRequestMiddleware({"http://a.fr/b": ('"v2"', None)})
    redirected = Request("http://a.fr/b", meta={"revalidate": True},
                         headers={"If-None-Match": '"from-a"', "If-Modified-Since": "yesterday"})
    middleware.process_request(redirected)
    assert redirected.headers.get("If-None-Match") == b'"v2"'
    assert "If-Modified-Since" not in redirected.headers
    feed = Request("http://a.fr/b")
    middleware.process_request(feed)
    assert "If-None-Match" not in feed.headers


def crawler_with_slot(delay, **settings):
    """A crawler as the middlewares see it: its settings and the download slot of a.fr."""
    from types import SimpleNamespace
    from scrapy.settings import Settings
    slot = SimpleNamespace(delay=delay)
    crawler = SimpleNamespace(engine=SimpleNamespace(downloader=SimpleNamespace(slots={"a.fr": slot})),
                              settings=Settings({"RETRY_HTTP_CODES": [429, 503], **settings}))
    return crawler, slot


def backoff_for(delay):
    crawler, slot = crawler_with_slot(delay, CLAIMLINE_BACKOFF_START_DELAY=2.0,
                                      CLAIMLINE_BACKOFF_MAX_DELAY=60.0)
    return BackoffMiddleware.from_crawler(crawler), slot


@pytest.mark.parametrize("status, headers, before, after", [
    (503, {}, 0.0, 2.0),                       # first trouble: the start delay
    (503, {}, 5.0, 10.0),                      # again: doubled
    (429, {"Retry-After": "30"}, 1.0, 30.0),   # the site says how long
    (429, {"Retry-After": "3600"}, 1.0, 60.0), # never more than the maximum
    (200, {}, 0.5, 0.5),                       # a good answer changes nothing here
])
def test_a_struggling_site_gets_a_longer_delay(status, headers, before, after):
    from scrapy.http import Response
    middleware, slot = backoff_for(before)
    request = Request("http://a.fr/x", meta={"download_slot": "a.fr"})
    middleware.process_response(request, Response(request.url, status=status, headers=headers))
    assert slot.delay == after


def test_a_timeout_spends_its_download_timeout_of_the_url_budget():
    from scrapy.exceptions import DownloadConnectionRefusedError, DownloadTimeoutError
    crawler, _ = crawler_with_slot(0.5, CLAIMLINE_URL_BUDGET=30.0, CLAIMLINE_SOURCE_BUDGET=180.0,
                                   CLAIMLINE_SOURCE_MAX_FAILURES=5)
    middleware = RetryBudgetMiddleware.from_crawler(crawler)
    meta = {"download_slot": "a.fr", "source": {"id": "s"}}
    timed_out = Request("http://a.fr/slow", meta={**meta, "download_timeout": 30})
    middleware.process_exception(timed_out, DownloadTimeoutError())
    assert timed_out.meta["dont_retry"]
    refused = Request("http://a.fr/closed", meta=meta)
    middleware.process_exception(refused, DownloadConnectionRefusedError())
    assert "dont_retry" not in refused.meta and refused.meta["url_spent"] == 0.5
    assert middleware.source_spent["s"] == 30.5 and middleware.failures_in_a_row["s"] == 2
