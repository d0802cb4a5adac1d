"""Parse only where a statement can be.

Parsing is most of the cost of analysis. A paragraph with no quote mark, no reporting
verb, no source marker ("selon") and no time word holds no statement and dates none,
so it is left out before the pipeline runs, unless it comes right before a kept one
(where a pronoun finds its antecedent). `Excerpt` keeps the paragraphs to parse and
maps offsets in its text back to the full document.
"""

import bisect
import functools
import re

from claimline.nlp.lexicon import fold_chars, load_lexicon

QUOTE_MARKS = "«»“”„‹›\""
# below this share of text left out, parse the whole document: nothing to gain
MIN_SKIPPED_SHARE = 0.1
# conjugated forms after a verb stem ("declar" + "e", "ait", "ent"), accents folded
VERB_ENDINGS = r"(?:e|es|ent|er|ee|ees|es|ons|ez|ait|aient|ant|a|era|erait|i|ie|is|it|u|ue)"


@functools.lru_cache(maxsize=None)
def cue_pattern(lang):
    """A regex finding any cue of a statement or a date in folded text."""
    lexicon = load_lexicon(lang)
    # "pour X," is a source only at the start of a sentence with a comma: too common a word
    markers = set(lexicon.source_markers) - {"pour"}
    # "a fait savoir", "a laissé entendre": the first word is conjugated, the rest is not
    verb_tails = {v.split(" ", 1)[1] for v in lexicon.reporting_verbs
                  if " " in v and not v.startswith(("s'", "se "))}
    words = set(lexicon.reporting_verbs) | verb_tails | markers | set(lexicon.weekdays) \
        | set(lexicon.months) | set(lexicon.relative_days) | set(lexicon.cue_words)
    alternatives = sorted((re.escape(w) for w in words), key=len, reverse=True)
    stems = sorted((re.escape(s) for s in lexicon.verb_stems), key=len, reverse=True)
    return re.compile(rf"[{re.escape(QUOTE_MARKS)}]|\b(?:{'|'.join(alternatives)})\b"
                      rf"|\b(?:{'|'.join(stems)}){VERB_ENDINGS}\b")


class Excerpt:
    """The paragraphs of `text` worth parsing, joined, with the way back to `text`."""

    def __init__(self, text, lang, whole=False):
        paragraphs, offset = [], 0
        for paragraph in text.split("\n"):
            paragraphs.append((offset, paragraph))
            offset += len(paragraph) + 1
        pattern = cue_pattern(lang)
        wanted = set(range(len(paragraphs))) if whole else {
            i for i, (_, paragraph) in enumerate(paragraphs) if pattern.search(fold_chars(paragraph))}
        wanted |= {i - 1 for i in wanted if i > 0}
        skipped = sum(len(p) + 1 for i, (_, p) in enumerate(paragraphs) if i not in wanted)
        if skipped < MIN_SKIPPED_SHARE * len(text):
            wanted = set(range(len(paragraphs)))
        kept = [paragraphs[i] for i in sorted(wanted)]
        self.text = "\n".join(p for _, p in kept)
        self.starts, self.originals, position = [], [], 0
        for start, paragraph in kept:
            self.starts.append(position)
            self.originals.append(start)
            position += len(paragraph) + 1

    def original(self, offset):
        """The offset in the full text of `offset` in the excerpt."""
        i = max(0, bisect.bisect_right(self.starts, offset) - 1)
        return self.originals[i] + offset - self.starts[i] if self.starts else offset
