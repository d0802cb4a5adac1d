"""Finding quoted spans: « », “ ”, "…", ‹ ›, including quotes split by incises.

`find_quotes` works on characters, paragraph by paragraph, so that an unbalanced
mark never swallows the rest of an article. The `claimline_quotes` component turns
the result into `doc.spans["quotes"]`, labelled `quote` (words someone said) or
`name` (a quoted title, slogan or single term, which is not a statement).
"""

from spacy.language import Language
from spacy.tokens import Doc

from claimline.nlp.lexicon import fold, load_lexicon
from claimline.nlp.paragraphs import text_of

PAIRS = {"«": "»", "“": "”", "‹": "›", "„": "“", '"': '"', "‘": "’"}
# "’" is also the apostrophe ("it’s"): it closes a quote only where a closing mark can be
APOSTROPHE_CLOSERS = ("’",)
CLOSERS = ("»", "”", "›", '"')
MAX_QUOTE_CHARS = 2500
SENTENCE_ENDS = (". ", "! ", "? ", ": ")


def closes(paragraph, i):
    """Does the mark at i close a quote: glued to the word before, followed by a space or punctuation?"""
    before = paragraph[i - 1] if i > 0 else " "
    after = paragraph[i + 1] if i + 1 < len(paragraph) else " "
    return not before.isspace() and (after.isspace() or after in ",.;:!?)»”…")


def sentence_start(paragraph, i):
    start = max(paragraph.rfind(end, 0, i) for end in SENTENCE_ENDS)
    start = 0 if start < 0 else start + 2
    while start < i and paragraph[start].isspace():
        start += 1
    return start


def paragraph_quotes(paragraph):
    """(start, end) of each outermost quote of one paragraph, tolerating real-world typos:
    a closing mark with no opening one quotes its sentence up to there; “…“ closes with
    the opening mark; an opening mark never closed quotes the rest of the paragraph."""
    found = []
    opener = closer = None
    depth = start = 0
    for i, char in enumerate(paragraph):
        if opener is None:
            if char in CLOSERS and closes(paragraph, i):
                found.append((sentence_start(paragraph, i), i))
            elif char in PAIRS:
                opener, closer, depth, start = char, PAIRS[char], 1, i + 1
        elif char == closer and (closer != opener or depth == 1) \
                and (closer not in APOSTROPHE_CLOSERS or closes(paragraph, i)) or (
                char == opener == "“" and depth == 1 and closes(paragraph, i)):
            depth -= 1
            if depth == 0:
                found.append((start, i))
                opener = None
        elif char == opener:
            depth += 1
    if opener is not None:
        found.append((start, len(paragraph)))
    return [(s, e) for s, e in found if 0 < e - s <= MAX_QUOTE_CHARS]


def find_quotes(text):
    """[(start, end)] character offsets of the inside of each outermost quote."""
    quotes = []
    offset = 0
    for paragraph in text.split("\n"):
        quotes += [(offset + s, offset + e) for s, e in paragraph_quotes(paragraph)]
        offset += len(paragraph) + 1
    return [(s, e) for s, e in quotes if text[s:e].strip()]


def is_name_like(span, lexicon):
    """A quoted title, term or slogan rather than speech."""
    words = [t for t in span if not t.is_punct and not t.is_space]
    if len(words) <= 1:
        return True
    before = [t for t in span.doc[max(0, span.start - 3):span.start] if not t.is_punct]
    if before and fold(before[-1].text) in lexicon.naming_cues and len(words) <= 6 \
            and words[0].text[:1].isupper():
        # "la plateforme « Mon école en ligne »", not "un dispositif « pas au point »"
        return True
    if len(words) <= 6 and words[0].text[:1].isupper() and not span[-1].is_punct \
            and not any(t.pos_ in ("VERB", "AUX") for t in words):
        # "Mon école en ligne": a capitalised title, not a sentence (which would end
        # with its punctuation or have a verb: « Des dysfonctionnements graves. »)
        return True
    return False


@Language.factory("claimline_quotes", assigns=["doc.spans"], default_config={"lang": "fr"})
def make_quotes(nlp, name, lang):
    return QuoteFinder(lang)


class QuoteFinder:
    def __init__(self, lang):
        self.lexicon = load_lexicon(lang)

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for start, end in find_quotes(text_of(doc)):
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is None or len(span) == 0:
                continue
            label = "name" if is_name_like(span, self.lexicon) else "quote"
            spans.append(doc.char_span(span.start_char, span.end_char, label=label))
        doc.spans["quotes"] = spans
        return doc
