"""Scrapy's duplicate filter, except for redirects.

Scrapy drops a request whose URL was already requested, redirects included: a
redirect loop (a → b → a) would then end in silence. Letting redirects through
leaves loops to REDIRECT_MAX_TIMES, which fails the request with an error we record.
"""

from scrapy.dupefilters import RFPDupeFilter


class RedirectsPassDupeFilter(RFPDupeFilter):
    def request_seen(self, request):
        if request.meta.get("redirect_urls"):
            return False
        return super().request_seen(request)
