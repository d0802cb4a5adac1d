"""Who said what: direct quotes and reported speech, each with its speaker.

The `claimline_speech` component reads the quotes found by `claimline_quotes`, the
dependency parse and the document's mentions (`nlp.mentions`), and writes
`doc._.statements`, a list of `Statement`:

- a quote is attributed, in this order, to the account of an embedded post it
  repeats; to its incise ("», a-t-il ajouté", "», déclare le CNED"); to a reporting
  verb or a "selon X" before it in its sentence, or a sentence ending in ":" just
  before it; to the subject just before it (Il « espère que… »); for a paragraph
  that is all quote, to the speaker of the paragraph before; for a quote that is
  a sentence of its own, to the reporting verb of the next sentence;
- reported speech is a reporting verb with a que-clause, an infinitive or an object
  ("a assuré que…", "a assuré n'être aucunement responsable", "récuse toute
  responsabilité"), a clause followed by its incise ("…, a fait savoir le parquet"),
  or a clause with "selon X", "d'après X", "pour X,";
- pronouns ("juge-t-elle"), titles ("le ministre"), descriptions ("le centre") and
  "ce dernier" are resolved to the person or organisation they stand for; subjects
  joined by "et"/"ou" each get the statement;
- in a press release, the paragraphs nobody else is quoted in are the owner's.
"""

from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc

from claimline.nlp.lexicon import fold, load_lexicon
from claimline.nlp.paragraphs import text_of
from claimline.nlp.mentions import DOMAIN, PRONOUN_SENTENCES, Mentions, has_preposition, title_of

SPEAKER_MAX_TOKENS = 14
INCISE_WINDOW = 8
RULE_INCISE_WINDOW = 10
INCISE_MAX_TOKENS = 16
MIN_STATEMENT_WORDS = 2
MIN_CLAUSE_WORDS = 4
QUOTED_SHARE_FOR_DIRECT = 0.6
POST_OVERLAP = 0.6
CLAUSE_DEPS = ("ccomp", "xcomp")
OBJECT_PHRASE_DEPS = ("obj", "obl:arg", "obl", "iobj", "advmod", "conj", "cc", "fixed", "xcomp")
OBJECT_SPEECH_VERBS = {
    "evoquer", "denoncer", "annoncer", "dementir", "recuser", "nier", "confirmer", "reconnaitre",
    "promettre", "reclamer", "deplorer", "regretter", "contester", "signaler", "critiquer",
    "accuser", "mettre en cause", "fustiger", "reprocher", "admettre", "avouer", "revendiquer",
    "blamer", "repertorier", "recenser", "qualifier", "imputer", "incriminer", "attribuer",
    "exiger", "demander", "pointer", "saluer",
}
SPEAKER_CUT_DEPS = {"acl:relcl", "acl", "advcl", "ccomp", "xcomp", "conj", "cc", "parataxis",
                    "dep", "obl:mod", "obl", "advmod"}
CLITICS = {"-t-il": "il", "-t-elle": "elle", "-t-on": "on", "-il": "il", "-elle": "elle",
           "-on": "on", "-ils": "ils", "-elles": "elles", "-t-ils": "ils", "-t-elles": "elles"}
COORDINATED_DEPS = ("conj",)

for _name in ("statements", "published_at", "document_kind", "owner", "mentions", "posts"):
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
    candidates: list = field(default_factory=list)  # the speakers claimline_speakers chose among


@dataclass
class Speaker:
    text: str
    role: str | None = None
    confidence: float = 0.8


def clean_text(text):
    return " ".join(text.strip(" \n\t,;:").split())


def word_count(span_or_tokens):
    return sum(1 for t in span_or_tokens if not t.is_punct and not t.is_space)


def word_set(text):
    return {w for w in fold(text).replace("'", " ").split() if len(w) > 1 and w.isalnum()}


@Language.factory("claimline_speech", assigns=["doc._.statements"], default_config={"lang": "fr"})
def make_speech(nlp, name, lang):
    return SpeechFinder(lang)


class SpeechFinder:
    def __init__(self, lang):
        self.lexicon = load_lexicon(lang)
        # the first word of each source marker ("selon", "d'", "according"): most tokens
        # are ruled out at once
        self.marker_starts = {m.split("'")[0] + "'" if "'" in m else m.split()[0]
                              for m in self.lexicon.source_markers}

    # -- speaker phrases ----------------------------------------------------------

    def is_time_word(self, token):
        """'mardi', 'matin', 'hier': not an inverted subject ("a assuré mardi matin X")."""
        folded = fold(token.text)
        lexicon = self.lexicon
        return (folded in lexicon.weekdays or folded in lexicon.parts_of_day
                or folded in lexicon.months or folded in lexicon.relative_days or token.like_num)

    def noun_phrase(self, head):
        """The speaker phrase headed by `head`, without relative clauses and the like."""
        tokens = [head]
        stack = list(head.children)
        while stack:
            child = stack.pop()
            if child.dep_ in SPEAKER_CUT_DEPS and not self.is_name_part(child) \
                    and not (child.dep_ == "cc" and self.is_name_part(child.head)):
                continue
            tokens.append(child)
            stack.extend(child.children)
        tokens.sort(key=lambda t: t.i)
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
        if not run:
            return None
        first, last = run[0].i, run[-1].i + 1
        if head.ent_type_:
            # a name the parse split ("Northwind" and "Rail" under different heads) stays whole
            ent = head.doc._.mentions.entity_at(head.i)
            first, last = min(first, ent.start), max(last, ent.end)
        return head.doc[first:last]

    @staticmethod
    def names_head(child):
        """A proper noun said of its head directly ('le jeu Rust'), not through a preposition."""
        return (child.pos_ == "PROPN" or child.ent_type_) and child.dep_ in (
            "appos", "flat:name", "nmod", "amod", "compound") and not has_preposition(child)

    @staticmethod
    def is_name_part(token):
        """'de la Jeunesse et des Sports' in 'le ministère de l'Éducation, de la Jeunesse et des
        Sports': a coordinated complement (it has its preposition), not a second speaker."""
        return token.dep_ == "conj" and has_preposition(token)

    def from_mention(self, mention, confidence):
        return mention and Speaker(mention.text, mention.role, confidence)

    def pronoun_speaker(self, doc, word, at_char):
        info = self.lexicon.pronouns.get(CLITICS.get(fold(word), fold(word)))
        if not info:
            return None
        return self.from_mention(doc._.mentions.pronoun(info["gender"], info["number"], at_char), 0.6)

    def speaker_from_span(self, doc, span, at_char):
        """The Speaker a phrase stands for, resolving pronouns, titles and descriptions."""
        if span is None or len(span) == 0:
            return None
        mentions, lexicon = doc._.mentions, self.lexicon
        head = span.root
        text = clean_text(span.text)
        lemma, head_word = fold(head.lemma_), fold(head.text)
        if head.pos_ == "PRON" or CLITICS.get(fold(text), fold(text)) in lexicon.pronouns:
            return self.pronoun_speaker(doc, text, at_char)
        if len(span) <= 3 and any(fold(t.text) in lexicon.latter_words for t in span):
            gender = (head.morph.get("Gender") or [None])[0]
            return self.from_mention(mentions.latter(gender, span.start_char), 0.6)
        if lemma in lexicon.medium_nouns or head_word in lexicon.medium_nouns:
            return self.medium_speaker(doc, span, head, at_char)
        if lemma in lexicon.speech_nouns or head_word in lexicon.speech_nouns:
            if any(c.morph.get("Poss") == ["Yes"] for c in head.children):
                return self.from_mention(mentions.pronoun(None, "Sing", span.start_char), 0.6)
            owner = next((c for c in head.children if c.dep_ == "nmod"), None)
            return owner is not None and self.speaker_from_span(doc, self.noun_phrase(owner), at_char) or None
        if fold(text) in lexicon.not_speakers or head_word in lexicon.not_speakers \
                or head.pos_ in ("VERB", "AUX"):
            return None  # "survivre", "avoir publié ce message": a misparse, not a speaker
        while len(span) > 1 and self.is_time_word(span[-1]):
            span = span[:-1]  # "l'OFAG jeudi"
        text = clean_text(span.text)
        role = title_of(list(span), lexicon)
        persons = mentions.persons_in(span.start_char, span.end_char)
        if persons:
            return Speaker(clean_text(persons[0].text), role or persons[0].role, 0.8)
        if lemma in lexicon.titles or head_word in lexicon.titles:
            gender = lexicon.titles.get(head_word) or lexicon.titles.get(lemma) \
                or (head.morph.get("Gender") or [None])[0]
            employer = self.employer_of(doc, head, at_char)
            if employer is not None:
                return employer
            # "Le ministre de l'Éducation, Jean-Michel Blanquer, a…": named right after
            apposed = mentions.persons_in(span.end_char, span.end_char + 3)
            mention = (apposed[0] if apposed else None) \
                or mentions.described(head_word, span.start_char, "person") \
                or mentions.recent_person(span.start_char, gender)
            if mention:
                return Speaker(mention.text, mention.role or role, 0.7)
            return Speaker(text, role, 0.5)
        if lemma in lexicon.organisation_nouns and not mentions.named_complement(head):
            if head.morph.get("Number") == ["Plur"]:
                return None  # "les syndicats": which ones?
            # "le centre", "l'entreprise tourangelle": the organisation described, else the one
            # just named, as a pronoun would
            mention = mentions.described(lemma, span.start_char, "organisation")
            if mention is None and lemma in lexicon.generic_organisation_nouns:
                mention = mentions.nearest([m for m in mentions.before(span.start_char)
                                            if m.kind == "organisation"], at_char, PRONOUN_SENTENCES)
            return Speaker(mention.text, None, 0.7) if mention else Speaker(text, None, 0.5)
        has_name = any(t.pos_ == "PROPN" or t.ent_type_ or (t.is_upper and len(t) > 1) for t in span)
        if head.pos_ == "NOUN" and lemma not in lexicon.organisation_nouns and not (
                head.ent_type_ or (head.is_upper and len(head) > 1) or DOMAIN.match(head.text)
                or (head.is_title and not head.is_sent_start)
                or any(self.names_head(c) for c in head.children)):
            # "les parents", "le rappel de son ambassadeur à Tel-Aviv": not an identifiable
            # speaker; "le jeu Rust", "le Franco-Marocain" are
            return None
        if all(t.is_stop or t.is_punct for t in span):
            return None  # "le", "ce": a misparse
        return Speaker(text, role, 0.8 if has_name else 0.7)

    def employer_of(self, doc, title, at_char):
        """'un porte-parole de l'aéroport', 'a spokesperson for the company': someone unnamed
        speaking for an organisation; the organisation is the speaker."""
        if not any(c.dep_ == "det" and "Ind" in c.morph.get("Definite") for c in title.children):
            return None
        for child in title.children:
            if child.dep_ == "nmod" and child.i > title.i and has_preposition(child):
                found = self.speaker_from_span(doc, self.noun_phrase(child), at_char)
                if found is not None and not doc._.mentions.persons_in(child.idx, child.idx + 1):
                    return Speaker(found.text, title.text, found.confidence)
        return None

    def medium_speaker(self, doc, span, head, at_char):
        """'un tweet de data.gouv' is data.gouv's; 'un tweet' alone, the last one named."""
        owner = next((c for c in head.children if c.dep_ == "nmod" and c.pos_ in ("PROPN", "NOUN")), None)
        if owner is not None:
            return self.speaker_from_span(doc, self.noun_phrase(owner), at_char)
        mentions = doc._.mentions
        return self.from_mention(mentions.nearest(mentions.before(span.start_char), at_char,
                                                  PRONOUN_SENTENCES), 0.5)

    def subject_of(self, verb):
        """The subject of a reporting verb, climbing conj/xcomp chains when it has none."""
        token = verb
        for _ in range(3):
            for child in token.children:
                if child.dep_ in ("nsubj", "nsubj:pass", "expl:subj") and child.text != "-t":
                    return child
            if token.dep_ in ("conj", "xcomp") and token.head is not token:
                token = token.head
            else:
                break
        return None

    def stray_subject(self, doc, verb):
        """A reporting verb the parser left without a subject ('Concernant X, le Snes-FSU ou
        encore le Snuipp-FSU (…), assuraient que…'): the last name before it, outside any
        prepositional phrase or parenthesis."""
        depth = 0
        for token in reversed(doc[verb.sent.start:verb.i]):
            depth += (token.text == ")") - (token.text == "(")
            if depth > 0 or token.text == "(":
                continue
            if token.pos_ == "PROPN" and not has_preposition(token) \
                    and token.dep_ not in ("flat:name", "conj"):
                return token
        return None

    def speakers_of_subject(self, doc, subject, at_char):
        """The subject's speaker, and one more per coordinated subject ("X ou encore Y")."""
        phrase = doc[subject.i:subject.i + 1] if subject.pos_ == "PRON" else self.noun_phrase(subject)
        first = self.speaker_from_span(doc, phrase, at_char)
        if first is None:
            return []
        found = [first]
        for conj in subject.children:
            if conj.dep_ in COORDINATED_DEPS and (conj.pos_ == "PROPN" or conj.ent_type_) \
                    and not self.is_name_part(conj):
                other = self.speaker_from_span(doc, self.noun_phrase(conj), at_char)
                if other is not None and other.text != first.text:
                    found.append(other)
        return found

    def speakers_of_verb(self, doc, verb, at_char):
        subject = self.subject_of(verb) or self.stray_subject(doc, verb)
        if subject is None:
            return []
        found = self.speakers_of_subject(doc, subject, at_char)
        # "La FCPE et la PEEP assuraient…" is sometimes parsed as two subjects, not a conj
        for other in verb.children:
            if other.dep_ == "nsubj" and other.i > subject.i and other.pos_ == "PROPN" \
                    and any(t.dep_ == "cc" for t in doc[subject.i:other.i]):
                found += [s for s in self.speakers_of_subject(doc, other, at_char)
                          if s.text not in {f.text for f in found}]
        return found

    def skip_phrase(self, doc, k):
        """Index after a prepositional phrase starting at k ("à franceinfo", "dans un communiqué")."""
        k += 1
        while k < len(doc) and doc[k].pos_ in ("DET", "ADP"):
            k += 1
        if k < len(doc) and doc[k].ent_type_ and doc[k].ent_iob_ == "B":
            k += 1
            while k < len(doc) and doc[k].ent_iob_ == "I":
                k += 1
            return k
        while k < len(doc) and doc[k].pos_ in ("NOUN", "ADJ"):
            k += 1
        return k

    def incise_speakers(self, doc, verb, at_char, stop, start=None):
        """The speaker of an incise verb: a clitic ("a-t-il ajouté", "juge-t-elle"), an inverted
        subject after it ("a annoncé mercredi la préfecture"), or "on … auprès de X".
        Without a parser, a capitalised name between `start` and the verb, or after it."""
        clitics = [t for t in doc[max(0, verb.i - 2):min(len(doc), verb.i + 3)] if fold(t.text) in CLITICS]
        if clitics and CLITICS[fold(clitics[0].text)] == "on":
            return self.impersonal_source(doc, verb, at_char, stop)
        if clitics:
            found = self.pronoun_speaker(doc, clitics[0].text, at_char)
            return [found] if found else []
        if not doc_has_parse(doc):
            return self.rule_speakers(doc, verb, start if start is not None else verb.i,
                                      min(stop, verb.i + 6))
        subject = self.subject_of(verb)
        if subject is not None and (subject.i > verb.i and subject.pos_ != "PRON"
                                    or start is not None and start <= subject.i < verb.i):
            # an inverted subject ("», a déclaré le ministre"), or one between the quote and
            # its verb ('…," the company said', '…," she said')
            return self.speakers_of_subject(doc, subject, at_char)
        k = verb.i + 1
        while k < min(stop, verb.i + 12):
            token = doc[k]
            if token.is_space or self.is_time_word(token) or token.pos_ in ("ADV", "AUX", "DET", "ADJ"):
                k += 1
            elif token.pos_ == "ADP":
                k = self.skip_phrase(doc, k)
            elif token.ent_type_ and token.pos_ == "PROPN":
                # a whole name: "note France Bleu", "a reconnu Emmanuel Macron"
                ent = doc._.mentions.entity_at(k)
                found = self.speaker_from_span(doc, ent, at_char)
                return [found] if found else []
            elif token.pos_ in ("PROPN", "NOUN") or (token.is_upper and len(token) > 1):
                while token.dep_ in ("compound", "flat", "amod") and k < token.head.i < stop:
                    token = token.head  # "the Prime Minister": the phrase's head, not its first word
                return self.speakers_of_subject(doc, token, at_char)
            else:
                break
        return []

    def impersonal_source(self, doc, verb, at_char, stop):
        """'a-t-on appris auprès du parquet de Paris': the parquet."""
        rest = doc[verb.i + 1:stop]
        folded = fold(rest.text)
        for marker in self.lexicon.impersonal_source_markers:
            index = folded.find(marker + " ")
            if index < 0:
                continue
            span = doc.char_span(rest.start_char + index + len(marker) + 1, rest.end_char,
                                 alignment_mode="expand")
            if span is None or len(span) == 0:
                continue
            head = next((t for t in span if t.pos_ in ("PROPN", "NOUN")), None)
            if head is not None:
                found = self.speaker_from_span(doc, self.noun_phrase(head), at_char)
                return [found] if found else []
        return []

    def name_runs(self, doc, start, end):
        """The runs of capitalised words in doc[start:end] (no-parser languages)."""
        runs, run = [], []
        for token in doc[start:min(end, len(doc))]:
            if (token.is_title or (token.is_upper and len(token) > 1)) and not token.is_stop \
                    and not self.is_time_word(token) or token.text == "-" and run:
                run.append(token)
            elif run:
                runs.append(run)
                run = []
        if run:
            runs.append(run)
        runs = [r[:-1] if r[-1].text == "-" else r for r in runs]
        # "Neighbours said…", "Officials said…", "Privately, …", "Asked about…, she said",
        # "Speaking to…": no identifiable speaker
        return [doc[r[0].i:r[-1].i + 1] for r in runs
                if r and fold(doc[r[0].i:r[-1].i + 1].text) not in self.lexicon.not_speakers
                and not (len(r) == 1 and r[0].is_sent_start and len(r[0]) > 4
                         and r[0].lower_.endswith(("ly", "ed", "ing")))]

    def name_run(self, doc, start, end, last=False):
        """The longest run of capitalised words in doc[start:end], the first or `last` of the
        longest: "Numeriscol chief executive Laurent Ferrandi"."""
        runs = self.name_runs(doc, start, end)
        if not runs:
            return None
        longest = max(len(r) for r in runs)
        return [r for r in runs if len(r) == longest][-1 if last else 0]

    def is_reporting(self, token, incise_only=False):
        if not doc_has_parse(token.doc):
            return self.lexicon.is_reporting_verb(token)
        if token.pos_ != "VERB":
            # "juge" in "juge-t-elle" is often tagged as a noun
            return incise_only and token.pos_ in ("NOUN", "ADJ", "PROPN") \
                and self.lexicon.is_reporting_verb(token)
        if self.lexicon.is_reporting_verb(token) or self.speech_lemma(token) in self.lexicon.reporting_verbs:
            return True
        # "a fait savoir", "a mis en cause": the verb's last word carries it
        lemmas = [fold(t.lemma_) for t in token.doc[max(0, token.i - 2):token.i + 1]]
        return " ".join(lemmas[-2:]) in self.lexicon.reporting_verbs \
            or " ".join(lemmas) in self.lexicon.reporting_verbs

    def subject_follows(self, verb):
        """Does a noun phrase follow the verb to the end of a short sentence (an inverted subject)?"""
        doc = verb.doc
        if verb.sent.end - verb.i > INCISE_MAX_TOKENS:
            return False
        k = verb.i + 1
        while k < verb.sent.end and (self.is_time_word(doc[k]) or doc[k].pos_ in ("ADV", "DET")):
            k += 1
        return k < verb.sent.end and doc[k].pos_ in ("NOUN", "PROPN")

    def is_incise_verb(self, verb):
        """Is `verb` an incise: only auxiliaries and clitics since a comma or a closing quote
        ("…, a fait savoir le parquet", "», a-t-il ajouté")? A verb with a subject before it
        and none after ("X, le ministre, a assuré que…") is not."""
        if any(c.dep_ in ("nsubj", "nsubj:pass") and c.i < verb.i and c.pos_ in ("NOUN", "PROPN")
               for c in verb.children) and not self.subject_follows(verb):
            return False
        for token in reversed(verb.doc[max(verb.sent.start, verb.i - 4):verb.i]):
            if token.text in (",", "»", "”", '"'):
                return True
            if not (token.pos_ in ("AUX", "ADV") or fold(token.text) in CLITICS or token.text == "-t"
                    or token.pos_ == "PRON" and not token.dep_.startswith("nsubj")
                    or fold(token.lemma_) in ("faire", "mettre", "en")):
                return False
        return False

    # -- quotes -------------------------------------------------------------------

    def incise_after(self, doc, quote):
        """« … », a-t-il ajouté / », déclare le CNED / », juge-t-elle."""
        i = quote.end
        if quote[-1].text in (".", "!", "?") and i < len(doc) and doc[i].text in ("»", "”", '"') \
                and i + 1 < len(doc) and doc[i + 1].text != ",":
            return None, []  # '"… to improve." Heathrow said…': the next sentence, not an incise
        while i < len(doc) and (doc[i].is_punct or doc[i].is_space) and i - quote.end < 3:
            if doc[i].text in ("«", "“", ".", "!", "?"):
                return None, []
            i += 1
        sentence_end = doc[i].sent.end if i < len(doc) else len(doc)
        if i < len(doc) and self.is_source_marker(doc[i]):
            # « naufrage numérique », selon l'expression du SNES-FSU
            found = self.source_marker_speaker(doc, doc[i], quote.start_char)
            return doc[i], [found] if found else []
        parsed = doc_has_parse(doc)
        # without a parser, an apposition may sit before the verb: ", Laurent Ferrandi, the CEO, said"
        for j in range(i, min(len(doc), i + (INCISE_WINDOW if parsed else RULE_INCISE_WINDOW))):
            token = doc[j]
            if token.is_punct and token.text != "-" and (parsed or token.text != ","):
                break
            if token.pos_ == "AUX" or not self.is_reporting(token, incise_only=True):
                continue
            found = [s for s in self.incise_speakers(doc, token, quote.start_char, sentence_end, i)
                     if not quote.start_char <= text_of(doc).find(s.text, quote.start_char) < quote.end_char]
            return token, found
        return None, []

    def cue_before(self, doc, quote):
        """'X a déclaré : « … »', 'selon X, « … »', a sentence ending in ':' just before."""
        sent = doc[quote.start].sent
        for token in reversed(doc[sent.start:quote.start]):
            if self.is_source_marker(token):
                found = self.source_marker_speaker(doc, token, quote.start_char)
                return token, [found] if found else []
            if self.is_reporting(token):
                found = self.speakers_of_verb(doc, token, quote.start_char) if doc_has_parse(doc) \
                    else self.rule_speakers(doc, token, sent.start, token.i, last=True)
                if found:
                    return token, found
        previous = doc[sent.start - 1] if sent.start > 0 else None
        if previous is not None and previous.is_space and sent.start > 1:
            previous = doc[sent.start - 2]
        if previous is not None and previous.text == ":":
            for token in previous.sent:
                if self.is_reporting(token):
                    found = self.speakers_of_verb(doc, token, quote.start_char)
                    if found:
                        return token, found
        return None, []

    def subject_before(self, doc, quote):
        """Il « espère que… »: the quote's own verb has its subject just before the quote."""
        for token in quote:
            for child in token.children:
                if child.dep_ in ("nsubj", "nsubj:pass", "expl:subj") and quote.start - 3 <= child.i < quote.start:
                    return None, self.speakers_of_subject(doc, child, quote.start_char)
        return None, []

    def next_sentence_cue(self, doc, quote):
        """«Des dysfonctionnements graves.» Au cours d'une conférence, le ministre X a blâmé…"""
        sent = doc[quote.start].sent
        if word_count(sent) - word_count(quote) > 2 or sent.end >= len(doc) or "\n" in sent.text.strip():
            return None, []
        following = doc[sent.end].sent
        for token in following:
            if self.is_reporting(token):
                subject = self.subject_of(token)
                if subject is not None and subject.pos_ in ("PROPN", "NOUN"):
                    return token, self.speakers_of_subject(doc, subject, quote.start_char)
        return None, []

    def post_author(self, doc, quote):
        """A quote repeating a post embedded in the article is that post's account's."""
        words = word_set(quote.text)
        for author, text in doc._.posts or []:
            post_words = word_set(text)
            if words and post_words and len(words & post_words) >= POST_OVERLAP * len(words):
                return None, [Speaker(author, None, 0.9)]
        return None, []

    def quote_statements(self, doc):
        statements = []
        quotes = [q for q in doc.spans.get("quotes", []) if q.label_ == "quote"]
        for quote in quotes:
            verb, found = self.post_author(doc, quote)
            # without a parse, tokens have no children to look at (and spaCy may crash on them)
            finders = (self.incise_after, self.cue_before) + (
                (self.subject_before,) if doc_has_parse(doc) else ())
            for finder in finders:
                if found:
                    break
                verb, found = finder(doc, quote)
            scale = 1.0
            if not found:
                verb, found = self.continuation_speaker(doc, quote, statements)
                scale = 0.6
            if not found and doc_has_parse(doc):
                verb, found = self.next_sentence_cue(doc, quote)
                scale = 0.6
            for speaker in found:
                statements.append(Statement(
                    quote.start_char, quote.end_char, clean_text(quote.text), "direct", speaker.text,
                    reporting_verb=verb.lemma_ if verb is not None else None,
                    confidence=round(speaker.confidence * scale, 2), speaker_role=speaker.role))
        return statements

    def paragraph_bounds(self, doc, char):
        start = text_of(doc).rfind("\n", 0, char) + 1
        end = text_of(doc).find("\n", char)
        return start, (len(text_of(doc)) if end < 0 else end)

    def continuation_speaker(self, doc, quote, statements):
        """A paragraph that is all quote, or a quote opening a sentence right after another
        quote of the same paragraph, continues the speaker of the quote before."""
        if not statements:
            return None, []
        start, end = self.paragraph_bounds(doc, quote.start_char)
        previous = statements[-1]
        prev_start, _ = self.paragraph_bounds(doc, previous.start_char)
        opens_sentence = word_count(doc[doc[quote.start].sent.start:quote.start]) == 0
        if prev_start == start and opens_sentence and previous.kind == "direct":
            return None, [Speaker(previous.speaker_text, previous.speaker_role, previous.confidence)]
        if len(quote.text) < 0.6 * len(text_of(doc)[start:end].strip()):
            return None, []
        if start - prev_start > 0 and text_of(doc).count("\n", prev_start, start) > 1:
            return None, []
        return None, [Speaker(previous.speaker_text, previous.speaker_role, previous.confidence)]

    # -- reported speech ----------------------------------------------------------

    def complement_of(self, verb):
        """The part of the sentence a reporting verb reports, or None."""
        for child in verb.children:
            if child.dep_ in CLAUSE_DEPS and child.pos_ in ("VERB", "AUX", "ADJ", "NOUN"):
                return child
        if self.is_object_speech(verb):
            for child in verb.children:
                # "a répertorié des ralentissements" is often parsed as obl:arg
                if child.dep_ in ("obj", "obl:arg") and child.pos_ in ("NOUN", "PROPN", "VERB") \
                        and not has_preposition(child):
                    return child
        return None

    def is_object_speech(self, verb):
        """A verb whose object is what was said; "réclame" is sometimes left unlemmatised."""
        lemma, text = self.speech_lemma(verb), fold(verb.text)
        return lemma in OBJECT_SPEECH_VERBS or any(
            " " not in v and text.startswith(v[:-2]) and len(text) - len(v) <= 2 for v in OBJECT_SPEECH_VERBS)

    def speech_lemma(self, verb):
        """The verb's lemma, or its multi-word reporting verb ("met directement en cause": "mettre en cause")."""
        following = [t for t in verb.doc[verb.i + 1:verb.i + 4] if t.pos_ != "ADV"][:2]
        phrase = fold(" ".join([verb.lemma_] + [t.text for t in following]))
        return phrase if phrase in self.lexicon.reporting_verbs else fold(verb.lemma_)

    def verb_phrase(self, doc, verb):
        """Noun-phrase speech is carried by its verb: 'a démenti les accusations de X',
        'récuse toute responsabilité et conteste la version de X'."""
        before = [c.i for c in verb.children if c.i < verb.i and (
            c.dep_.startswith("aux") or c.dep_ == "advmod" and fold(c.text) in ("ne", "n'"))]
        end = verb.i
        for child in verb.children:
            if child.i > verb.i and child.dep_ in OBJECT_PHRASE_DEPS:
                end = max(end, max(t.i for t in child.subtree))
        tokens = doc[min(before + [verb.i]):end + 1]
        while len(tokens) and tokens[-1].is_punct:
            tokens = tokens[:-1]
        return tokens

    def complement_span(self, doc, head):
        tokens = sorted(head.subtree, key=lambda t: t.i)
        while tokens and (tokens[0].is_punct or fold(tokens[0].text) in self.lexicon.complementizers
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

    def indirect(self, span, speakers, verb, quotes, direct, absorbed):
        """Indirect statements of `span`, unless its quotes say it all; absorbs quoted fragments."""
        if span is None or word_count(span) < MIN_STATEMENT_WORDS + 1 or not speakers:
            return []
        if self.quoted_share(span, quotes) >= QUOTED_SHARE_FOR_DIRECT:
            return []
        for statement in direct:
            if span.start_char <= statement.start_char and statement.end_char <= span.end_char:
                absorbed.add(id(statement))
        return [Statement(span.start_char, span.end_char, clean_text(span.text), "indirect",
                          s.text, verb, s.confidence, s.role) for s in speakers]

    def reported_statements(self, doc, direct):
        """Reported speech; drops the direct quotes it contains when they are only fragments."""
        quotes = list(doc.spans.get("quotes", []))
        statements = []
        absorbed = set()
        if doc_has_parse(doc):
            for verb in doc:
                if not self.is_reporting(verb) or any(q.start <= verb.i < q.end for q in quotes) \
                        or self.is_incise_verb(verb):
                    continue
                head = self.complement_of(verb)
                if head is None or head.i < verb.i and verb.i - head.i > 1:
                    continue
                span = self.complement_span(doc, head) if head.dep_ in CLAUSE_DEPS \
                    else self.verb_phrase(doc, verb)
                if head.dep_ not in CLAUSE_DEPS and any(
                        span.start <= q.start and q.end <= span.end for q in quotes if q.label_ == "quote"):
                    continue  # 'a fustigé un dispositif « pas au point »': the quote is the statement
                if span is not None:
                    statements += self.indirect(span, self.speakers_of_verb(doc, verb, span.start_char),
                                                self.speech_lemma(verb), quotes, direct, absorbed)
            statements += self.clause_incise_statements(doc, quotes, direct, absorbed)
        else:
            statements += self.rule_statements(doc, quotes, direct, absorbed)
        statements += self.source_marker_statements(doc, quotes, direct, absorbed)
        return statements, absorbed

    def rule_statements(self, doc, quotes, direct, absorbed):
        """Reported speech without a parser (English without a model): 'X said (that) …',
        'X rejected the claim', '…, its operator Numeriscol said.'"""
        statements = []
        targeted = set().union(*self.lexicon.claim_verbs.values()) if self.lexicon.claim_verbs else set()
        for sent in doc.sents:
            end = sent.end
            while end > sent.start and (doc[end - 1].is_punct or doc[end - 1].is_space):
                end -= 1
            for verb in sent:
                if not self.lexicon.is_reporting_verb(verb) or any(q.start <= verb.i < q.end for q in quotes) \
                        or verb.i > 0 and doc[verb.i - 1].lower_ in self.lexicon.not_clause_starts \
                        and fold(verb.text) not in targeted:
                    continue  # "to confirm", "will confirm": no report (but "continues to deny" is)
                # "…, the government delegate in Valencia, Pilar Bernabé, told journalists."
                comma = next((t for t in doc[max(sent.start, verb.i - 12):verb.i] if t.text == ","
                              and self.name_run(doc, t.i + 1, verb.i) is not None), None) or next(
                    (t for t in reversed(doc[sent.start:verb.i]) if t.text == ","), None)
                if comma is not None and verb.i - comma.i <= 12 and end - verb.i <= 6 \
                        and word_count(doc[sent.start:comma.i]) >= MIN_CLAUSE_WORDS:
                    speakers = self.rule_speakers(doc, verb, comma.i + 1, end)
                    span = doc[sent.start:comma.i]
                else:
                    speakers = self.rule_speakers(doc, verb, sent.start, verb.i, last=True)
                    span = self.rule_complement(doc, verb, end, targeted)
                if speakers and span is not None:
                    statements += self.indirect(span, speakers, fold(verb.text), quotes, direct, absorbed)
                    break
        return statements

    def rule_speakers(self, doc, verb, start, end, last=False):
        """Without a parser: 'she said' is the last full name before; else the name around
        the verb, between `start` and the verb, or after it up to `end`."""
        # "she said", "…, said she." (not "said they were…": there the pronoun opens the report)
        after = doc[verb.i + 1] if verb.i + 1 < len(doc) else None
        if after is not None and after.i + 1 < len(doc) and not doc[after.i + 1].is_punct:
            after = None
        near = [t for t in (doc[verb.i - 1] if verb.i > 0 else None, after) if t is not None]
        if any(t.lower_ in self.lexicon.pronouns for t in near):
            for sent_start in reversed([t.i for t in doc[:verb.i] if t.is_sent_start][-PRONOUN_SENTENCES - 1:]):
                run = self.name_run(doc, sent_start, verb.i, last=True)
                if run is not None and len(run) > 1:
                    return [Speaker(clean_text(run.text), None, 0.5)]
            return []
        run = self.name_run(doc, start, verb.i, last=last) if start < verb.i else None
        run = run or self.name_run(doc, verb.i + 1, end)
        return [Speaker(clean_text(run.text), None, 0.6)] if run is not None else []

    def rule_complement(self, doc, verb, end, targeted):
        """What follows a reporting verb: after 'that', the verb and its object for a blame or a
        denial ('rejected the claim'), or a clause right after it ('said pupils had…')."""
        after = doc[verb.i + 1:end]
        that = next((t for t in after[:6] if t.lower_ == "that"), None)
        if that is not None:
            return doc[that.i + 1:end]
        if fold(verb.text) in targeted:
            return doc[verb.i:end]
        if len(after) and after[0].is_lower and after[0].is_alpha and not self.is_time_word(after[0]) \
                and after[0].lower_ not in self.lexicon.not_clause_starts:
            return after
        if len(after) > 2 and (after[0].lower_ == "it" or after[0].is_title and not self.is_time_word(after[0])) \
                and any(t.is_lower and t.is_alpha for t in after[1:4]) and not after[1].is_punct:
            # a clause with its own subject: 'said it has restored…', 'said Rogers is committed…'
            return after
        return None

    def clause_incise_statements(self, doc, quotes, direct, absorbed):
        """'Cette enquête a été ouverte pour…, a fait savoir le parquet de Paris.'"""
        statements = []
        for sent in doc.sents:
            for comma in (t for t in sent if t.text == ","):
                verb = next((t for t in doc[comma.i + 1:min(sent.end, comma.i + 5)]
                             if t.pos_ in ("VERB", "NOUN") and self.is_reporting(t, incise_only=True)
                             or t.pos_ == "VERB" and fold(t.lemma_) in self.lexicon.impersonal_source_verbs
                             and any(fold(c.text) in CLITICS for c in doc[t.i - 2:t.i + 2])), None)
                if verb is None or any(q.start <= verb.i < q.end for q in quotes):
                    continue
                if not self.is_incise_verb(verb):
                    continue
                if sent.end - verb.i > INCISE_MAX_TOKENS or word_count(doc[sent.start:comma.i]) < MIN_CLAUSE_WORDS:
                    continue
                clause = doc[sent.start:comma.i]
                if not any(t.pos_ in ("VERB", "AUX") for t in clause):
                    continue
                if quotes and any(q.start <= clause.start < q.end or q.start < clause.end <= q.end
                                  for q in quotes if q.label_ == "quote"):
                    continue
                speakers = self.incise_speakers(doc, verb, clause.start_char, sent.end)
                statements += self.indirect(clause, speakers, verb.lemma_, quotes, direct, absorbed)
                break
        return statements

    def source_marker_length(self, token):
        """How many tokens the source marker starting at `token` has ('selon', "d'après"), or 0."""
        if token.is_space or token.is_punct:
            return 0
        folded = fold(token.text)
        if folded not in self.marker_starts:
            return 0
        if folded == "pour":
            return int(token.i == token.sent.start and any(t.text == "," for t in token.sent[1:8]))
        if folded in self.lexicon.source_markers:
            return 1
        return 2 if fold(token.doc[token.i:token.i + 2].text) in self.lexicon.source_markers else 0

    def is_source_marker(self, token):
        return self.source_marker_length(token) > 0

    def source_marker_speaker(self, doc, marker, at_char):
        """'selon X' / "d'après X" / 'according to X': X, the object of the preposition."""
        start = marker.i + self.source_marker_length(marker)
        if not doc_has_parse(doc):
            run = self.name_run(doc, start, start + 6)
            return Speaker(clean_text(run.text), None, 0.6) if run is not None else None
        head = marker.head if marker.head.i > marker.i else None
        if head is None:
            head = next((t for t in doc[start:start + 3] if t.pos_ in ("PROPN", "NOUN", "PRON")), None)
        if head is None:
            return None
        phrase = self.noun_phrase(head)
        if phrase is None:
            return None
        # the phrase after the marker, up to a comma ("according to X, because of…")
        end = next((t.i for t in doc[start:phrase.end] if t.text == ","), phrase.end)
        return self.speaker_from_span(doc, doc[max(start, phrase.start):end], at_char)

    def marker_phrase_end(self, doc, marker, sent):
        end = marker.i + 1
        while end < sent.end and doc[end].text not in (",", ":"):
            end += 1
        return end

    def source_marker_statements(self, doc, quotes, direct, absorbed):
        """'Selon le ministère, la plateforme fonctionne.' / 'Toujours selon la préfecture, …' /
        '…, dans six régions selon le syndicat, il est impossible de…' (the main clause)."""
        statements = []
        for sent in doc.sents:
            marker = next((t for t in sent if self.is_source_marker(t)), None)
            if marker is None or any(0 < marker.i - q.end <= 2 for q in quotes if q.label_ == "quote"):
                continue  # "« … », selon X": the quote is the statement
            found = self.source_marker_speaker(doc, marker, sent.start_char)
            if not found:
                continue
            phrase_end = self.marker_phrase_end(doc, marker, sent)
            before = doc[sent.start:marker.i]
            after = doc[min(phrase_end + 1, sent.end):sent.end]
            if word_count(before) <= 1 or self.holds_main_verb(after) and not self.holds_main_verb(before):
                span = after
            else:
                span = before
            while len(span) and (span[-1].is_punct or span[-1].is_space):
                span = span[:-1]
            while len(span) and (span[0].is_punct or span[0].is_space):
                span = span[1:]
            statements += self.indirect(span, [found], fold(marker.text), quotes, direct, absorbed)
        return statements

    def holds_main_verb(self, span):
        if not doc_has_parse(span.doc):
            return len(span) > 0
        return any(t.dep_ == "ROOT" or t.pos_ in ("VERB", "AUX") and t.head.dep_ == "ROOT" and t.dep_ == "conj"
                   for t in span)

    # -- whole documents ----------------------------------------------------------

    def owner_statements(self, doc, taken):
        """A press release speaks for its owner where it quotes nobody else: each of its
        sentences is a statement (what other reports quote of it is a sentence, not the
        paragraph around it)."""
        statements = []
        for sentence in doc.sents:
            if word_count(sentence) < 6 or not any(t.pos_ in ("VERB", "AUX") for t in sentence):
                continue
            start, end = sentence.start_char, sentence.end_char
            if any(s.start_char < end and s.end_char > start for s in taken):
                continue
            statements.append(Statement(start, end, clean_text(sentence.text), "direct", doc._.owner,
                                        "communiquer", 0.7))
        return statements

    def __call__(self, doc: Doc) -> Doc:
        doc._.mentions = Mentions(doc, self.lexicon)
        if doc._.document_kind == "post":
            # a post is one statement of its account
            doc._.statements = [Statement(0, len(text_of(doc)), clean_text(text_of(doc)), "post",
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
        """One statement per stretch of text and speaker: the direct quote, else the longer clause."""
        kept = []
        for statement in sorted(statements, key=lambda s: (s.kind != "direct",
                                                           -(s.end_char - s.start_char))):
            if any(statement.start_char < k.end_char and k.start_char < statement.end_char
                   and (statement.kind != "direct" or k.kind != "indirect")
                   and not (statement.start_char == k.start_char and statement.end_char == k.end_char
                            and statement.speaker_text != k.speaker_text)
                   for k in kept):
                continue
            kept.append(statement)
        return kept


def doc_has_parse(doc):
    return doc.has_annotation("DEP")
