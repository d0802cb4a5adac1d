"""Reported speech: a reporting verb with a que-clause, an infinitive or an object ("a assuré
que…", "a assuré n'être aucunement responsable", "récuse toute responsabilité"), a clause
followed by its incise ("…, a fait savoir le parquet"), a clause an aside attributes ("comme
l'a souligné X, …"), or a clause with "selon X", "d'après X", "pour X,"; without a parser,
"X said (that) …" (", adding…", "but stressed…", "and that…" start another report of the
same speaker). A direct quote that is only a fragment of the reported clause is absorbed
into it.
"""

from claimline.nlp.lexicon import fold
from claimline.nlp.mentions import has_preposition
from claimline.nlp.quotes import CLOSERS, PAIRS
from claimline.nlp.speaker_phrases import CLITICS, is_present_participle
from claimline.nlp.statements import Statement, clean_text, doc_has_parse, word_count

MIN_STATEMENT_WORDS = 2
MIN_CLAUSE_WORDS = 4
LEAD_MAX_WORDS = 2  # "Toutefois, précise la gendarmerie, …": a sentence adverb before an incise
QUOTED_SHARE_FOR_DIRECT = 0.6
CLAUSE_DEPS = ("ccomp", "xcomp")
MISPARSED_INFINITIVE_DEPS = ("advcl", "parataxis")  # "a annoncé, mercredi, avoir été la cible…"
# a reported clause as `complement_of` finds it, misparses included ("dans un communiqué que…": acl)
REPORTED_CLAUSE_DEPS = CLAUSE_DEPS + MISPARSED_INFINITIVE_DEPS + ("acl",)
OBJECT_PHRASE_DEPS = ("obj", "obl:arg", "obl", "iobj", "advmod", "conj", "cc", "fixed", "xcomp")


class ReportedSpeech:
    def __init__(self, lexicon, speaker_phrases, markers):
        self.lexicon = lexicon
        self.speaker_phrases = speaker_phrases
        self.markers = markers

    def complement_of(self, verb):
        """The part of the sentence a reporting verb reports, or None."""
        for child in verb.children:
            if child.dep_ in CLAUSE_DEPS and child.pos_ in ("VERB", "AUX", "ADJ", "NOUN"):
                return child
            if child.dep_ in MISPARSED_INFINITIVE_DEPS and child.i > verb.i \
                    and "Inf" in child.left_edge.morph.get("VerbForm"):
                return child
            if child.i > verb.i and fold(child.lemma_) in self.lexicon.medium_nouns:
                # "a indiqué dans un communiqué que…", the clause parsed as the medium's
                clause = next((c for c in child.children if c.dep_ == "acl" and any(
                    m.dep_ == "mark" and fold(m.text) in self.lexicon.complementizers for m in c.children)), None)
                if clause is not None:
                    return clause
        following = verb.nbor() if verb.i + 1 < len(verb.doc) else None
        if following is not None and following.dep_ == "mark" and following.head.i > verb.i \
                and fold(following.text) in self.lexicon.complementizers \
                and following.head.pos_ in ("VERB", "AUX") and verb not in following.head.subtree:
            # "alors que X confirmait que la situation affectait…": the clause, parsed as a
            # clause of the main verb
            return following.head
        if self.is_object_speech(verb):
            for child in verb.children:
                # "a répertorié des ralentissements" is often parsed as obl:arg
                if child.dep_ in ("obj", "obl:arg") and child.pos_ in ("NOUN", "PROPN", "VERB") \
                        and not has_preposition(child):
                    return child
        return None

    def is_object_speech(self, verb):
        """A verb whose object is what was said; "réclame" is sometimes left unlemmatised."""
        lemma, text = self.speaker_phrases.speech_lemma(verb), fold(verb.text)
        return lemma in self.lexicon.object_speech_verbs or any(
            " " not in v and text.startswith(v[:-2]) and len(text) - len(v) <= 2
            for v in self.lexicon.object_speech_verbs)

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

    def complement_span(self, doc, head, second=None):
        """The clause `head` heads, up to `second`, the verb of a report of its own coordinated
        inside it ("…que A mais a souligné que B")."""
        tokens = sorted(head.subtree, key=lambda t: t.i)
        # "…que rien n'était perdu, ajoutant que…": the participle reports a clause of its own
        cut = next((k for k, t in enumerate(tokens) if k > 0 and tokens[k - 1].text == ","
                    and is_present_participle(t) and self.speaker_phrases.is_reporting(t)), None)
        tokens = tokens[:cut]
        if second is not None:
            tokens = [t for t in tokens if t.i < min(s.i for s in second.subtree)]
        return self.clause_span(doc, tokens)

    def clause_span(self, doc, tokens):
        """The span of a clause's `tokens`, without the punctuation and the complementizer
        ("que", "qu'") around it; None when nothing is left."""
        while tokens and (tokens[0].is_punct or fold(tokens[0].text) in self.lexicon.complementizers
                          and tokens[0].dep_ == "mark"):
            tokens.pop(0)
        while tokens and tokens[-1].is_punct and tokens[-1].text not in CLOSERS:
            tokens.pop()
        return doc[tokens[0].i:tokens[-1].i + 1] if tokens else None

    def as_reported(self, doc, verb):
        """'Comme l'a souligné le ministre, la panne a empêché…' / '…, comme l'a rappelé X': the
        clause the aside hangs on and the aside's speaker, or None."""
        if verb.dep_ != "advcl" or not any(c.dep_ == "mark" and fold(c.text) in self.lexicon.as_reported_marks
                                           for c in verb.children):
            return None
        speaker = next((c for c in verb.children if c.i > verb.i and c.dep_ in ("nsubj", "obj")
                        and c.pos_ in ("NOUN", "PROPN")), None)
        if speaker is None:
            return None
        aside = [t.i for t in verb.subtree]
        before = [t for t in verb.head.subtree if t.i < min(aside)]
        after = [t for t in verb.head.subtree if t.i > max(aside)]
        clause = self.clause_span(doc, after if len(after) >= len(before) else before)
        if clause is None:
            return None
        return clause, self.speaker_phrases.speakers_of_subject(doc, speaker, verb.idx)

    @staticmethod
    def quote_says_it(verb, span, quotes):
        """Do the quotes make most of the noun phrase they are in ('un dispositif « pas au
        point »', '« A » et « B »'), not 'la « suspension provisoire » de la messagerie'?"""
        inside = [q for q in quotes if q.label_ == "quote" and span.start <= q.start and q.end <= span.end]
        for quote in inside:
            phrase = quote.root if quote.root.head in (verb, quote.root) else quote.root.head
            start, end = phrase.left_edge.i, phrase.right_edge.i + 1
            quoted = sum(word_count(q) for q in inside if start <= q.start and q.end <= end)
            if quoted >= QUOTED_SHARE_FOR_DIRECT * word_count(span.doc[start:end]):
                return True
        return False

    def coordinated_report(self, head):
        """'a confirmé que A mais a souligné que B' parsed with B's verb inside A: that verb."""
        for token in head.subtree:
            if token.dep_ == "conj" and token.i > head.i and self.speaker_phrases.is_reporting(token) \
                    and not any(c.dep_.startswith("nsubj") for c in token.children):
                complement = self.complement_of(token)
                if complement is not None and complement.dep_ in CLAUSE_DEPS and complement.i > token.i:
                    return token
        return None

    def indirect(self, span, speakers, verb, quotes, direct, absorbed):
        """Indirect statements of `span`, unless its one quote says it all and is a direct
        statement already ("« … », a-t-il dit"); absorbs quoted fragments (« "A", "B" à titre
        "C", a-t-elle dit » is one)."""
        if span is None or word_count(span) < MIN_STATEMENT_WORDS + 1 or not speakers:
            return []
        inside = [q for q in quotes if q.start_char >= span.start_char and q.end_char <= span.end_char]
        if len(inside) == 1 and word_count(inside[0]) >= QUOTED_SHARE_FOR_DIRECT * word_count(span) \
                and any(inside[0].start_char <= d.start_char < inside[0].end_char for d in direct):
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
            coordinated = set()  # second reports already given their first's speakers
            for verb in doc:
                # (with a parse only a VERB reports: the others are ruled out before is_reporting)
                if verb.pos_ == "VERB" and self.speaker_phrases.is_reporting(verb) \
                        and verb.i not in coordinated and not any(q.start <= verb.i < q.end for q in quotes):
                    statements += self.verb_statements(doc, verb, quotes, direct, absorbed, coordinated)
            statements += self.clause_incise_statements(doc, quotes, direct, absorbed)
        else:
            statements += self.rule_statements(doc, quotes, direct, absorbed)
        statements += self.source_marker_statements(doc, quotes, direct, absorbed)
        return statements, absorbed

    def verb_statements(self, doc, verb, quotes, direct, absorbed, coordinated):
        """What the reporting `verb` reports: an aside's clause ("comme l'a dit X, …"), its
        clause, or its object; and a second report coordinated inside the clause."""
        lemma = self.speaker_phrases.speech_lemma(verb)
        aside = self.as_reported(doc, verb)
        if aside is not None:
            return self.indirect(*aside, lemma, quotes, direct, absorbed)
        if self.speaker_phrases.is_incise_verb(verb):
            return []
        head = self.complement_of(verb)
        if head is None or head.i < verb.i and verb.i - head.i > 1:
            return []
        is_clause = head.dep_ in REPORTED_CLAUSE_DEPS
        if not is_clause and is_present_participle(verb):
            return []  # "…, confirmant une information de X": an aside, not a report
        second = self.coordinated_report(head) if is_clause else None
        span = self.complement_span(doc, head, second) if is_clause else self.verb_phrase(doc, verb)
        if span is None or not is_clause and self.quote_says_it(verb, span, quotes):
            return []  # 'a fustigé un dispositif « pas au point »': the quote is the statement
        speakers = self.speaker_phrases.speakers_of_verb(doc, verb, span.start_char)
        statements = self.indirect(span, speakers, lemma, quotes, direct, absorbed)
        if second is not None:
            coordinated.add(second.i)
            complement = self.complement_of(second)
            second_span = self.complement_span(doc, complement, self.coordinated_report(complement))
            statements += self.indirect(second_span, speakers, self.speaker_phrases.speech_lemma(second),
                                        quotes, direct, absorbed)
        return statements

    def rule_statements(self, doc, quotes, direct, absorbed):
        """Reported speech without a parser (English without a model): 'X said (that) …',
        'X rejected the claim', '…, its operator Numeriscol said.'"""
        statements = []
        targeted = set().union(*self.lexicon.claim_verbs.values()) if self.lexicon.claim_verbs else set()
        for sent in doc.sents:
            end = sent.end
            # the sentence's last word, or the closing mark of a quote that ends it
            # (a straight mark opening the next sentence's quote is not this sentence's)
            while end > sent.start and (doc[end - 1].is_punct and (doc[end - 1].text not in CLOSERS
                                                                   or any(q.start == end for q in quotes))
                                        or doc[end - 1].is_space):
                end -= 1
            for verb in sent:
                if not (self.lexicon.is_reporting_verb(verb) or self.is_named_participle(doc, verb)) \
                        or any(q.start <= verb.i < q.end for q in quotes) \
                        or verb.i > 0 and doc[verb.i - 1].lower_ in self.lexicon.not_clause_starts \
                        and doc[verb.i - 1].lower_ not in self.lexicon.pronouns \
                        and fold(verb.text) not in targeted:
                    continue  # "to confirm", "will confirm": no report (but "continues to deny" is)
                # "…, the regional delegate for the coast, Ana Ruiz, told journalists."
                comma = next((t for t in doc[max(sent.start, verb.i - 12):verb.i] if t.text == ","
                              and self.speaker_phrases.name_run(doc, t.i + 1, verb.i) is not None), None) or next(
                    (t for t in reversed(doc[sent.start:verb.i]) if t.text == ","), None)
                if comma is not None and verb.i - comma.i <= 12 and end - verb.i <= 6 \
                        and word_count(doc[sent.start:comma.i]) >= MIN_CLAUSE_WORDS:
                    speakers = self.speaker_phrases.rule_speakers(doc, verb, comma.i + 1, end)
                    span = doc[sent.start:comma.i]
                else:
                    speakers = self.speaker_phrases.rule_speakers(doc, verb, sent.start, verb.i, last=True)
                    span = self.rule_complement(doc, verb, end, targeted)
                if speakers and span is not None:
                    for part, reporting in self.rule_reports(doc, verb, span, end, targeted):
                        statements += self.indirect(part, speakers, fold(reporting.text), quotes, direct, absorbed)
                    break
        return statements

    def rule_reports(self, doc, verb, span, end, targeted):
        """The reported clause `span` of `verb`, as (clause, its reporting verb) pairs: it ends
        before ', adding…', ', and noting…', '(,) but/and stressed…' or 'and that…', another report
        of the same speaker."""
        for token in span[1:-1]:
            before = doc[token.i - 1]
            if (before.text == "," or before.lower_ == "and" and doc[token.i - 2].text == ",") \
                    and self.is_reporting_participle(token):
                # "rejected the claims, saying B", "highlighted the issue, saying B": what was said is B
                object_only = span.start == verb.i or span[0].lower_ in self.lexicon.determiners
                second = self.rule_complement(doc, token, end, targeted)
                return ([] if object_only else [(doc[span.start:before.i], verb)]) + [(second, token)]
            that = fold(token.text) in self.lexicon.complementizers
            if before.lower_ in ("but", "and") and token.i - span.start >= MIN_CLAUSE_WORDS and (
                    that or self.lexicon.is_reporting_verb(token) and token.lower_.endswith("ed")):
                first = doc[span.start:before.i - (doc[before.i - 1].text == ",")]
                if that:
                    return [(first, verb), (doc[token.i + 1:span.end], verb)]  # "said that A and that B"
                return [(first, verb), (self.rule_complement(doc, token, end, targeted), token)]
        return [(span, verb)]

    def is_named_participle(self, doc, token):
        """'in response to the reporter Dana Reyes tweeting that…': a reporting participle right
        after the name of its speaker (after a comma it continues the report before it)."""
        return token.i > 0 and doc[token.i - 1].is_title and not doc[token.i - 1].is_sent_start \
            and self.is_reporting_participle(token)

    def is_reporting_participle(self, token):
        """'adding', 'saying', 'noting': a reporting verb's present participle."""
        word = token.lower_
        return word.endswith("ing") and any(stem in self.lexicon.reporting_verbs
                                            for stem in (word[:-3], word[:-3] + "e", word[:-4]))

    def rule_complement(self, doc, verb, end, targeted):
        """What follows a reporting verb: after 'that', the verb and its object for a blame or a
        denial ('rejected the claim'), or a clause right after it ('said pupils had…')."""
        after = doc[verb.i + 1:end]
        that = next((t for t in after[:6] if t.lower_ == "that"), None)
        if that is not None:
            return doc[that.i + 1:end]
        if any(fold(t.text) in self.lexicon.medium_nouns for t in after[:3]):
            return None  # "posted a statement on its website": the medium, not the words
        if fold(verb.text) in targeted:
            return doc[verb.i:end]
        is_time_word = self.speaker_phrases.is_time_word
        if len(after) and after[0].is_lower and after[0].is_alpha and not is_time_word(after[0]) \
                and after[0].lower_ not in self.lexicon.not_clause_starts:
            return after
        opens_clause = after[0].lower_ in ("it", "no", "there") \
            or after[0].is_title and not is_time_word(after[0]) if len(after) else False
        if len(after) > 2 and opens_clause and any(t.is_lower and t.is_alpha for t in after[1:4]) \
                and not after[1].is_punct and after[1].lower_ != "to":
            # a clause with its own subject: 'said it has restored…', 'said there was…',
            # 'said Lanvex is committed…', 'said no data was lost' (not 'said no to the plan')
            return after
        return None

    def clause_incise_statements(self, doc, quotes, direct, absorbed):
        """'Cette enquête a été ouverte pour…, a fait savoir le parquet de Lyon.' / after a
        word or two, the clause that follows: 'Toutefois, précise la gendarmerie, rien…'"""
        statements = []
        for sent in doc.sents:
            for comma in (t for t in sent if t.text == ","):
                verb = next((t for t in doc[comma.i + 1:min(sent.end, comma.i + 5)]
                             if t.pos_ in ("VERB", "NOUN") and self.speaker_phrases.is_reporting(t, incise_only=True)
                             or t.pos_ == "VERB" and fold(t.lemma_) in self.lexicon.impersonal_source_verbs
                             and any(fold(c.text) in CLITICS for c in doc[t.i - 2:t.i + 2])), None)
                if verb is None or any(q.start <= verb.i < q.end for q in quotes):
                    continue
                if not self.speaker_phrases.is_incise_verb(verb):
                    continue
                clause = doc[sent.start:comma.i]
                if word_count(clause) < MIN_CLAUSE_WORDS:
                    end = self.speaker_phrases.incise_end(verb)
                    if word_count(clause) > LEAD_MAX_WORDS or end >= sent.end or doc[end].text != ",":
                        continue
                    clause = doc[end + 1:sent.end]
                    while len(clause) and clause[-1].is_punct and clause[-1].text not in CLOSERS:
                        clause = clause[:-1]
                    if word_count(clause) < MIN_CLAUSE_WORDS:
                        continue
                if not any(t.pos_ in ("VERB", "AUX") for t in clause):
                    continue
                # a clause opening (after its mark) or ending inside its one quote: the quote and
                # its incise ("« … », dans un communiqué, indique X") are a direct statement
                inside = [q for q in quotes if q.label_ == "quote"
                          and q.start < clause.end and clause.start < q.end]
                first = clause.start + (clause[0].text in PAIRS and len(inside) == 1)
                if any(q.start <= first < q.end or q.start < clause.end <= q.end for q in inside):
                    continue
                speakers = self.speaker_phrases.incise_speakers(doc, verb, clause.start_char,
                                                                self.speaker_phrases.incise_end(verb))
                statements += self.indirect(clause, speakers, verb.lemma_, quotes, direct, absorbed)
                break
        return statements

    def source_marker_statements(self, doc, quotes, direct, absorbed):
        """'Selon le ministère, la plateforme fonctionne.' / 'Toujours selon la préfecture, …' /
        '…, dans six régions selon le syndicat, il est impossible de…' (the main clause)."""
        statements = []
        for sent in doc.sents:
            marker = next((t for t in sent if self.markers.is_source_marker(t)), None)
            if marker is None or any(0 < marker.i - q.end <= 2 and "\n" not in doc[q.end:marker.i].text
                                     for q in quotes if q.label_ == "quote"):
                continue  # "« … », selon X": the quote is the statement (not one closing the paragraph before)
            found = self.markers.source_marker_speaker(doc, marker, sent.start_char)
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
            if not doc_has_parse(doc) and any(self.lexicon.is_reporting_verb(t) for t in span):
                continue  # "According to X, the company had said…": the company's words, X relays them
            statements += self.indirect(span, [found], fold(marker.text), quotes, direct, absorbed)
        return statements

    def marker_phrase_end(self, doc, marker, sent):
        end = marker.i + 1
        while end < sent.end and doc[end].text not in (",", ":"):
            end += 1
        return end

    def holds_main_verb(self, span):
        if not doc_has_parse(span.doc):
            return len(span) > 0
        return any(t.dep_ == "ROOT" or t.pos_ in ("VERB", "AUX") and t.head.dep_ == "ROOT" and t.dep_ == "conj"
                   for t in span)
