"""Run one crawl in this process and print its counts as a JSON line.

`claimline crawl` starts this module in a subprocess for every crawl, because
Twisted's reactor cannot be restarted inside one process:

    python -m crawler.run SOURCES_JSON DB RUN_ID [SETTINGS_MODULE [SETTINGS_JSON]]

SETTINGS_JSON overrides settings for this run only (the archive folder, a size limit).
"""

import json
import sys
from pathlib import Path

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from claimline.crawler.spiders.sources import SourcesSpider

COUNTS = {
    "pages_fetched": "claimline/pages_fetched",
    "pages_not_due": "claimline/pages_not_due",
    "documents_new": "claimline/documents_new",
    "documents_changed": "claimline/documents_changed",
    "documents_unchanged": "claimline/documents_unchanged",
    "documents_gone": "claimline/documents_gone",
    "errors": "claimline/errors",
}
# In the printed counts: the sources some of whose pages were not due for a visit.
SOURCES_NOT_DUE = "sources_not_due"


def main(sources_json, db_path, run_id, settings_module="claimline.crawler.settings.base", overrides="{}"):
    settings = Settings()
    settings.setmodule(settings_module, priority="project")
    settings.set("CLAIMLINE_DB", db_path)
    settings.set("CLAIMLINE_RUN_ID", int(run_id))
    if not settings.get("CLAIMLINE_ARCHIVE_DIR"):
        settings.set("CLAIMLINE_ARCHIVE_DIR", str(Path(db_path).resolve().parent / "archive"))
    settings.setdict(json.loads(overrides), priority="cmdline")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(SourcesSpider)
    process.crawl(crawler, sources_file=sources_json)
    process.start()
    stats = crawler.stats.get_stats()
    not_due = COUNTS["pages_not_due"] + "/"
    print(json.dumps({**{name: stats.get(key, 0) for name, key in COUNTS.items()},
                      SOURCES_NOT_DUE: [key.removeprefix(not_due) for key in stats
                                        if key.startswith(not_due)]}))


if __name__ == "__main__":
    main(*sys.argv[1:])
