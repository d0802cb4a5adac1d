"""Who said what: direct quotes and reported speech, each with its speaker.

The `claimline_speech` component reads the quotes found by `claimline_quotes` and
the dependency parse, and writes `doc._.statements`, a list of `Statement`:

- a quote is attributed by its incise ("», a-t-il ajouté", "», déclare le CNED"),
  by a reporting verb or a "selon X" before it in its sentence, by a sentence
  ending in ":" just before it, or, for a paragraph that is all quote, by the
  speaker of the paragraph before;
- reported speech is a reporting verb with a que-clause, an infinitive or an
  object ("a assuré que…", "a assuré n'être aucunement responsable", "récuse toute
  responsabilité"), or a clause introduced by "selon X";
- pronoun speakers ("juge-t-elle") and bare titles ("le ministre") are resolved to
  the last person or organisation mentioned before that fits their gender;
- in a press release, the paragraphs nobody else is quoted in are the owner's.
"""

from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc

from nlp.lexicon import fold, load_lexicon

SPEAKER_MAX_TOKENS = 14
INCISE_WINDOW = 5
MIN_STATEMENT_WORDS = 2
QUOTED_SHARE_FOR_DIRECT = 0.5
CLAUSE_DEPS = ("ccomp", "xcomp")
OBJECT_SPEECH_VERBS = {
    "evoquer", "denoncer", "annoncer", "dementir", "recuser", "nier", "confirmer", "reconnaitre",
    "promettre", "reclamer", "deplorer", "regretter", "contester", "signaler", "critiquer",
    "accuser", "mettre en cause", "fustiger", "reprocher", "admettre", "avouer", "revendiquer",
}
SPEAKER_CUT_DEPS = {"acl:relcl", "acl", "advcl", "ccomp", "xcomp", "conj", "cc", "parataxis",
                    "dep", "obl:mod", "obl", "advmod"}
PERSON_LABELS = ("PER", "PERSON")
ORG_LABELS = ("ORG", "MISC")

for _name in ("statements", "published_at", "document_kind", "owner", "mentions"):
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


@dataclass
class Mention:
    start_char: int
    text: str
    kind: str                      # person, organisation
    gender: str | None = None
    number: str = "Sing"
    role: str | None = None


def clean_text(text):
    return " ".join(text.strip(" \n\t,;:").split())


def word_count(span_or_tokens):
    return sum(1 for t in span_or_tokens if not t.is_punct and not t.is_space)


@Language.factory("claimline_speech", assigns=["doc._.statements"], default_config={"lang": "fr"})
def make_speech(nlp, name, lang):
    return SpeechFinder(lang)


class SpeechFinder:
    def __init__(self, lang):
        self.lexicon = load_lexicon(lang)

    # -- mentions and resolution ----------------------------------------------

    def title_of(self, tokens):
        """The role words in `tokens` ("le ministre de l'Éducation nationale"), or None."""
        for i, token in enumerate(tokens):
            if fold(token.text) in self.lexicon.titles or fold(token.lemma_) in self.lexicon.titles:
                end = i + 1
                while end < len(tokens) and not tokens[end].is_punct \
                        and tokens[end].pos_ not in ("PROPN", "VERB", "AUX") \
                        and not (tokens[end].ent_type_ in PERSON_LABELS):
                    end += 1
                # keep "de l'Éducation nationale", "d'OVHcloud" (organisation names)
                while end < len(tokens) and tokens[end].pos_ == "PROPN" \
                        and tokens[end].ent_type_ not in PERSON_LABELS:
                    end += 1
                return clean_text(" ".join(t.text for t in tokens[i:end]).replace("' ", "'"))
        return None

    def gender_of(self, name_tokens, left):
        """A person's gender: from the first name, else the title or determiner before it."""
        first = fold(name_tokens[0].text) if len(name_tokens) else ""
        if first in self.lexicon.first_names:
            return self.lexicon.first_names[first]
        for token in reversed(left):
            folded = fold(token.text)
            if folded in self.lexicon.titles:
                if self.lexicon.titles[folded]:
                    return self.lexicon.titles[folded]
                dets = [t for t in token.children if t.pos_ == "DET" and t.morph.get("Gender")]
                if dets:
                    return dets[0].morph.get("Gender")[0]
        return None

    def collect_mentions(self, doc):
        mentions = []
        for ent in doc.ents:
            if ent.label_ in PERSON_LABELS:
                left = list(doc[max(ent.sent.start, ent.start - 8):ent.start])
                right = list(doc[ent.end:min(ent.sent.end, ent.end + 8)])
                appos = right[1:] if right and right[0].text == "," else []
                role = self.title_of(left[-6:]) or self.title_of(appos[:7])
                gender = self.gender_of(ent, left[-6:] + appos[:3])
                mentions.append(Mention(ent.start_char, ent.text, "person", gender, "Sing", role))
            elif ent.label_ in ORG_LABELS and ent.text[:1].isupper():
                mentions.append(Mention(ent.start_char, ent.text, "organisation"))
        for token in doc:
            if token.is_upper and token.is_alpha and len(token) >= 3 and not token.ent_type_:
                mentions.append(Mention(token.idx, token.text, "organisation"))
        return sorted(mentions, key=lambda m: m.start_char)

    def resolve_pronoun(self, doc, pronoun, before_char):
        info = self.lexicon.pronouns.get(fold(pronoun).lstrip("-").replace("t-", ""))
        if not info:
            return None
        candidates = [m for m in doc._.mentions if m.start_char < before_char]
        for mention in reversed(candidates):
            if info["number"] == "Plur":
                if mention.kind == "organisation":
                    return mention
                continue
            if mention.kind == "person" and mention.gender in (None, info["gender"]):
                return mention
            if mention.kind == "organisation" and info["gender"] == "Fem" and mention.gender is None:
                continue
        return None

    def resolve_title(self, doc, title_words, before_char):
        """'le ministre' → the last person introduced with that title."""
        key = fold(title_words)
        for mention in reversed([m for m in doc._.mentions if m.start_char < before_char]):
            if mention.kind == "person" and mention.role and any(
                    word in fold(mention.role) for word in key.split() if word in self.lexicon.titles):
                return mention
        return None

    def name_run(self, doc, start, end):
        """The first run of capitalised words in doc[start:end] (no-parser languages)."""
        run = []
        for token in doc[start:min(end, len(doc))]:
            if token.is_title or (token.is_upper and len(token) > 1):
                run.append(token)
            elif run:
                break
        return doc[run[0].i:run[-1].i + 1] if run else None

    def is_time_word(self, token):
        """'mardi', 'matin', 'hier': not an inverted subject ("a assuré mardi matin X")."""
        folded = fold(token.text)
        lexicon = self.lexicon
        return (folded in lexicon.weekdays or folded in lexicon.parts_of_day
                or folded in lexicon.months or folded in lexicon.relative_days or token.like_num)

    def recent_person(self, doc, before_char, within_chars=400):
        """'le dirigeant' right after a person was named is that person."""
        for mention in reversed([m for m in doc._.mentions if m.start_char < before_char]):
            if before_char - mention.start_char > within_chars:
                return None
            if mention.kind == "person":
                return mention
        return None

    # -- speakers ---------------------------------------------------------------

    def noun_phrase(self, head):
        """The speaker phrase headed by `head`, without relative clauses and the like."""
        tokens = [head]
        stack = list(head.children)
        while stack:
            child = stack.pop()
            if child.dep_ in SPEAKER_CUT_DEPS:
                continue
            tokens.append(child)
            stack.extend(child.children)
        tokens.sort(key=lambda t: t.i)
        # contiguous run around the head
        start = end = tokens.index(head)
        while start > 0 and tokens[start - 1].i == tokens[start].i - 1:
            start -= 1
        while end < len(tokens) - 1 and tokens[end + 1].i == tokens[end].i + 1:
            end += 1
        run = tokens[start:end + 1][:SPEAKER_MAX_TOKENS]
        while run and (run[-1].is_punct or run[-1].pos_ in ("ADP", "CCONJ")):
            run.pop()
        while run and (run[0].is_punct or run[0].pos_ == "ADP"):
            run.pop(0)
        return head.doc[run[0].i:run[-1].i + 1] if run else None

    def speaker_from_span(self, doc, span, at_char):
        """(speaker_text, role, confidence) for a speaker phrase, resolving pronouns and titles."""
        if span is None:
            return None
        head = span.root
        text = clean_text(span.text)
        folded = fold(text)
        if head.pos_ == "PRON" or folded.lstrip("-").replace("t-", "") in self.lexicon.pronouns:
            mention = self.resolve_pronoun(doc, text, at_char)
            if mention:
                return mention.text, mention.role, 0.6
            return None
        if folded in self.lexicon.not_speakers or fold(head.text) in self.lexicon.not_speakers:
            return None
        has_name = any(t.pos_ == "PROPN" or t.ent_type_ or (t.is_upper and len(t) > 1) for t in span)
        role = self.title_of(list(span))
        if not has_name and role:
            mention = self.resolve_title(doc, role, at_char)
            if mention:
                return mention.text, mention.role or role, 0.7
            if span.start_char - doc[span.start].sent.start_char < 400:
                recent = self.recent_person(doc, at_char)
                if recent:
                    return recent.text, recent.role or role, 0.6
        if not has_name and head.pos_ == "NOUN" and fold(head.lemma_) not in self.lexicon.titles:
            # "les syndicats", "la région": keep only organisation-like common nouns
            if head.morph.get("Number") == ["Plur"] or not head.is_title and len(span) < 2:
                return None
        return text, role, 0.8 if has_name else 0.7

    def subject_of(self, verb):
        """The subject of a reporting verb, climbing conj/xcomp chains when it has none."""
        token = verb
        for _ in range(3):
            for child in token.children:
                if child.dep_ in ("nsubj", "nsubj:pass", "expl:subj") and child.text not in ("-t",):
                    return child
            if token.dep_ in ("conj", "xcomp") and token.head is not token:
                token = token.head
            else:
                break
        return None

    def speaker_of_verb(self, doc, verb, at_char):
        subject = self.subject_of(verb)
        if subject is not None:
            if subject.pos_ == "PRON":
                return self.speaker_from_span(doc, doc[subject.i:subject.i + 1], at_char)
            return self.speaker_from_span(doc, self.noun_phrase(subject), at_char)
        return None

    def incise_after(self, doc, quote):
        """« … », a-t-il ajouté / », déclare le CNED / », juge-t-elle."""
        i = quote.end
        while i < len(doc) and (doc[i].is_punct or doc[i].is_space) and i - quote.end < 3:
            if doc[i].text in ("«", "“", "."):
                return None
            i += 1
        for j in range(i, min(len(doc), i + INCISE_WINDOW)):
            token = doc[j]
            if token.is_punct and token.text != "-":
                break
            if token.pos_ == "AUX" or not self.lexicon.is_reporting_verb(token):
                continue
            nxt = doc[j + 1] if j + 1 < len(doc) else None
            if nxt is not None and nxt.text.lower() in ("-t", "-t-il", "-t-elle"):
                nxt = doc[j + 2] if j + 2 < len(doc) else nxt
            if nxt is not None and fold(nxt.text).lstrip("-") in self.lexicon.pronouns:
                found = self.speaker_from_span(doc, doc[nxt.i:nxt.i + 1], quote.start_char)
                return found and (*found, token)
            found = self.speaker_of_verb(doc, token, quote.start_char)
            if found and not (quote.start_char <= doc.text.find(found[0], quote.start_char) < quote.end_char):
                return (*found, token)
            if not doc.has_annotation("DEP"):
                # no parser for this language: a capitalised name next to the verb
                found = self.name_run(doc, quote.end, j) or self.name_run(doc, j + 1, j + 6)
                return found and (clean_text(found.text), None, 0.6, token)
            # inverted subject: the first noun phrase after the verb
            for k in range(j + 1, min(len(doc), j + 8)):
                if self.is_time_word(doc[k]):
                    continue
                if doc[k].pos_ in ("PROPN", "NOUN") or (doc[k].is_upper and len(doc[k]) > 1):
                    found = self.speaker_from_span(doc, self.noun_phrase(doc[k]), quote.start_char)
                    return found and (*found, token)
                if doc[k].is_punct:
                    break
            return None
        return None

    def cue_before(self, doc, quote):
        """'X a déclaré : « … »', 'selon X, « … »', a sentence ending in ':' just before."""
        sent = doc[quote.start].sent
        for token in reversed(doc[sent.start:quote.start]):
            if fold(token.text) in ("selon", "d'apres") or (
                    fold(token.text) == "pour" and token.i == sent.start):
                return self.source_marker_speaker(doc, token, quote.start_char)
            if token.pos_ == "VERB" and fold(token.lemma_) in self.lexicon.reporting_verbs:
                found = self.speaker_of_verb(doc, token, quote.start_char)
                if found:
                    return (*found, token)
        previous = doc[sent.start - 1] if sent.start > 0 else None
        if previous is not None and previous.text == ":" or (
                previous is not None and previous.is_space and sent.start > 1 and doc[sent.start - 2].text == ":"):
            prev_sent = doc[previous.i - (1 if previous.is_space else 0)].sent
            for token in prev_sent:
                if token.pos_ == "VERB" and fold(token.lemma_) in self.lexicon.reporting_verbs:
                    found = self.speaker_of_verb(doc, token, quote.start_char)
                    if found:
                        return (*found, token)
        return None

    def source_marker_speaker(self, doc, marker, at_char):
        """'selon X' / "d'après X": X, the object of the preposition."""
        head = marker.head if marker.head.i > marker.i else None
        if head is None:
            for token in doc[marker.i + 1:marker.i + 4]:
                if token.pos_ in ("PROPN", "NOUN", "PRON"):
                    head = token
                    break
        if head is None:
            return None
        found = self.speaker_from_span(doc, self.noun_phrase(head), at_char)
        return found and (*found, marker)

    # -- statements -------------------------------------------------------------

    def quote_statements(self, doc):
        statements = []
        quotes = [q for q in doc.spans.get("quotes", []) if q.label_ == "quote"]
        for quote in quotes:
            found = self.incise_after(doc, quote) or self.cue_before(doc, quote)
            confidence_scale = 1.0
            if not found:
                found = self.continuation_speaker(doc, quote, statements)
                confidence_scale = 0.6
            if not found:
                continue
            speaker, role, confidence, verb = found
            statements.append(Statement(
                quote.start_char, quote.end_char, clean_text(quote.text), "direct", speaker,
                reporting_verb=verb.lemma_ if verb is not None else None,
                confidence=round(confidence * confidence_scale, 2), speaker_role=role))
        return statements

    def paragraph_bounds(self, doc, char):
        start = doc.text.rfind("\n", 0, char) + 1
        end = doc.text.find("\n", char)
        return start, (len(doc.text) if end < 0 else end)

    def continuation_speaker(self, doc, quote, statements):
        """A paragraph that is all quote continues the speaker of the statement just before."""
        start, end = self.paragraph_bounds(doc, quote.start_char)
        paragraph = doc.text[start:end]
        if not statements or len(quote.text) < 0.6 * len(paragraph.strip()):
            return None
        previous = statements[-1]
        prev_start, _ = self.paragraph_bounds(doc, previous.start_char)
        if start - prev_start > 0 and doc.text.count("\n", prev_start, start) > 1:
            return None
        return previous.speaker_text, previous.speaker_role, previous.confidence, None

    def complement_of(self, verb):
        """The part of the sentence a reporting verb reports, or None."""
        for child in verb.children:
            if child.dep_ in CLAUSE_DEPS and child.pos_ in ("VERB", "AUX", "ADJ", "NOUN"):
                return child
        if fold(verb.lemma_) in OBJECT_SPEECH_VERBS:
            for child in verb.children:
                if child.dep_ == "obj" and child.pos_ in ("NOUN", "PROPN"):
                    return child
        return None

    def complement_span(self, doc, head):
        tokens = sorted(head.subtree, key=lambda t: t.i)
        while tokens and (tokens[0].is_punct or fold(tokens[0].text) in ("que", "qu'", "de", "d'")
                          and tokens[0].dep_ == "mark"):
            tokens.pop(0)
        while tokens and tokens[-1].is_punct and tokens[-1].text not in ("»", "”", '"'):
            tokens.pop()
        if not tokens:
            return None
        return doc[tokens[0].i:tokens[-1].i + 1]

    def quoted_share(self, span, quotes):
        words = word_count(span)
        quoted = sum(word_count(q) for q in quotes
                     if q.start_char >= span.start_char and q.end_char <= span.end_char)
        return quoted / words if words else 0.0

    def reported_statements(self, doc, direct):
        """Reported speech; drops the direct quotes it contains when they are only fragments."""
        quotes = list(doc.spans.get("quotes", []))
        statements = []
        absorbed = set()
        for verb in doc:
            if verb.pos_ != "VERB" or fold(verb.lemma_) not in self.lexicon.reporting_verbs:
                continue
            if any(q.start <= verb.i < q.end for q in quotes):
                continue
            head = self.complement_of(verb)
            if head is None:
                continue
            span = self.complement_span(doc, head)
            if span is None or word_count(span) < MIN_STATEMENT_WORDS + 1:
                continue
            if self.quoted_share(span, quotes) >= QUOTED_SHARE_FOR_DIRECT:
                continue
            found = self.speaker_of_verb(doc, verb, span.start_char)
            if not found:
                continue
            speaker, role, confidence = found
            for statement in direct:
                if statement.start_char >= span.start_char and statement.end_char <= span.end_char:
                    absorbed.add(id(statement))
            statements.append(Statement(span.start_char, span.end_char, clean_text(span.text),
                                        "indirect", speaker, verb.lemma_, confidence, role))
        statements.extend(self.source_marker_statements(doc, quotes, direct, absorbed))
        return statements, absorbed

    def source_marker_statements(self, doc, quotes, direct, absorbed):
        """'Selon le ministère, la plateforme fonctionne de nouveau.'"""
        statements = []
        for sent in doc.sents:
            first = sent[0]
            markers = [t for t in sent if fold(t.text) in ("selon", "d'apres")]
            if fold(first.text) == "pour" and any(t.text == "," for t in sent[1:8]):
                markers.append(first)
            for marker in markers[:1]:
                found = self.source_marker_speaker(doc, marker, sent.start_char)
                if not found:
                    continue
                speaker, role, confidence, _ = found
                phrase_end = marker.i + 1
                while phrase_end < sent.end and doc[phrase_end].text != ",":
                    phrase_end += 1
                if marker.i == sent.start:
                    span = doc[min(phrase_end + 1, sent.end - 1):sent.end]
                else:
                    span = doc[sent.start:marker.i]
                while len(span) and (span[-1].is_punct or span[-1].is_space):
                    span = span[:-1]
                if len(span) == 0 or word_count(span) < MIN_STATEMENT_WORDS + 1:
                    continue
                if self.quoted_share(span, quotes) >= QUOTED_SHARE_FOR_DIRECT:
                    continue
                for statement in direct:
                    if span.start_char <= statement.start_char and statement.end_char <= span.end_char:
                        absorbed.add(id(statement))
                statements.append(Statement(span.start_char, span.end_char, clean_text(span.text),
                                            "indirect", speaker, fold(marker.text), confidence, role))
        return statements

    def owner_statements(self, doc, taken):
        """A press release speaks for its owner where it quotes nobody else."""
        statements = []
        offset = 0
        for paragraph in doc.text.split("\n"):
            start, end = offset, offset + len(paragraph)
            offset = end + 1
            span = doc.char_span(start, end, alignment_mode="contract")
            if span is None or word_count(span) < 6 or not any(t.pos_ in ("VERB", "AUX") for t in span):
                continue
            if any(s.start_char < end and s.end_char > start for s in taken):
                continue
            statements.append(Statement(start, end, clean_text(paragraph), "direct", doc._.owner,
                                        "communiquer", 0.7))
        return statements

    def __call__(self, doc: Doc) -> Doc:
        doc._.mentions = self.collect_mentions(doc)
        if doc._.document_kind == "post":
            # a post is one statement of its account
            doc._.statements = [Statement(0, len(doc.text), clean_text(doc.text), "post",
                                          doc._.owner, None, 0.9)] if doc._.owner else []
            return doc
        direct = self.quote_statements(doc)
        reported, absorbed = self.reported_statements(doc, direct)
        statements = [s for s in direct if id(s) not in absorbed] + reported
        statements = self.drop_overlaps(statements)
        if doc._.document_kind == "press_release" and doc._.owner:
            statements += self.owner_statements(doc, statements)
        doc._.statements = sorted(statements, key=lambda s: s.start_char)
        return doc

    def drop_overlaps(self, statements):
        """Keep one statement per stretch of text: the direct quote, else the longer clause."""
        kept = []
        for statement in sorted(statements, key=lambda s: (s.kind != "direct",
                                                           -(s.end_char - s.start_char))):
            if any(statement.start_char < k.end_char and k.start_char < statement.end_char
                   and (statement.kind != "direct" or k.kind != "indirect")
                   for k in kept):
                continue
            kept.append(statement)
        return kept
