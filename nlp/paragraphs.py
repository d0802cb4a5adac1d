"""Paragraph boundaries are sentence boundaries.

Runs before the parser, which respects sentence starts set earlier: an embedded
post or a heading is never glued to the next paragraph.
"""

from spacy.language import Language
from spacy.tokens import Doc


@Language.component("claimline_paragraphs")
def set_paragraph_starts(doc: Doc) -> Doc:
    for token in doc[1:]:
        if "\n" in doc[token.i - 1].text or "\n" in doc[token.i - 1].whitespace_:
            token.is_sent_start = True
    return doc
