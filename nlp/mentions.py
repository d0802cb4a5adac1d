"""The people and organisations a document names, and what later words refer to them.

`Mentions` lists every person (a PER entity), organisation (an ORG entity, an
acronym, or a phrase such as "la préfecture du Bas-Rhin") with what the text says of
it: a role ("ministre de l'Éducation"), the common nouns that describe it
("l'hébergeur OVH", "Le SNPDEN, le syndicat qui…"), its gender, and whether it is
the subject of its clause. The speech component asks it what a pronoun ("juge-t-elle"),
a title ("le ministre"), a description ("le centre") or "ce dernier" stands for:
the nearest fitting mention, preferring the subjects of the nearest sentence.
"""

import bisect
import re
from dataclasses import dataclass, field

from spacy.tokens import Span

from claimline.nlp.lexicon import fold

PERSON_LABELS = ("PER", "PERSON")
ORG_LABELS = ("ORG", "MISC")
SUBJECT_DEPS = ("nsubj", "nsubj:pass")
# how far back a pronoun looks for its antecedent, in sentences
PRONOUN_SENTENCES = 3
RECENT_PERSON_CHARS = 400
DOMAIN = re.compile(r"^[\w-]+(?:\.[\w-]+)*\.(?:fr|com|net|org|gouv|eu|be|ch|io)$")


@dataclass
class Mention:
    start_char: int
    text: str
    kind: str                      # person, organisation
    gender: str | None = None
    number: str = "Sing"
    role: str | None = None
    nouns: set = field(default_factory=set)   # folded common nouns that describe it
    subject: int = 0               # subject_rank()
    sentence: int = 0              # index of its sentence in the document


def title_of(tokens, lexicon):
    """The role words in `tokens` ("ministre de l'Éducation nationale"), or None."""
    for i, token in enumerate(tokens):
        if fold(token.text) in lexicon.titles or fold(token.lemma_) in lexicon.titles:
            end = i + 1
            while end < len(tokens) and not tokens[end].is_punct \
                    and tokens[end].pos_ not in ("PROPN", "VERB", "AUX") \
                    and tokens[end].ent_type_ not in PERSON_LABELS:
                end += 1
            # keep "de l'Éducation nationale", "d'OVHcloud" (organisation names)
            while end < len(tokens) and tokens[end].pos_ == "PROPN" \
                    and tokens[end].ent_type_ not in PERSON_LABELS:
                end += 1
            return " ".join(" ".join(t.text for t in tokens[i:end]).replace("' ", "'").split())
    return None


def has_preposition(token):
    """'du Bas-Rhin', 'de la Jeunesse': the token is governed through a preposition."""
    return any(c.dep_ == "case" for c in token.children)


def fits_gender(mention, gender):
    """Can a word of `gender` (None: either) stand for `mention`?"""
    return gender is None or mention.gender in (None, gender)


def subject_rank(token):
    """2 if `token` (the root of a name) is the subject of its sentence's main verb, directly,
    in apposition ("Le ministre, Jean-Michel Blanquer, a…") or naming it ("Le site data.gouv
    a…"), 1 of another verb, else 0."""
    for _ in range(3):
        if token.dep_ in SUBJECT_DEPS:
            return 2 if token.head.dep_ == "ROOT" else 1
        # "Le site data.gouv a…": a name said of the subject without a preposition
        named_directly = token.dep_ in ("nmod", "amod", "compound") and not has_preposition(token)
        if token.dep_ not in ("appos", "flat:name", "conj") and not named_directly or token.head == token:
            return 0
        token = token.head
    return 0


class Mentions:
    def __init__(self, doc, lexicon):
        self.doc = doc
        self.lexicon = lexicon
        self.ents = list(doc.ents)  # doc.ents builds new spans at every call
        self.sentence_starts = [s.start_char for s in doc.sents] if doc.has_annotation("SENT_START") else [0]
        self.items = sorted(self.collect(), key=lambda m: m.start_char)
        self.items = sorted(self.items + list(self.anaphors()), key=lambda m: m.start_char)

    # -- collecting -------------------------------------------------------------

    def sentence_index(self, char):
        return max(0, bisect.bisect_right(self.sentence_starts, char) - 1)

    def gender_of(self, name_tokens, left):
        """A person's gender: from the first name, else the title or determiner before it."""
        gender = self.lexicon.first_name_gender(name_tokens[0].text) if len(name_tokens) else None
        if gender:
            return gender
        for token in reversed(left):
            folded = fold(token.text)
            if folded in self.lexicon.titles:
                if self.lexicon.titles[folded]:
                    return self.lexicon.titles[folded]
                dets = [t for t in token.children if t.pos_ == "DET" and t.morph.get("Gender")]
                if dets:
                    return dets[0].morph.get("Gender")[0]
        return None

    def describing_nouns(self, start, end):
        """Common nouns said of the name doc[start:end]: 'l'hébergeur OVH', 'X, le syndicat…'."""
        doc = self.doc
        nouns = set()
        before = [t for t in doc[max(0, start - 3):start] if not t.is_punct]
        if before and before[-1].pos_ == "NOUN":
            nouns.add(fold(before[-1].lemma_))
        after = doc[end:min(len(doc), end + 8)]
        if len(after) > 2 and after[0].text in (",", "("):
            for token in after[1:]:
                if token.pos_ == "NOUN":
                    nouns.add(fold(token.lemma_))
                    break
                if token.pos_ == "PROPN":
                    # "le Cned (Centre national d'enseignement…)": the expansion's nouns
                    nouns.update(fold(t.text) for t in after[1:] if t.pos_ in ("NOUN", "PROPN"))
                    break
                if token.pos_ not in ("DET", "ADJ", "ADP", "ADV"):
                    break
        nouns.update(fold(t.text) for t in doc[start:end] if t.is_alpha)
        return nouns

    def determiner_gender(self, token):
        children = token.children if self.doc.has_annotation("DEP") else ()
        for child in children:
            if child.pos_ == "DET" and child.morph.get("Gender"):
                return child.morph.get("Gender")[0]
        previous = token.doc[token.i - 1] if token.i > 0 else None
        if previous is not None and previous.pos_ == "DET" and previous.morph.get("Gender"):
            return previous.morph.get("Gender")[0]
        return None

    def collect(self):
        doc, lexicon = self.doc, self.lexicon
        taken = set()
        for ent in self.entities():
            if ent.label_ in PERSON_LABELS:
                left = list(doc[max(ent.sent.start, ent.start - 12):ent.start])
                right = list(doc[ent.end:min(ent.sent.end, ent.end + 8)])
                appos = right[1:] if right and right[0].text == "," else []
                role = title_of(left[-10:], lexicon) or title_of(appos[:7], lexicon)
                gender = self.gender_of(ent, left[-6:] + appos[:3])
                nouns = {fold(w) for w in (role or "").split() if fold(w) in lexicon.titles}
                taken.update(range(ent.start, ent.end))
                yield Mention(ent.start_char, ent.text, "person", gender, "Sing", role, nouns,
                              subject_rank(ent.root), self.sentence_index(ent.start_char))
            elif ent.label_ in ORG_LABELS and ent.text[:1].isupper() \
                    and not all(t.is_stop or t.pos_ == "PRON" for t in ent):
                taken.update(range(ent.start, ent.end))
                yield Mention(ent.start_char, ent.text, "organisation",
                              self.determiner_gender(ent[0]), "Sing", None,
                              self.describing_nouns(ent.start, ent.end), subject_rank(ent.root),
                              self.sentence_index(ent.start_char))
        for token in doc:
            if token.i in taken:
                continue
            if (token.is_upper and token.is_alpha and len(token) >= 3 and fold(token.text) not in lexicon.titles
                    or DOMAIN.match(token.text)) and not token.ent_type_:
                # acronyms (CNED, SNPDEN) and sites named by their domain (data.gouv)
                yield Mention(token.idx, token.text, "organisation", self.determiner_gender(token),
                              "Sing", None, self.describing_nouns(token.i, token.i + 1),
                              subject_rank(token), self.sentence_index(token.idx))
            elif token.pos_ == "NOUN" and fold(token.lemma_) in lexicon.organisation_nouns \
                    and self.named_complement(token):
                # "la préfecture du Bas-Rhin", "le parquet de Paris": a name in itself
                span = self.organisation_phrase(token)
                yield Mention(span.start_char, span.text, "organisation",
                              (token.morph.get("Gender") or [None])[0], "Sing", None,
                              {fold(token.lemma_)}, subject_rank(token),
                              self.sentence_index(span.start_char))

    def anaphors(self):
        """'La préfecture a précisé…' after 'la préfecture du Bas-Rhin', 'L'enseignante se
        tourne…' after 'Claire Lefèvre, professeure': a mention of the same organisation or
        person, so that a later 'elle' finds it in the sentence before."""
        if not self.doc.has_annotation("DEP"):
            return
        for token in self.doc:
            definite = token.pos_ == "NOUN" and any(
                c.dep_ == "det" and "Def" in c.morph.get("Definite") for c in token.children)
            # "les enseignants", "les opérateurs": several, not the one named before
            if not definite or self.named_complement(token) or token.morph.get("Number") == ["Plur"]:
                continue
            lemma, gender = fold(token.lemma_), (token.morph.get("Gender") or [None])[0]
            if lemma in self.lexicon.organisation_nouns:
                antecedent = self.described(lemma, token.idx, "organisation")
                kind = "organisation"
            elif fold(token.text) in self.lexicon.titles or lemma in self.lexicon.titles:
                gender = self.lexicon.titles.get(fold(token.text)) or gender
                antecedent = self.described(fold(token.text), token.idx, "person") \
                    or self.recent_person(token.idx, gender)
                kind = "person"
            else:
                continue
            if antecedent is not None:
                if kind == "person":
                    # "la ministre" is tagged masculine as often as not: the person's own gender counts
                    gender = antecedent.gender or gender
                yield Mention(token.idx, antecedent.text, kind, gender, "Sing", antecedent.role,
                              antecedent.nouns, subject_rank(token), self.sentence_index(token.idx))

    def entities(self):
        """The named entities, with a person split out of an organisation that swallowed it
        ("l'Education Jean-Michel Blanquer" tagged ORG: a known first name starts a person),
        and a person cut before the organisation it was tagged with ("Sophie Vénétitay du
        Snes-FSU"; "Charles de Gaulle" keeps his particle, right after the first name)."""
        for ent in self.ents:
            first = next((t for t in ent[1:] if self.lexicon.first_name_gender(t.text)
                          and t.i + 1 < ent.end and t.nbor().is_title), None)
            of = next((t for t in ent[2:] if t.lower_ in ("du", "des", "de")), None) \
                if ent.label_ in PERSON_LABELS else None
            if ent.label_ in ORG_LABELS and first is not None:
                yield Span(self.doc, ent.start, first.i, label=ent.label_)
                yield Span(self.doc, first.i, ent.end, label="PER")
            elif of is not None:
                yield Span(self.doc, ent.start, of.i, label=ent.label_)
            else:
                yield ent

    def entity_at(self, i):
        """The named entity holding token `i` (a token with an ent_type_ has one)."""
        return next(e for e in self.ents if e.start <= i < e.end)

    def persons_in(self, start_char, end_char):
        return [m for m in self.items if m.kind == "person" and start_char <= m.start_char < end_char]

    @staticmethod
    def named_complement(noun):
        """'préfecture du Bas-Rhin', 'ministère de l'Éducation': a capitalised complement."""
        return any(child.dep_ in ("nmod", "appos", "flat:name", "amod")
                   and (child.pos_ == "PROPN" or child.pos_ == "NOUN" and child.is_title)
                   for child in noun.children)

    @staticmethod
    def organisation_phrase(noun):
        """'préfecture du Bas-Rhin' from its head noun: the noun and its proper-noun complement."""
        end = noun.i
        for child in noun.children:
            if child.i > noun.i and (child.pos_ == "PROPN" or child.pos_ == "NOUN" and child.is_title) \
                    and child.dep_ in ("nmod", "appos", "flat:name", "amod"):
                end = max(end, max(t.i for t in child.subtree))
        return noun.doc[noun.i:end + 1]

    # -- resolving --------------------------------------------------------------

    def before(self, char):
        return [m for m in self.items if m.start_char < char]

    def nearest(self, candidates, at_char, sentences=None):
        """The fitting mention nearest `at_char`, preferring subjects within a sentence."""
        here = self.sentence_index(at_char)
        by_sentence = {}
        for mention in candidates:
            by_sentence.setdefault(mention.sentence, []).append(mention)
        for index in sorted(by_sentence, reverse=True):
            if sentences is not None and here - index > sentences:
                return None
            group = by_sentence[index]
            if index < here:
                # subjects first, then people (a pronoun more often stands for a person)
                return max(reversed(group), key=lambda m: (m.subject, m.kind == "person"))
            return group[-1]
        return None

    def pronoun(self, gender, number, at_char):
        """What 'il', 'elle', 'ils', 'ses dires' refer to (gender None: any)."""
        def fits(mention):
            if number == "Plur":
                return mention.kind == "organisation" or mention.number == "Plur"
            return fits_gender(mention, gender)
        candidates = [m for m in self.before(at_char) if fits(m)]
        if number != "Plur":
            # "il", "elle" stand for a person named a sentence or two before sooner than for an
            # organisation named since, unless that organisation is its sentence's subject
            persons = [m for m in candidates if m.kind == "person" or m.subject]
            return self.nearest(persons, at_char, PRONOUN_SENTENCES) \
                or self.nearest(candidates, at_char, PRONOUN_SENTENCES)
        return self.nearest(candidates, at_char, PRONOUN_SENTENCES)

    def latter(self, gender, at_char):
        """'ce dernier': the last one named."""
        candidates = [m for m in self.before(at_char) if fits_gender(m, gender)]
        return candidates[-1] if candidates else None

    def described(self, noun, at_char, kind=None):
        """'le centre', 'le ministre', 'le syndicat': the last mention that noun describes."""
        key = fold(noun)
        for mention in reversed(self.before(at_char)):
            if (kind is None or mention.kind == kind) and (
                    key in mention.nouns or any(key in fold(w) for w in (mention.role or "").split())):
                return mention
        return None

    def salient_organisation(self, at_char):
        """The organisation named most often before `at_char`, the first named on a tie:
        what 'la société' stands for when no organisation was named just before."""
        counts = {}
        for mention in self.before(at_char):
            if mention.kind == "organisation":
                counts.setdefault(fold(mention.text), [0, mention])[0] += 1
        return max(counts.values(), key=lambda c: c[0], default=[0, None])[1]

    def recent_person(self, at_char, gender=None):
        """'la proviseure' right after a woman was named is that woman; of the persons of that
        sentence, its subject ("X s'exprimait après une réunion où participaient Y et Z")."""
        recent = [m for m in self.before(at_char) if at_char - m.start_char <= RECENT_PERSON_CHARS
                  and m.kind == "person" and fits_gender(m, gender)]
        if not recent:
            return None
        same_sentence = [m for m in recent if m.sentence == recent[-1].sentence]
        return max(reversed(same_sentence), key=lambda m: m.subject)
