"""What a statement asserts: blame, denial, cyberattack, outage report, restoration…

The `claimline_claims` component types each statement of `doc._.statements` from
the lexicon's claim verbs (the reporting verb) and cue phrases (the words said),
and names the target of a blame or denial as written (the actor stage resolves it).
"""

import re

from spacy.language import Language
from spacy.tokens import Doc

from claimline.nlp.lexicon import fold, load_lexicon

# When several types match, the first listed is the statement's main claim.
CLAIM_ORDER = ["denial", "blame", "cyberattack", "complaint_filed", "investigation", "restoration",
               "outage_report", "reassurance", "demand", "criticism", "figures"]
TARGETED = ("blame", "denial")


def cue_pattern(cue):
    """A cue is a word or the start of one: "démen" finds "démenti", not "rapidement"."""
    return re.compile((r"(?<!\w)" if cue[:1].isalnum() else "") + re.escape(cue))


@Language.factory("claimline_claims", assigns=["doc._.statements"], default_config={"lang": "fr"})
def make_claims(nlp, name, lang):
    return ClaimTagger(lang)


class ClaimTagger:
    def __init__(self, lang):
        self.lexicon = load_lexicon(lang)
        self.cue_patterns = {t: [(c, cue_pattern(c)) for c in cues]
                             for t, cues in self.lexicon.claim_cues.items()}

    def claim_types(self, text, verb):
        folded = fold(text)
        verb = fold(verb or "")
        found = []
        for claim_type in CLAIM_ORDER:
            by_verb = verb in self.lexicon.claim_verbs.get(claim_type, ())
            # a cue's pattern matches only where the cue is: `in` rules most out, far faster
            cue = next((c for c, p in self.cue_patterns.get(claim_type, ())
                        if c in folded and p.search(folded)), None)
            if by_verb or cue:
                found.append((claim_type, verb if by_verb else cue))
        if any(t == "denial" for t, _ in found):
            found = [(t, c) for t, c in found if t != "blame"]
        return found

    def target_of(self, doc, statement):
        """The first name-like phrase of the statement other than its speaker."""
        span = doc.char_span(statement.start_char, statement.end_char, alignment_mode="expand")
        if span is None:
            return None
        speaker = fold(statement.speaker_text or "")
        for ent in span.ents:
            if ent.label_ in ("ORG", "MISC", "PER", "PERSON") and fold(ent.text) not in speaker:
                return ent.text
        for token in span:
            if (token.pos_ == "PROPN" or (token.is_upper and len(token) > 2)) \
                    and fold(token.text) not in speaker:
                return token.text
        return None

    def __call__(self, doc: Doc) -> Doc:
        for statement in doc._.statements or []:
            statement.claims = []
            for claim_type, cue in self.claim_types(statement.text, statement.reporting_verb):
                target = self.target_of(doc, statement) if claim_type in TARGETED else None
                statement.claims.append({
                    "claim_type": claim_type, "cue": cue, "target_text": target,
                    "polarity": -1 if claim_type == "denial" else 1,
                })
        return doc
