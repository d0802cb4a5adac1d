"""Which mention is the speaker: a trained ranker over the candidates around a statement.

The rules of `claimline_speech` propose one speaker per statement; they are right most of
the time but take the outlet a minister spoke to, a place, or a bare title for the speaker.
The `claimline_speakers` component lists the candidates around each statement (the rule's
choice, the people and organisations named in its sentence and the two before it and
the one after), describes each with a few features (the rule chose it, its kind and
entity label, where it stands, its preposition, whether it is the page's own site...),
and keeps the candidate a conditional logit model scores highest.

The weights are trained on the shared corpus by `claimline train` (`claimline/train.py`)
and ship in `weights/speakers.json`; `weights/README.md` says how they were made. Ranking
is opt-in (CLAIMLINE_SPEAKER_WEIGHTS=shipped, or the path of other weights): trained on
the other incidents, it gains on five held-out incidents of six, but costs the April 2021
case two statements and `tests/gold/` a tenth of its F1 (`benchmarks/README.md`). Without
weights the component does nothing, unless asked to `record` the candidates and their
features, which is what training reads (`claimline.train.speaker_examples`).
"""

import json
import math
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from claimline.nlp.lexicon import fold, load_lexicon
from claimline.nlp.mentions import PERSON_LABELS
from claimline.nlp.speaker_phrases import SpeakerPhrases
from claimline.nlp.statements import clean_text

# sentences before and after the statement's own where a speaker is looked for
SENTENCES_BEFORE = 2
SENTENCES_AFTER = 1
NEAR_CHARS = 80
# tokens between a name and the reporting verb it is the subject of ("X a déclaré", "said X")
REPORTING_WINDOW = 3
WEIGHTS = resources.files("claimline.nlp") / "weights" / "speakers.json"

for _name in ("site", "outlets"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


@dataclass
class Candidate:
    text: str
    role: str | None
    features: dict


def weights_file():
    """The weights to rank with, from CLAIMLINE_SPEAKER_WEIGHTS: a path, 'shipped' for
    `weights/speakers.json`; unset or 'none', the rules' choice stands."""
    chosen = os.environ.get("CLAIMLINE_SPEAKER_WEIGHTS", "none")
    if chosen == "none":
        return None
    return WEIGHTS if chosen == "shipped" else Path(chosen)


def load_weights(path):
    return json.loads(path.read_text(encoding="utf-8"))["weights"] if path is not None else None


@Language.factory("claimline_speakers", assigns=["doc._.statements"], default_config={"lang": "fr"})
def make_speakers(nlp, name, lang):
    return SpeakerRanker(lang, load_weights(weights_file()))


def squeeze(text):
    return "".join(ch for ch in fold(text) if ch.isalnum())


def is_named(text, names):
    """Is `text` one of `names` ('franceinfo' of 'franceinfo.fr', 'France Info')?"""
    text = squeeze(text)
    return len(text) > 2 and any(text in squeeze(name) or squeeze(name) in text
                                 for name in names or () if len(squeeze(name)) > 2)


def is_fuller_name(name, shorter):
    """'Helen Parker' of 'Parker': more capitalised words around the same name (not
    'prestataire Datacime' of 'Datacime')."""
    if not shorter or fold(shorter) not in fold(name) or fold(shorter) == fold(name):
        return False
    extra = fold(name).replace(fold(shorter), " ").split()
    return all(word[:1].isupper() for word in name.split() if fold(word) in extra)


def score(features, weights):
    return sum(weights.get(name, 0.0) * value for name, value in features.items())


class SpeakerRanker:
    def __init__(self, lang, weights):
        self.lexicon = load_lexicon(lang)
        self.speaker_phrases = SpeakerPhrases(self.lexicon)
        self.weights = weights
        self.record = False   # list the candidates even without weights (training)

    def __call__(self, doc: Doc) -> Doc:
        if not (self.weights or self.record):
            return doc   # the rules' choice stands: no candidates to weigh
        statements = doc._.statements or []
        spans = {}
        for statement in statements:
            spans.setdefault((statement.start_char, statement.end_char), []).append(statement)
        for statement in statements:
            # posts and press releases speak for their account or organisation; "X et Y ont
            # dit…" gives each its statement
            owned = doc._.owner and fold(statement.speaker_text or "") == fold(doc._.owner)
            if statement.kind == "post" or owned or len(spans[statement.start_char, statement.end_char]) > 1:
                continue
            statement.candidates = self.candidates(doc, statement, statements)
            if self.weights and statement.candidates:
                best = max(statement.candidates, key=lambda c: score(c.features, self.weights))
                # a winner that is the rule's choice keeps the rule's words, unless it is a
                # fuller name ("Director General Willie" -> "… Willie Walsh")
                if not best.features.get("rule") or is_fuller_name(best.text, statement.speaker_text):
                    statement.speaker_text, statement.speaker_role = best.text, best.role or statement.speaker_role
        return doc

    # -- candidates ---------------------------------------------------------------

    def mentions_around(self, doc, statement):
        """(start_char, text, role, kind, subject) of the names near the statement."""
        mentions = doc._.mentions
        first = mentions.sentence_index(statement.start_char) - SENTENCES_BEFORE
        last = mentions.sentence_index(max(statement.start_char, statement.end_char - 1)) + SENTENCES_AFTER
        found = [(m.start_char, m.text, m.role, m.kind, m.subject)
                 for m in mentions.items if first <= m.sentence <= last]
        if not doc.has_annotation("ENT_IOB"):
            # no entity recogniser for this language: capitalised runs stand for names
            sents = list(doc.sents)
            start = sents[max(first, 0)].start
            end = sents[min(last, len(sents) - 1)].end
            for run in self.speaker_phrases.name_runs(doc, start, end):
                found.append((run.start_char, clean_text(run.text), None, None, 0))
        return found

    def candidates(self, doc, statement, statements):
        rule = fold(statement.speaker_text or "")
        previous = next((s for s in reversed(statements) if s.end_char <= statement.start_char), None)
        mentions = doc._.mentions
        here = mentions.sentence_index(statement.start_char)
        around = self.mentions_around(doc, statement)
        counts = {}
        for _, text, *_ in around:
            counts[fold(text)] = counts.get(fold(text), 0) + 1
        by_text = {}
        for start, text, role, kind, subject in around:
            features = self.features(doc, statement, here, start, text, role, kind, subject)
            features["repeated"] = math.log(counts[fold(text)])
            features["previous_speaker"] = float(previous is not None
                                                 and fold(previous.speaker_text or "") == fold(text))
            key = fold(text)
            # "syndicat SNPDEN" is the rule's "le syndicat SNPDEN"
            features["rule"] = float(bool(rule) and len(key) > 2 and (key in rule or rule in key))
            # a name stands by its mention nearest the statement: in its sentence first
            nearness = (abs(mentions.sentence_index(start) - here), features["distance"])
            if key not in by_text or nearness < by_text[key][0]:
                by_text[key] = (nearness, Candidate(text, role, features))
        by_text = {key: candidate for key, (_, candidate) in by_text.items()}
        if rule and not any(c.features["rule"] for c in by_text.values()):
            by_text[rule] = Candidate(statement.speaker_text, statement.speaker_role, {
                "rule": 1.0, "unnamed": 1.0, "title_only": float(self.is_title_only(statement.speaker_text)),
                "owner": float(fold(doc._.owner or "") == rule), "site": float(is_named(rule, doc._.site)),
                "outlet": float(is_named(rule, doc._.outlets))})
        for candidate in by_text.values():
            candidate.features["rule_confidence"] = statement.confidence if candidate.features.get("rule") else 0.0
        return list(by_text.values())

    def features(self, doc, statement, here, start, text, role, kind, subject):
        """The features of the name `text` at `start`, for `statement` of sentence `here`."""
        there = doc._.mentions.sentence_index(start)
        end = start + len(text)
        inside = statement.start_char <= start < statement.end_char
        distance = 0 if inside else (statement.start_char - end if end <= statement.start_char
                                     else start - statement.end_char)
        token = doc.char_span(start, start + 1, alignment_mode="expand")
        token = token[0] if token is not None and len(token) else None
        label = token.ent_type_ if token is not None else ""
        features = {
            "person": float(kind == "person" or label in PERSON_LABELS),
            "organisation": float(kind == "organisation"),
            f"label_{label or 'none'}": 1.0,
            "has_role": float(bool(role)),
            "title_only": float(self.is_title_only(text)),
            "one_word": float(len(text.split()) == 1),
            "subject_main": float(subject == 2),
            "subject_other": float(subject == 1),
            "inside": float(inside),
            "before": float(not inside and end <= statement.start_char),
            "near": float(not inside and 0 <= distance <= NEAR_CHARS),
            "distance": math.log1p(max(distance, 0) / 20),
            f"sentence_{max(-SENTENCES_BEFORE, min(there - here, SENTENCES_AFTER))}": 1.0,
            "owner": float(bool(doc._.owner) and fold(doc._.owner) == fold(text)),
            "site": float(is_named(text, doc._.site)),
            "outlet": float(is_named(text, doc._.outlets)),
            "sentence_start": float(token is not None and token.is_sent_start),
        }
        preposition = self.preposition_before(doc, token)
        if preposition:
            features[f"after_{preposition}"] = 1.0
        name = doc.char_span(start, min(end, len(doc.text)), alignment_mode="expand")
        if name is not None and len(name):
            features.update(self.speaking(doc, name))
        return features

    def speaking(self, doc, name):
        """Is the name next to a reporting verb ("a déclaré X", "X said"), or its subject?"""
        reporting = self.lexicon.is_reporting_verb
        after = doc[name.end:min(name.end + REPORTING_WINDOW, len(doc))]
        before = doc[max(0, name.start - REPORTING_WINDOW):name.start]
        root = name.root
        return {"reporting_after": float(any(reporting(t) for t in after)),
                "reporting_before": float(any(reporting(t) for t in before)),
                "reporting_subject": float(root.dep_ in ("nsubj", "nsubj:pass") and reporting(root.head))}

    def preposition_before(self, doc, token):
        """The role of the preposition governing the name ("à l'AFP": addressee), if any."""
        if token is None:
            return None
        i = token.i - 1
        while i >= 0 and fold(doc[i].text) in self.lexicon.determiners:
            i -= 1
        return self.lexicon.preposition_roles.get(fold(doc[i].text)) if i >= 0 else None

    def is_title_only(self, text):
        words = [fold(w) for w in text.replace("'", " ").split()]
        return bool(words) and any(w in self.lexicon.titles for w in words) and all(
            w in self.lexicon.titles or len(w) <= 3 or not w[:1].isalpha() for w in words)

