"""Downloader middlewares: refuse private addresses unless the source allows them."""

import ipaddress
import socket
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest


def is_private_host(host):
    """True when `host` is or resolves to a loopback, private, link-local or reserved address."""
    try:
        infos = socket.getaddrinfo(host, None)
    except (socket.gaierror, UnicodeError):
        return False  # unresolvable: the download itself will fail with a clear DNS error
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if (address.is_private or address.is_loopback or address.is_link_local
                or address.is_reserved or address.is_multicast or address.is_unspecified):
            return True
    return False


class PrivateAddressError(IgnoreRequest):
    pass


class PrivateAddressMiddleware:
    """Blocks SSRF: a feed linking to 127.0.0.1 or 169.254.169.254 is not fetched."""

    def process_request(self, request, spider=None):
        if request.meta.get("allow_private"):
            return None
        host = urlsplit(request.url).hostname or ""
        if is_private_host(host):
            raise PrivateAddressError(
                f"refused to fetch {request.url}: {host} is a private or loopback address "
                "(set allow_private: true on the source to allow it)")
        return None
