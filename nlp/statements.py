"""What the speech component finds: `Statement` and `Speaker`, the `Doc` extensions it reads and
writes, and the small text helpers its parts share."""

from dataclasses import dataclass, field

from spacy.tokens import Doc

from claimline.nlp.lexicon import fold

for _name in ("statements", "published_at", "document_kind", "owner", "mentions", "posts"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


@dataclass
class Statement:
    start_char: int
    end_char: int
    text: str
    kind: str                      # direct, indirect, post
    speaker_text: str | None
    reporting_verb: str | None = None
    confidence: float = 0.8
    speaker_role: str | None = None
    said_at: str | None = None
    said_at_precision: str | None = None
    said_at_text: str | None = None
    claims: list = field(default_factory=list)
    candidates: list = field(default_factory=list)  # the speakers claimline_speakers chose among


@dataclass
class Speaker:
    text: str
    role: str | None = None
    confidence: float = 0.8


def clean_text(text):
    return " ".join(text.strip(" \n\t,;:").split())


def word_count(span_or_tokens):
    return sum(1 for t in span_or_tokens if not t.is_punct and not t.is_space)


def word_set(text):
    return {w for w in fold(text).replace("'", " ").split() if len(w) > 1 and w.isalnum()}


def doc_has_parse(doc):
    return doc.has_annotation("DEP")
