"""A Scrapy extension that tells the parent process how far the crawl is.

`claimline.refresh.crawl` reads the crawl's stdout: a line `{"progress": [done, total]}`
now and then (responses received, requests scheduled so far), the counts at the end.
"""

import json
import time

from scrapy import signals

PROGRESS_INTERVAL_S = 0.5


class ProgressLines:
    def __init__(self, stats):
        self.stats = stats
        self.printed_at = 0.0

    @classmethod
    def from_crawler(cls, crawler):
        extension = cls(crawler.stats)
        crawler.signals.connect(extension.response_received, signal=signals.response_received)
        crawler.signals.connect(extension.print_progress, signal=signals.spider_closed)
        return extension

    def response_received(self, *args, **kwargs):
        if time.monotonic() - self.printed_at >= PROGRESS_INTERVAL_S:
            self.print_progress()

    def print_progress(self, *args, **kwargs):
        self.printed_at = time.monotonic()
        done = self.stats.get_value("downloader/response_count", 0)
        # robots.txt answers are not scheduled requests: keep done <= total
        total = max(done, self.stats.get_value("scheduler/enqueued", 0))
        print(json.dumps({"progress": [done, total]}), flush=True)
