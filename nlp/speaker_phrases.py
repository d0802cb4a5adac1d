"""Who a phrase stands for: the speaker of a reporting verb, of an incise or of a phrase.

`SpeakerPhrases` tells reporting verbs and incises apart ("», a-t-il ajouté", "…, a fait
savoir le parquet"), finds their subject (inverted, coordinated with "et"/"ou", or left
stray by the parser), cuts the speaker phrase out of the parse, and resolves it: pronouns
("juge-t-elle"), titles ("le ministre"), descriptions ("le centre"), "ce dernier", media
("un tweet de X") and "a-t-on appris auprès de X". Without a parser, runs of capitalised
words stand for names.
"""

from claimline.nlp.lexicon import fold
from claimline.nlp.mentions import DOMAIN, PRONOUN_SENTENCES, fits_gender, has_preposition, title_of
from claimline.nlp.statements import Speaker, clean_text, doc_has_parse

SPEAKER_MAX_TOKENS = 14
INCISE_MAX_TOKENS = 16
RULE_SPEAKER_WINDOW = 10  # "said the union's General Secretary Mary Jones": the name may come late
SPEAKER_CUT_DEPS = {"acl:relcl", "acl", "advcl", "ccomp", "xcomp", "conj", "cc", "parataxis",
                    "dep", "obl:mod", "obl", "advmod"}
CLITICS = {"-t-il": "il", "-t-elle": "elle", "-t-on": "on", "-il": "il", "-elle": "elle",
           "-on": "on", "-ils": "ils", "-elles": "elles", "-t-ils": "ils", "-t-elles": "elles"}
COORDINATED_DEPS = ("conj",)
VENUE_ROLES = ("addressee", "venue")


def is_present_participle(token):
    return "Part" in token.morph.get("VerbForm") and "Pres" in token.morph.get("Tense")


def antecedent_before_comma(relative):
    """The noun that ', qui' follows: 'le rectorat d'Amiens, qui…' gives 'rectorat'."""
    doc = relative.doc
    if relative.i < 2 or doc[relative.i - 1].text != ",":
        return None
    noun = doc[relative.i - 2]
    while noun.dep_ in ("nmod", "flat:name", "amod") and noun.head.i < noun.i:
        noun = noun.head
    return noun if noun.pos_ in ("NOUN", "PROPN") else None


class SpeakerPhrases:
    def __init__(self, lexicon):
        self.lexicon = lexicon

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
            if child.head == head and self.is_venue(child):
                continue  # "la ministre sur une radio publique": the speaker, not where she spoke
            tokens.append(child)
            stack.extend(child.children)
        tokens.sort(key=lambda t: t.i)
        start = end = tokens.index(head)
        while start > 0 and tokens[start - 1].i == tokens[start].i - 1:
            start -= 1
        while end < len(tokens) - 1 and tokens[end + 1].i == tokens[end].i + 1:
            end += 1
        run = tokens[start:end + 1][:SPEAKER_MAX_TOKENS]
        # "France Travail (ex-Pôle emploi)": an aside in brackets is not the name
        run = next((run[:k] for k, t in enumerate(run) if t.text == "(" and t.i > head.i), run)
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

    def is_venue(self, token):
        """'sur une radio', 'à l'AFP', 'dans un communiqué': where or to whom it was said."""
        case = next((c for c in token.children if c.dep_ == "case"), None)
        return case is not None and self.lexicon.preposition_roles.get(fold(case.text)) in VENUE_ROLES

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
            # "Le ministre de la Santé, Paul Durand, a…": named right after
            apposed = mentions.persons_in(span.end_char, span.end_char + 3)
            mention = (apposed[0] if apposed else None) \
                or mentions.described(head_word, span.start_char, "person") \
                or mentions.recent_person(span.start_char, gender) \
                or mentions.nearest([m for m in mentions.before(span.start_char) if m.kind == "person"
                                     and m.role is None and fits_gender(m, gender)], at_char, PRONOUN_SENTENCES)
            if mention:
                return Speaker(mention.text, mention.role or role, 0.7)
            return Speaker(text, role, 0.5)
        if lemma in lexicon.organisation_nouns and not mentions.named_complement(head):
            if head.morph.get("Number") == ["Plur"]:
                return None  # "les syndicats": which ones?
            # "le centre", "l'entreprise tourangelle": the organisation described, else the one
            # the article is about (named most; the last named is often a partner or a rival)
            mention = mentions.described(lemma, span.start_char, "organisation")
            if mention is None and lemma in lexicon.generic_organisation_nouns:
                mention = mentions.salient_organisation(span.start_char)
            return Speaker(mention.text, None, 0.7) if mention else Speaker(text, None, 0.5)
        has_name = any(t.pos_ == "PROPN" or t.ent_type_ or (t.is_upper and len(t) > 1) for t in span)
        if head.pos_ == "NOUN" and lemma not in lexicon.organisation_nouns and not (
                head.ent_type_ or (head.is_upper and len(head) > 1) or DOMAIN.match(head.text)
                or (head.is_title and not head.is_sent_start)
                or any(self.names_head(c) for c in head.children)):
            # "les parents", "le départ de son consul à Genève": not an identifiable
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
        """'un tweet de data.gouv' is data.gouv's; 'le communiqué' after 'un communiqué de X',
        X's; 'un tweet' alone, the last one named."""
        owner = self.medium_owner(head)
        if owner is None and any(c.dep_ == "det" and "Def" in c.morph.get("Definite") for c in head.children):
            earlier = next((t for t in reversed(doc[:head.i]) if t.pos_ == "NOUN"
                            and fold(t.lemma_) == fold(head.lemma_) and self.medium_owner(t) is not None), None)
            owner = self.medium_owner(earlier) if earlier is not None else None
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
                # ("a indiqué ce matin Marie Durand": "matin" is misparsed as a subject too, and
                # "Après le retour à la normale, X a indiqué": "retour")
                if child.dep_ in ("nsubj", "nsubj:pass", "expl:subj") and child.text != "-t" \
                        and not self.is_time_word(child) and not has_preposition(child):
                    return child
            if token.dep_ in ("conj", "xcomp") and token.head != token:
                token = token.head
            else:
                break
        return None

    def stray_subject(self, doc, verb):
        """A reporting verb the parser left without a subject ('Sur ce point, le Sgen ou
        encore la CFTC (…), assuraient que…'): the last name before it, outside any
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
        subject = self.subject_of(verb)
        if subject is not None and "Rel" in subject.morph.get("PronType"):
            # "…, a fait savoir l'opérateur, qui précise que…": the antecedent, also when the
            # relative clause is misparsed as a clause of the sentence
            subject = verb.head if verb.dep_ == "acl:relcl" else antecedent_before_comma(subject) or subject
        if subject is None and is_present_participle(verb):
            return self.participle_speakers(doc, verb)
        subject = subject or self.stray_subject(doc, verb)
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

    def participle_speakers(self, doc, verb):
        """'…, a expliqué la ministre, précisant que…': a present participle reports for the
        speaker of the report before it, in its sentence or, opening one, in the one before."""
        sent = verb.sent
        before = doc[sent.start:verb.i]
        if verb.i == sent.start and sent.start > 0:
            before = doc[doc[sent.start - 1].sent.start:sent.start]
        for token in reversed(before):
            if token.pos_ != "VERB" or is_present_participle(token) or not self.is_reporting(token):
                continue
            # resolved where the report before it starts, as that report's speaker was
            at_char = token.sent.start_char
            if self.is_incise_verb(token):
                return self.incise_speakers(doc, token, at_char, self.incise_end(token))
            # (the verb of a quote's incise, "», a expliqué la ministre sur RTL, précisant…")
            return self.speakers_of_verb(doc, token, at_char) \
                or self.incise_speakers(doc, token, at_char, self.incise_end(token))
        return []

    @staticmethod
    def incise_end(verb):
        """Where the incise of `verb` ends: the end of its sentence, or the comma or relative
        pronoun after its speaker ("…, a précisé le parquet, ajoutant que…", "…, précise
        l'organisme qui assure que…")."""
        for token in verb.doc[verb.i + 1:verb.sent.end]:
            if token.text in (",", ";", "(") or "Rel" in token.morph.get("PronType"):
                return token.i
        return verb.sent.end

    def starts_person(self, doc, k):
        """A known first name followed by a capitalised word: 'Marie-Laure Denis'."""
        return bool(self.lexicon.first_name_gender(doc[k].text)) and k + 1 < len(doc) and doc[k + 1].is_title

    def skip_phrase(self, doc, k):
        """Index after a prepositional phrase starting at k ("à franceinfo", "dans un communiqué")."""
        k += 1
        while k < len(doc) and doc[k].pos_ in ("DET", "ADP"):
            k += 1
        if k < len(doc) and doc[k].ent_type_ and doc[k].ent_iob_ == "B":
            k += 1
            # ("sur RMC Marie-Laure Denis" tagged as one entity: the person after the outlet is not skipped)
            while k < len(doc) and doc[k].ent_iob_ == "I" and not self.starts_person(doc, k):
                k += 1
            return k
        # "sur franceinfo Bruno Bobkiewicz": a lowercase outlet the parser left untagged, then the speaker
        while k < len(doc) and (doc[k].pos_ in ("NOUN", "ADJ") or doc[k].pos_ == "PROPN" and doc[k].is_lower) \
                and not self.starts_person(doc, k):
            k += 1
        if k < len(doc) and fold(doc[k - 1].lemma_) in self.lexicon.medium_nouns \
                and doc[k].ent_type_ and doc[k].ent_iob_ == "B":
            # "via son compte Twitter", "dans un message LinkedIn": the platform is part of it
            k += 1
            while k < len(doc) and doc[k].ent_iob_ == "I":
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
            medium = self.impersonal_medium(verb, clitics[0])
            found = self.medium_speaker(doc, self.noun_phrase(medium), medium, at_char) if medium is not None \
                else self.pronoun_speaker(doc, clitics[0].text, at_char)
            return [found] if found else []
        if not doc_has_parse(doc):
            return self.rule_speakers(doc, verb, start if start is not None else verb.i,
                                      min(stop, verb.i + RULE_SPEAKER_WINDOW))
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

    @staticmethod
    def medium_owner(medium):
        return next((c for c in medium.children if c.dep_ == "nmod" and c.pos_ in ("PROPN", "NOUN")), None)

    def impersonal_medium(self, verb, clitic):
        """'…, est-il indiqué dans un communiqué de la procureure': an impersonal passive whose
        "il" stands for no one; the medium it names says who spoke."""
        if clitic.dep_ != "expl:subj" or not any(c.dep_ == "aux:pass" for c in verb.children):
            return None
        return next((c for c in verb.children if c.i > verb.i
                     and fold(c.lemma_) in self.lexicon.medium_nouns), None)

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

    def rule_speakers(self, doc, verb, start, end, last=False):
        """Without a parser: 'she said' and 'the CEO said' stand for someone named before
        (`anaphor_speakers`); else the name around the verb, between `start` and the verb,
        or after it up to `end`."""
        # "she said", "…, said she." (not "said they were…": there the pronoun opens the report)
        after = doc[verb.i + 1] if verb.i + 1 < len(doc) else None
        if after is not None and after.i + 1 < len(doc) and not doc[after.i + 1].is_punct:
            after = None
        near = [t for t in (doc[verb.i - 1] if verb.i > 0 else None, after) if t is not None]
        described = self.description_before(doc, verb) or self.description_after(doc, verb)
        if described is not None or any(t.lower_ in self.lexicon.pronouns for t in near):
            return self.anaphor_speakers(doc, verb, of_organisation=described == "organisation"
                                         or any(t.lower_ == "it" for t in near))
        run = self.name_run(doc, start, verb.i, last=last) if start < verb.i else None
        run = run or self.name_run(doc, verb.i + 1, end)
        if run is None:
            return []
        if run.end < len(doc) and fold(doc[run.end].text) in self.lexicon.organisation_nouns:
            run = doc[run.start:run.end + 1]  # "the UK government said": the organisation the name qualifies
        return [Speaker(clean_text(run.text), None, 0.6)]

    def description_before(self, doc, verb):
        """'the CEO said', 'the energy secretary revealed' ("person"), 'the company said', 'the
        statement said' ("organisation"): a description with its article and no name, or None.
        Of a second verb ('The Toronto-based telecom giant apologized … and said'), the
        description opening the sentence."""
        k = verb.i - 1
        while k > 0 and fold(doc[k].text) in self.lexicon.verb_modifiers:
            k -= 1  # "the company had previously said"
        if k > 0 and doc[k].lower_ == "and":
            sent = doc[verb.i].sent
            k = next((t.i for t in doc[sent.start + 1:min(verb.i, sent.start + 6)]
                      if self.description_kind(t.text)), k)
        kind = self.description_kind(doc[k].text) if k > 0 else None
        if kind is None:
            return None
        # (the words between: "the energy secretary", "the Toronto-based telecom giant")
        while k > 0 and (doc[k - 1].is_lower and doc[k - 1].is_alpha or "-" in (doc[k - 1].text, doc[k].text)) \
                and fold(doc[k - 1].text) not in self.lexicon.determiners:
            k -= 1
        return kind if k > 0 and fold(doc[k - 1].text) in self.lexicon.determiners else None

    def description_after(self, doc, verb):
        """'…," reads the tweet.', '…," said the company.': a description right after the
        verb that ends the incise, as `description_before` reads it."""
        k = verb.i + 1
        if k >= len(doc) or fold(doc[k].text) not in self.lexicon.determiners:
            return None
        k += 1
        while k < len(doc) - 1 and doc[k].is_lower and doc[k].is_alpha and not doc[k + 1].is_punct:
            k += 1  # "said the energy secretary."
        if k + 1 >= len(doc) or not doc[k + 1].is_punct:
            return None
        return self.description_kind(doc[k].text)

    def description_kind(self, word):
        """"person" for a title ('the CEO'), "organisation" for an organisation ('the company')
        or a medium ('the statement', 'the tweet': the one reported speaking before), else None."""
        word = fold(word)
        if word in self.lexicon.titles:
            return "person"
        return "organisation" if word in self.lexicon.organisation_nouns or word in self.lexicon.medium_nouns \
            else None

    def anaphor_speakers(self, doc, verb, of_organisation=False):
        """Who 'he', 'she', 'the CEO' or 'the company' stands for: in the nearest sentence
        that names someone, a name reported speaking ("Kemp said", "Tom Hale told"; for a
        person not an acronym, more often an organisation's), as the full name named earlier
        that ends with it ("Laura Kemp"); else the last of its longest names of several
        words, or for an organisation the last name (not the sentence's first word)."""
        starts = [t.i for t in doc[:verb.i] if t.is_sent_start][-PRONOUN_SENTENCES - 1:]
        nearest_first = [(start, self.name_runs(doc, start, end))
                         for start, end in reversed(list(zip(starts, starts[1:] + [verb.i])))]
        for start, runs in nearest_first:
            speaking = [r for r in runs if (of_organisation or not (len(r) == 1 and r[0].is_upper))
                        and r.end < len(doc) and self.lexicon.is_reporting_verb(doc[r.end])]
            if speaking:
                name = speaking[-1]
                full = [r for r in self.name_runs(doc, 0, name.start) if len(r) > len(name)
                        and r[-1].text == name[-1].text] if len(name) == 1 else []
                return [Speaker(clean_text((full[-1] if full else name).text), None, 0.5)]
            if of_organisation:
                continue  # an organisation reported speaking further back comes first
            longest = max((len(r) for r in runs), default=0)
            if longest > 1:
                return [Speaker(clean_text([r for r in runs if len(r) == longest][-1].text), None, 0.5)]
        if of_organisation:
            for start, runs in nearest_first:
                named = [r for r in runs if r.start > start]
                if named:
                    return [Speaker(clean_text(named[-1].text), None, 0.5)]
        return []

    def name_runs(self, doc, start, end):
        """The runs of capitalised words in doc[start:end] (no-parser languages)."""
        runs, run = [], []
        for token in doc[start:min(end, len(doc))]:
            # "Rogers", "CNED", and names in camel case ("WhatsApp", "McKenna")
            if (token.is_title or token.text[:1].isupper() and token.is_alpha or token.is_upper
                    and len(token) > 1) and not token.is_stop \
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

    def speech_lemma(self, verb):
        """The verb's lemma, or its multi-word reporting verb ("met directement en cause": "mettre en cause")."""
        following = [t for t in verb.doc[verb.i + 1:verb.i + 4] if t.pos_ != "ADV"][:2]
        phrase = fold(" ".join([verb.lemma_] + [t.text for t in following]))
        return phrase if phrase in self.lexicon.reporting_verbs else fold(verb.lemma_)

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
        and none after ("X, le ministre, a assuré que…") is not, nor a present participle
        ("…, précisant que…": it reports a clause of its own)."""
        if is_present_participle(verb):
            return False
        if any(c.dep_ in ("nsubj", "nsubj:pass") and c.i < verb.i and c.pos_ in ("NOUN", "PROPN")
               for c in verb.children) and not self.subject_follows(verb):
            return False
        for token in reversed(verb.doc[max(verb.sent.start, verb.i - 4):verb.i]):
            if token.text in (",", "»", "”", '"'):
                return True
            if not (token.pos_ in ("AUX", "ADV") or fold(token.text) in CLITICS or token.text == "-t"
                    or token.pos_ == "PRON" and not token.dep_.startswith("nsubj")
                    or fold(token.lemma_) in ("faire", "mettre", "laisser", "en")):
                return False
        return False
