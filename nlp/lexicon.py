"""The cue lexicons (lexicons/<lang>.yml, shipped in the package), loaded once per language."""

import functools
import re
import unicodedata
from importlib import resources

import yaml

LEXICON_DIR = resources.files("claimline.nlp") / "lexicons"


@functools.lru_cache(maxsize=65536)
def fold(text):
    """Lowercase, accents removed, typographic apostrophes straightened: for matching."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", text.replace("’", "'").lower()).strip()


class FoldedChars(dict):
    """str.translate table folding one character to one: 'É' → 'e', '’' → "'"."""

    def __missing__(self, code):
        char = chr(code)
        base = unicodedata.normalize("NFKD", char)
        base = "".join(c for c in base if not unicodedata.combining(c)) or char
        folded = "'" if char == "’" else base[0].lower()
        self[code] = folded
        return folded


FOLDED_CHARS = FoldedChars()


def fold_chars(text):
    """Like `fold`, character by character, keeping offsets (no whitespace folding)."""
    return text.translate(FOLDED_CHARS)


class Lexicon:
    def __init__(self, data):
        self.data = data
        self.reporting_verbs = {fold(v) for v in data.get("reporting_verbs", [])}
        # "s'indigne" is lemmatised "indigner": reflexive verbs match without their pronoun
        self.reporting_verbs |= {re.sub(r"^(?:s'|se )", "", v) for v in self.reporting_verbs}
        self.source_markers = [fold(v) for v in data.get("source_markers", [])]
        self.not_speakers = {fold(v) for v in data.get("not_speakers", [])}
        self.naming_cues = {fold(v) for v in data.get("naming_cues", [])}
        self.organisation_nouns = {fold(v) for v in data.get("organisation_nouns", [])}
        self.generic_organisation_nouns = {fold(v) for v in data.get("generic_organisation_nouns", [])}
        self.medium_nouns = {fold(v) for v in data.get("medium_nouns", [])}
        self.speech_nouns = {fold(v) for v in data.get("speech_nouns", [])}
        self.object_speech_verbs = {fold(v) for v in data.get("object_speech_verbs", [])}
        self.latter_words = {fold(v) for v in data.get("latter_words", [])}
        self.impersonal_source_verbs = {fold(v) for v in data.get("impersonal_source_verbs", [])}
        self.impersonal_source_markers = [fold(v) for v in data.get("impersonal_source_markers", [])]
        self.pronouns = {fold(k): v for k, v in (data.get("pronouns") or {}).items()}
        self.titles = {fold(k): v for k, v in (data.get("titles") or {}).items()}
        self.preposition_roles = {fold(k): v for k, v in (data.get("preposition_roles") or {}).items()}
        self.determiners = {fold(v) for v in data.get("determiners", [])}
        self.relative_days = {fold(k): v for k, v in (data.get("relative_days") or {}).items()}
        self.narrative_days = {fold(k) for k in data.get("narrative_days", [])}
        self.parts_of_day = {fold(k): v for k, v in (data.get("parts_of_day") or {}).items()}
        self.weekdays = [fold(w) for w in data.get("weekdays", [])]
        self.months = [fold(m) for m in data.get("months", [])]
        self.duration_markers = [fold(m) for m in data.get("duration_markers", [])]
        self.not_clause_starts = {fold(w) for w in data.get("not_clause_starts", [])}
        self.complementizers = {fold(w) for w in data.get("complementizers", [])}
        self.as_reported_marks = {fold(w) for w in data.get("as_reported_marks", [])}
        self.verb_modifiers = {fold(w) for w in data.get("verb_modifiers", [])}
        self.cue_words = {fold(w) for w in data.get("cue_words", [])}
        self.past_markers = [fold(m) for m in data.get("past_markers", [])]
        self.claim_verbs = {t: {fold(v) for v in vs}
                            for t, vs in (data.get("claim_verbs") or {}).items()}
        self.claim_cues = {t: [fold(c) for c in cs]
                           for t, cs in (data.get("claim_cues") or {}).items()}
        self.first_names = {fold(n): gender for gender, names in
                            (data.get("first_names") or {}).items() for n in names}
        # "juge" in "juge-t-elle" is often tagged as a noun: match verb stems too.
        self.verb_stems = {v[:-2] for v in self.reporting_verbs
                           if v.endswith(("er", "ir", "re")) and " " not in v and len(v) > 4}

    def first_name_gender(self, word):
        """The gender of a known first name, a compound one's from its first part
        ("Marie-Laure", "Jean-Baptiste"); None when the word is no known first name."""
        folded = fold(word)
        return self.first_names.get(folded) or self.first_names.get(folded.split("-")[0]) \
            if folded else None

    def is_reporting_verb(self, token):
        return self.is_reporting_word(token.lemma_, token.text, token.pos_)

    @functools.lru_cache(maxsize=65536)
    def is_reporting_word(self, lemma, text, pos):
        if fold(lemma) in self.reporting_verbs or fold(text) in self.reporting_verbs:
            return True
        text = fold(text)
        return pos in ("VERB", "NOUN", "ADJ", "PROPN") and any(
            text.startswith(stem) and len(text) - len(stem) <= 4 for stem in self.verb_stems)


class LexiconError(ValueError):
    pass


def check_entries(value, where):
    """Every listed entry and every key is a non-empty string: YAML reads an unquoted
    `false`, `no` or `null` as something else, and a cue that folds to "" would match
    every text."""
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str) or not key.strip():
                raise LexiconError(f"{where}: key {key!r} is not a non-empty string (quote it)")
            check_entries(item, f"{where}.{key}")
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, (dict, list)):
                check_entries(item, where)
            elif not isinstance(item, str) or not item.strip():
                raise LexiconError(f"{where}: entry {item!r} is not a non-empty string (quote it)")


def read_lexicon(path):
    """The lexicon of a file: a Path or a resource of the installed package."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise LexiconError(f"{path}: expected a mapping of lexicon names")
    for name, entries in data.items():
        try:
            check_entries(entries, name)
        except LexiconError as error:
            raise LexiconError(f"{path.name}: {error}") from None
    return Lexicon(data)


@functools.lru_cache(maxsize=None)
def load_lexicon(lang):
    path = LEXICON_DIR / f"{lang}.yml"
    if not path.is_file():
        path = LEXICON_DIR / "fr.yml"
    return read_lexicon(path)
