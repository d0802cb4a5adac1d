"""The item pipeline: every document and fetch error goes to SQLite through claimline.db."""

from dataclasses import asdict

from claimline import db as database
from claimline.crawler.items import DocumentItem, FetchErrorItem, PageGoneItem, PageUnchangedItem


class SQLitePipeline:
    def __init__(self, db_path, run_id, stats):
        self.db_path = db_path
        self.run_id = run_id
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.get("CLAIMLINE_DB"), crawler.settings.getint("CLAIMLINE_RUN_ID"),
                   crawler.stats)

    def open_spider(self, spider=None):
        self.db = database.open_db(self.db_path)

    def close_spider(self, spider=None):
        self.db.close()

    def process_item(self, item, spider=None):
        if isinstance(item, FetchErrorItem):
            database.record_fetch_error(self.db, self.run_id, item.source_id, item.url,
                                        item.status, item.error)
            self.stats.inc_value("claimline/errors")
        elif isinstance(item, PageUnchangedItem):
            database.mark_page_unchanged(self.db, item.fetched_url, item.fetched_at, item.feed_signature)
            self.stats.inc_value("claimline/documents_unchanged")
        elif isinstance(item, PageGoneItem):
            database.mark_page_gone(self.db, item.fetched_url, item.at)
            self.stats.inc_value("claimline/documents_gone")
        elif isinstance(item, DocumentItem):
            # one transaction: a page 304s next time, so posts missed now would stay missed
            with self.db.atomic():
                self.save(item)
                for post in item.embedded_posts:
                    post.parent_id = database.document_id(item.url)
                    self.save(post)
        return item

    def save(self, item):
        row = asdict(item)
        row.pop("embedded_posts")
        outcome = database.save_document(self.db, row)
        self.stats.inc_value(f"claimline/documents_{outcome}")
