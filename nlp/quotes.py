"""Finding quoted spans: « », “ ”, "…", ‹ ›, including quotes split by incises.

`find_quotes` works on characters, paragraph by paragraph, so that an unbalanced
mark never swallows the rest of an article. The `claimline_quotes` component turns
the result into `doc.spans["quotes"]`, labelled `quote` (words someone said) or
`name` (a quoted title, slogan or single term, which is not a statement).
"""

from spacy.language import Language
from spacy.tokens import Doc

from nlp.lexicon import fold, load_lexicon

PAIRS = {"«": "»", "“": "”", "‹": "›", "„": "“", '"': '"'}
MAX_QUOTE_CHARS = 2500


def find_quotes(text):
    """[(start, end)] character offsets of the inside of each outermost quote."""
    quotes = []
    offset = 0
    for paragraph in text.split("\n"):
        opener = closer = None
        depth = 0
        start = 0
        for i, char in enumerate(paragraph):
            if opener is None:
                if char in PAIRS:
                    opener, closer, depth, start = char, PAIRS[char], 1, i + 1
            elif char == closer and (closer != opener or depth == 1):
                depth -= 1
                if depth == 0:
                    if 0 < i - start <= MAX_QUOTE_CHARS:
                        quotes.append((offset + start, offset + i))
                    opener = None
            elif char == opener:
                depth += 1
        offset += len(paragraph) + 1
    return [(s, e) for s, e in quotes if text[s:e].strip()]


def is_name_like(span, lexicon):
    """A quoted title, term or slogan rather than speech."""
    words = [t for t in span if not t.is_punct and not t.is_space]
    if len(words) <= 1:
        return True
    before = [t for t in span.doc[max(0, span.start - 3):span.start] if not t.is_punct]
    if before and fold(before[-1].text) in lexicon.naming_cues and len(words) <= 6:
        return True
    if len(words) <= 6 and all(w.text[:1].isupper() or not w.is_alpha or w.is_stop for w in words) \
            and words[0].text[:1].isupper() and sum(w.text[:1].isupper() for w in words) >= 2:
        # "Ma Classe à la Maison": a capitalised name, not a sentence
        return not any(t.pos_ in ("VERB", "AUX") for t in words)
    return False


@Language.factory("claimline_quotes", assigns=["doc.spans"], default_config={"lang": "fr"})
def make_quotes(nlp, name, lang):
    return QuoteFinder(lang)


class QuoteFinder:
    def __init__(self, lang):
        self.lexicon = load_lexicon(lang)

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for start, end in find_quotes(doc.text):
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is None or len(span) == 0:
                continue
            label = "name" if is_name_like(span, self.lexicon) else "quote"
            spans.append(doc.char_span(span.start_char, span.end_char, label=label))
        doc.spans["quotes"] = spans
        return doc
