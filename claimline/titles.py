"""What the site calls a document: its title, or for a post (which has none) its account
and first words, « SNUipp-FSU — Premier jour d'école à distance : les ENT sont… »; the
URL when neither is known. Shown only: `documents.title` stays what was published."""

POST_TITLE_WORDS = 10
# Enough of a post's text for its first words (the rest is not read).
POST_TITLE_CHARS = 300
DOCUMENT_TITLE_SQL = f"""select id, url, title, kind, author, outlet, substr(text, 1, {POST_TITLE_CHARS}) as text
  from documents where id = :id"""


def post_title(post):
    """« account — first words… » of a post (a dict with author, outlet and text)."""
    account = post.get("author") or post.get("outlet") or "?"
    words = (post.get("text") or "").split()
    first = words[:POST_TITLE_WORDS]
    while first and not any(c.isalnum() for c in first[-1]):
        first.pop()   # no title ends on an opening « or a dash
    first = " ".join(first) + ("…" if len(words) > len(first) else "")
    return f"{account} — {first}" if first else account


def document_title(document):
    """The title a person reads for a document (a dict of its columns)."""
    if document.get("title"):
        return document["title"]
    if document.get("kind") == "post":
        return post_title(document)
    return document.get("url") or document.get("id")


async def read_document(db, document_id):
    """What document_title needs of the document `document_id` (a Datasette database), or None."""
    row = (await db.execute(DOCUMENT_TITLE_SQL, {"id": document_id})).first()
    return dict(row) if row else None
