"""`claimline import FILE`: researchers' archives into documents.

- social posts: twarc2 JSONL (API v2 pages with `includes.users`), an X account
  archive's `tweets.js`, Mastodon statuses and Bluesky posts (getAuthorFeed,
  getPostThread, post views), as one JSON value, a list or JSON lines;
- archived pages: WARC files (Wayback Machine, Webrecorder, claimline's own) and WACZ
  files (a zip of `archive/*.warc.gz`), read like crawled pages, the capture date
  standing as the fetch date and the document linked to its record.

The whole file is read before anything is written: a bad line stops the import
with its line number and the database stays as it was.
"""

import json
import zipfile
from datetime import datetime, timezone
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from claimline import ClaimlineError
from claimline import db as database
from claimline.crawler import extract, posts

WARC_SUFFIXES = (".warc", ".warc.gz")
X_ARCHIVE_PREFIX = "window.YTD."
FORMATS = "twarc2 JSONL, X archive tweets.js, Mastodon or Bluesky JSON, WARC or WACZ"


def read_archive(path, account=None):
    """The documents (dicts for `claimline.db.save_document`) of an archive file.

    `account` names whose tweets an X archive holds: the archive does not say.
    """
    path = Path(path)
    if not path.is_file():
        raise ClaimlineError(f"{path}: no such file")
    source_id = f"import:{path.name}"
    if path.name.endswith(WARC_SUFFIXES):
        documents = list(_warc_documents(path, source_id))
    elif path.suffix == ".wacz":
        documents = list(_wacz_documents(path, source_id))
    else:
        fetched_at = database.now_iso()
        documents = [_post_document(post, source_id, fetched_at)
                     for post in _json_posts(path, account)]
    return documents


def save_documents(db, documents):
    """Saves documents read by `read_archive`; returns counts of new, changed, unchanged."""
    counts = {"documents_new": 0, "documents_changed": 0, "documents_unchanged": 0}
    for document in documents:
        counts[f"documents_{database.save_document(db, document)}"] += 1
    return counts


# -- social posts ------------------------------------------------------------------

def _json_values(path):
    """(line number, value) of a file holding one JSON value or JSON lines."""
    text = path.read_text(encoding="utf-8-sig")
    if text.lstrip().startswith(X_ARCHIVE_PREFIX):  # window.YTD.tweets.part0 = [...]
        text = text.split("=", 1)[1]
    try:
        yield 1, json.loads(text)
        return
    except ValueError:
        pass
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip():
            try:
                yield number, json.loads(line)
            except ValueError as e:
                raise ClaimlineError(f"{path}: line {number} is not JSON ({e.msg})") from None


def _posts_of(value, account):
    """The posts of one JSON value, by its shape; None when the shape is unknown."""
    if isinstance(value, list):
        found = [_posts_of(item, account) for item in value]
        return None if any(f is None for f in found) else [p for f in found for p in f]
    if not isinstance(value, dict):
        return None
    if "data" in value:
        return list(posts.twarc2_page(value))
    if "author_id" in value and "text" in value:  # a twarc2 "flattened" tweet
        return list(posts.twarc2_page({"data": [value],
                                       "includes": {"users": [value.get("author") or {}]}}))
    if "tweet" in value or "full_text" in value:
        return list(posts.twitter_archive_tweets([value], handle=account or ""))
    if "account" in value and "content" in value:
        return [posts.mastodon_status(value)]
    if ({"feed", "thread", "posts", "post"} & set(value)) or posts.is_bluesky_post(value):
        return list(posts.bluesky_posts(value))
    return None


def _json_posts(path, account):
    for number, value in _json_values(path):
        try:
            found = _posts_of(value, account)
        except KeyError as e:
            raise ClaimlineError(f"{path}: line {number}: a post lacks {e}") from None
        except (TypeError, ValueError) as e:
            raise ClaimlineError(f"{path}: line {number}: a post could not be read ({e})") from None
        if found is None:
            raise ClaimlineError(f"{path}: line {number} is in no format claimline imports "
                                 f"({FORMATS})")
        yield from found


def _post_document(post, source_id, fetched_at, parent_id=None, published_at_source="post"):
    return {
        "url": extract.clean_url(post.url), "source_id": source_id, "kind": "post",
        "text": post.text, "author": post.author, "outlet": post.platform,
        "published_at": post.published_at, "published_at_source": published_at_source,
        "lang": extract.detect_language(post.text, post.lang), "fetched_at": fetched_at,
        "parent_id": parent_id,
    }


# -- archived pages ------------------------------------------------------------------

def _capture_date(warc_date):
    moment = datetime.fromisoformat(warc_date.replace("Z", "+00:00"))
    return moment.astimezone(timezone.utc).replace(microsecond=0).isoformat()


def _records(stream, label):
    """The archived HTML pages (200 responses) of a WARC stream."""
    try:
        for record in ArchiveIterator(stream):
            if record.format != "warc":  # warcio reads anything else as an old ARC file
                raise ArchiveLoadFailed(f"a {record.format} record")
            if record.rec_type != "response" or not record.http_headers:
                continue
            content_type = record.http_headers.get_header("Content-Type") or ""
            if record.http_headers.get_statuscode() == "200" and "html" in content_type:
                yield record, content_type, record.content_stream().read()
    except ArchiveLoadFailed as e:
        raise ClaimlineError(f"{label}: not a readable WARC file ({e.msg})") from None


def _page_documents(stream, label, warc_file, source_id):
    for record, content_type, body in _records(stream, label):
        html_text, _ = extract.decode_html(body, content_type)
        url = record.rec_headers.get_header("WARC-Target-URI")
        page = extract.extract_page(html_text, url)
        if not page["text"]:
            continue
        captured = _capture_date(record.rec_headers.get_header("WARC-Date"))
        capture = {"warc_file": warc_file,
                   "warc_record_id": record.rec_headers.get_header("WARC-Record-ID")}
        embedded = page.pop("embedded_posts")
        page.pop("mastodon_embeds")  # an import fetches nothing
        yield {**page, **capture, "source_id": source_id, "kind": "article",
               "fetched_at": captured}
        parent_id = database.document_id(page["url"])
        for found in embedded:
            yield {**_post_document(posts.Post(**found), source_id, captured, parent_id,
                                    "embed"), **capture}


def _warc_documents(path, source_id):
    with path.open("rb") as stream:
        yield from _page_documents(stream, path, str(path.resolve()), source_id)


def _wacz_documents(path, source_id):
    try:
        wacz = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise ClaimlineError(f"{path}: not a WACZ file (not a zip)") from None
    with wacz:
        members = [n for n in wacz.namelist()
                   if n.startswith("archive/") and n.endswith(WARC_SUFFIXES)]
        if not members:
            raise ClaimlineError(f"{path}: not a WACZ file (no archive/*.warc.gz inside)")
        for member in members:
            with wacz.open(member) as stream:
                yield from _page_documents(stream, f"{path}:{member}",
                                           f"{path.resolve()}#{member}", source_id)
