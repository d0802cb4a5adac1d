"""An Atom feed (RFC 4287) of statements, built with ElementTree so every scraped
string is escaped as text, never markup."""

import re
from datetime import datetime, timezone
from xml.etree import ElementTree as ET

from claimline.links import web_url

ATOM = "http://www.w3.org/2005/Atom"
# Characters XML 1.0 forbids even escaped; scraped text sometimes carries them.
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
TITLE_CHARS = 80


def rfc3339(value):
    """An ISO date or datetime as an Atom date-time: a bare day is midnight UTC,
    a datetime without offset is taken as UTC."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.isoformat()


def clean(text):
    return XML_FORBIDDEN.sub("", text or "")


def entry_title(row):
    words = " ".join(clean(row["statement"]).split())
    if len(words) > TITLE_CHARS:
        words = words[:TITLE_CHARS].rsplit(" ", 1)[0] + "…"
    return f"{row['speaker'] or '?'}: {words}"


def atom_feed(rows, title, feed_url, page_url, row_url):
    """The feed as bytes; `row_url(row)` gives each statement's page (its stable id)."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")

    def add(parent, tag, text=None, **attrs):
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            element.text = clean(text)
        return element

    found = [rfc3339(r["found_at"]) for r in rows if rfc3339(r["found_at"])]
    feed_updated = max(found, default=datetime.now(timezone.utc).replace(microsecond=0).isoformat())
    add(feed, "title", title)
    add(feed, "id", feed_url)
    add(feed, "updated", feed_updated)
    add(feed, "link", rel="self", href=feed_url)
    add(feed, "link", rel="alternate", type="text/html", href=page_url)
    add(add(feed, "author"), "name", "claimline")
    add(feed, "generator", "claimline")
    for row in rows:
        entry = add(feed, "entry")
        url = row_url(row)
        add(entry, "id", url)
        add(entry, "title", entry_title(row))
        said = rfc3339(row["said_at"]) or rfc3339(row["published_at"])
        add(entry, "updated", rfc3339(row["found_at"]) or said or feed_updated)
        if said:
            add(entry, "published", said)
        add(add(entry, "author"), "name", row["speaker"] or "?")
        if web_url(row["document_url"]):
            add(entry, "link", rel="alternate", href=clean(web_url(row["document_url"])))
        add(entry, "link", rel="related", href=url)
        for claim_type in (row["claim_types"] or "").split(", "):
            if claim_type:
                add(entry, "category", term=claim_type)
        summary = f"{row['statement']}\n\n— {row['speaker'] or '?'}"
        if row["organisation"]:
            summary += f" ({row['organisation']})"
        summary += f", {row['said_at'] or 'date unknown'}, {row['outlet'] or ''} {row['document_url'] or ''}"
        add(entry, "content", summary.strip(), type="text")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
