"""Downloader middlewares on requests built here: nothing is sent anywhere."""

import pytest
from scrapy import Request

from crawler.middlewares import (ConditionalRequestMiddleware, PrivateAddressError,
                                 PrivateAddressMiddleware)


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
