"""Same words, several sources: grouping statements into utterances.

One utterance is quoted by several outlets, or posted and then quoted in an
article. Statements of one speaker that share runs of words are grouped under one
`utterance_id` (the id of the statement that reported it first), so the timeline can
show each utterance once with all its sources and who reported it first. Two statements
share words when they have MIN_SHARED_SHINGLES runs of SHINGLE_WORDS words in common, or
all the runs of the shorter one; the groups are what these pairs join, whatever the order
the statements come in.

Grouping also dates better: words cannot be said after they were first reported. A
statement whose text gave no day (`said_at_precision = 'published'`) takes its
utterance's earliest day, and the statements of the same speaker in the same
paragraph (one occasion, reported together) follow it (`'first_report'`), until no date
moves.

Groups and dates never cross speakers, so each speaker's statements are grouped on
their own: `regroup` redoes only the speakers whose statements changed.
"""

import re
from collections import defaultdict

from claimline import db as database
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
    """Group every statement; returns the number of utterances reported by more than one
    statement."""
    actor_ids = [r["actor_id"] for r in db.query(
        "select distinct actor_id from statements where actor_id is not null")]
    with db.atomic():
        regroup(db, actor_ids)
        database.give_own_utterances(db)
    return db.execute("select count(*) from (select 1 from statements where actor_id is not null "
                      "group by utterance_id having count(*) > 1)").fetchone()[0]


def regroup(db, actor_ids):
    """Group the statements of the speakers of `actor_ids` again; returns the ids of the
    statements whose utterance or date changed."""
    changed = []
    for actor_id in sorted(actor_ids):
        rows = speaker_statements(db, actor_id)
        before = {r["id"]: dict(r) for r in rows}
        groups = utterance_groups(rows)
        date_by_first_reports(rows, groups)
        for group in groups:
            first = min(group, key=lambda r: (r["published_at"], r["id"]))
            for row in group:
                row["utterance_id"] = first["id"]
        changed += [r for r in rows if r != before[r["id"]]]
    database.save_utterances(db, changed)
    return {r["id"] for r in changed}


def speaker_statements(db, actor_id):
    # the paragraph (newlines before the statement) is counted by SQLite: no document text
    # needs to come over
    return list(db.query(
        "select s.id, s.text, s.said_at, s.said_at_precision, s.said_at_text, s.document_id, "
        "s.utterance_id, coalesce(d.published_at, '') as published_at, "
        "length(substr(d.text, 1, s.start_char)) "
        "- length(replace(substr(d.text, 1, s.start_char), char(10), '')) as paragraph "
        "from statements s join documents d on d.id = s.document_id where s.actor_id = ?", [actor_id]))


def utterance_groups(rows):
    """The statements of one speaker that share words, as lists of rows."""
    own = {row["id"]: shingles(row["text"]) for row in rows}
    groups = Groups()
    by_shingle = defaultdict(list)
    # the same words reported again (the same shingles) join the first report of them, and
    # pair with every other statement as it does: only the first is compared
    first_with = {}
    for row in rows:
        if own[row["id"]]:
            key = frozenset(own[row["id"]])
            if key in first_with:
                groups.join(row["id"], first_with[key])
                continue
            first_with[key] = row["id"]
        shared = defaultdict(int)
        for shingle in own[row["id"]]:
            for other in by_shingle[shingle]:
                shared[other] += 1
            by_shingle[shingle].append(row["id"])
        for other, count in shared.items():
            if count >= min(MIN_SHARED_SHINGLES, len(own[row["id"]]), len(own[other])):
                groups.join(row["id"], other)
    members = defaultdict(list)
    for row in rows:
        members[groups.find(row["id"])].append(row)
    return list(members.values())


def date_by_first_reports(rows, groups):
    """Move undated statements to their utterance's earliest day, and their paragraph's
    undated statements with them, until no date moves (dates only move earlier)."""
    paragraphs = defaultdict(list)
    for row in rows:
        paragraphs[row["document_id"], row["paragraph"]].append(row)
    moved = True
    while moved:
        moved = False
        for group in groups:
            earliest = min((r["said_at"][:10] for r in group if r["said_at"]), default=None)
            moved |= move_earlier(group, earliest)
        for siblings in paragraphs.values():
            reported = min((r["said_at"][:10] for r in siblings if r["said_at_precision"] == "first_report"),
                           default=None)
            moved |= move_earlier(siblings, reported)


def move_earlier(rows, day):
    """Date the undated of `rows` said after `day` on `day`; whether any moved."""
    moved = False
    for row in rows:
        if day and row["said_at_precision"] in UNDATED and day < (row["said_at"] or "")[:10]:
            row.update(said_at=day, said_at_precision="first_report", said_at_text=None)
            moved = True
    return moved
