"""Same words, several sources: grouping statements into utterances.

One utterance is quoted by several outlets, or posted and then quoted in an
article. Statements of one speaker that share runs of words are grouped under one
`utterance_id` (the id of the statement that reported it first), so the timeline can
show each utterance once with all its sources and who reported it first.

Grouping also dates better: words cannot be said after they were first reported. A
statement whose text gave no day (`said_at_precision = 'published'`) takes its
utterance's earliest day, and the statements of the same speaker in the same
paragraph (one occasion, reported together) follow it (`'first_report'`).
"""

import re
from collections import defaultdict

from claimline.nlp.lexicon import fold

SHINGLE_WORDS = 4
MIN_SHARED_SHINGLES = 2
# dated by no words of their own: the publication day, or an earlier report's
UNDATED = ("published", "first_report")


def shingles(text):
    words = re.findall(r"\w+", fold(text))
    if len(words) < SHINGLE_WORDS:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}


class Groups:
    """Union-find over statement ids."""

    def __init__(self):
        self.parent = {}

    def find(self, item):
        self.parent.setdefault(item, item)
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def join(self, a, b):
        self.parent[self.find(a)] = self.find(b)


def group_utterances(db):
    """Set `statements.utterance_id` and the dates it teaches; returns the number of
    utterances reported by more than one statement."""
    # the paragraph (newlines before the statement) is counted by SQLite: no document text
    # needs to come over
    rows = list(db.query(
        "select s.id, s.actor_id, s.text, s.said_at, s.said_at_precision, s.document_id, "
        "coalesce(d.published_at, '') as published_at, "
        "length(substr(d.text, 1, s.start_char)) "
        "- length(replace(substr(d.text, 1, s.start_char), char(10), '')) as paragraph "
        "from statements s join documents d on d.id = s.document_id"))
    groups = Groups()
    by_shingle = defaultdict(list)
    for row in rows:
        if not row["actor_id"]:
            continue  # nobody's words are grouped with nobody's
        own = shingles(row["text"])
        shared = defaultdict(int)
        for shingle in own:
            for other in by_shingle[(row["actor_id"], shingle)]:
                shared[other] += 1
            by_shingle[(row["actor_id"], shingle)].append(row["id"])
        for other, count in shared.items():
            if count >= MIN_SHARED_SHINGLES or count == len(own):
                groups.join(row["id"], other)
    members = defaultdict(list)
    for row in rows:
        if row["actor_id"]:
            members[groups.find(row["id"])].append(row)
        else:
            members[row["id"]].append(row)
    updates = {}
    for group in members.values():
        first = min(group, key=lambda r: (r["published_at"], r["id"]))
        earliest = min((r["said_at"][:10] for r in group if r["said_at"]), default=None)
        for row in group:
            update = {"utterance_id": first["id"]}
            if row["said_at_precision"] in UNDATED and earliest and earliest < row["said_at"][:10]:
                update.update(said_at=earliest, said_at_precision="first_report", said_at_text=None)
            updates[row["id"]] = update
    date_paragraph_siblings(rows, updates)
    with db.atomic():
        db.conn.executemany("update statements set utterance_id = ? where id = ?",
                            [(u["utterance_id"], i) for i, u in updates.items()])
        db.conn.executemany(
            "update statements set said_at = ?, said_at_precision = ?, said_at_text = null where id = ?",
            [(u["said_at"], u["said_at_precision"], i) for i, u in updates.items() if "said_at" in u])
    return sum(1 for group in members.values() if len(group) > 1)


def date_paragraph_siblings(rows, updates):
    """A speaker's undated statements take the day their paragraph's other statements got."""
    def paragraph(row):
        return row["document_id"], row["actor_id"], row["paragraph"]

    dated = {}
    for row in rows:
        if updates[row["id"]].get("said_at_precision") == "first_report" and row["actor_id"]:
            dated[paragraph(row)] = updates[row["id"]]["said_at"]
    for row in rows:
        day = dated.get(paragraph(row))
        if day and row["said_at_precision"] in UNDATED and "said_at" not in updates[row["id"]] \
                and day < (row["said_at"] or "")[:10]:
            updates[row["id"]].update(said_at=day, said_at_precision="first_report", said_at_text=None)
