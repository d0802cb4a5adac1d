"""Sentence starts, set before the parser: at each paragraph and after end punctuation.

Hyphenated names ("SNES-FSU") are merged into one token first.

Runs before the parser, which respects sentence starts set earlier: an embedded post
or a heading is never glued to the next paragraph, and a sentence is never cut
inside "à France Bleu Paris" because the parser guessed a boundary there.
"""

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

SENTENCE_END = {".", "!", "?", "…"}
CLOSING = {"»", "”", '"', ")", "’"}
# "M. Paulin", "Mme Dupont": an abbreviation, not the end of a sentence
ABBREVIATIONS = {"m", "mm", "mme", "mmes", "mlle", "dr", "pr", "me", "st", "ste", "cf", "etc", "p"}


def ends_sentence(doc, i):
    """Does a sentence end after token i (its end punctuation, or a closing mark after it)?"""
    token = doc[i]
    if token.text in CLOSING and i > 0 and doc[i - 1].text in SENTENCE_END:
        return True
    if token.text not in SENTENCE_END:
        return False
    previous = doc[i - 1] if i > 0 else None
    if previous is not None and token.text == "." and (
            previous.lower_ in ABBREVIATIONS or (len(previous) == 1 and previous.is_upper)):
        return False
    following = doc[i + 1] if i + 1 < len(doc) else None
    return following is None or following.text not in CLOSING


def text_of(doc):
    """The document's text; `doc.text` rebuilds it from the tokens at every call."""
    if "text" not in doc.user_data:
        doc.user_data["text"] = doc.text
    return doc.user_data["text"]


def starts_sentence(doc, token):
    previous = doc[token.i - 1]
    if "\n" in previous.text or "\n" in previous.whitespace_:
        return True
    if token.is_space or not ends_sentence(doc, token.i - 1):
        return False
    return token.is_title or token.is_upper or token.text[:1] in "«“\"(" or token.like_num


def merge_hyphenated_names(doc):
    """'SNES-FSU' is one name: the tokenizer's three tokens mislead the parser."""
    spans = []
    for token in doc[1:-1]:
        before, after = doc[token.i - 1], doc[token.i + 1]
        if token.text == "-" and not before.whitespace_ and not token.whitespace_ \
                and before.text[:1].isupper() and after.text[:1].isupper() \
                and before.is_alpha and after.is_alpha:
            if spans and spans[-1][1] == before.i + 1:
                spans[-1] = (spans[-1][0], after.i + 1)  # "Saint-Rémy-de-Provence"
            else:
                spans.append((before.i, after.i + 1))
    with doc.retokenize() as retokenizer:
        for start, end in spans:
            retokenizer.merge(doc[start:end])


@Language.component("claimline_paragraphs")
def set_sentence_starts(doc: Doc) -> Doc:
    merge_hyphenated_names(doc)
    # one array for the whole document: setting token.is_sent_start one by one is slow
    starts = numpy.array([1] + [1 if starts_sentence(doc, t) else -1 for t in doc[1:]],
                         dtype="int64")[:len(doc)]
    doc.from_array([SENT_START], starts.astype("uint64"))
    return doc
