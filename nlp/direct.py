"""Direct quotes and their speaker.

Each quote found by `claimline_quotes` is attributed, in this order, to the account of an
embedded post it repeats; to its incise ("», a-t-il ajouté", "», déclare le CNED"); to a
reporting verb or a "selon X" before it in its sentence, or a sentence ending in ":" just
before it; to the subject just before it (Il « espère que… »); for a paragraph that is all
quote, to the speaker of the paragraph before; for a quote that is a sentence of its own,
to the reporting verb of the next sentence; a paragraph that is all quote and left without a
speaker, to the speaker of the reported statement that ends the paragraph before.
"""

from claimline.nlp.indirect import MIN_CLAUSE_WORDS
from claimline.nlp.lexicon import fold
from claimline.nlp.paragraphs import text_of
from claimline.nlp.speaker_phrases import CLITICS, INCISE_MAX_TOKENS
from claimline.nlp.statements import Speaker, Statement, clean_text, doc_has_parse, word_count, word_set

INCISE_WINDOW = 8
RULE_INCISE_WINDOW = 10
POST_OVERLAP = 0.6
QUOTE_PARAGRAPH_SHARE = 0.6  # a paragraph this much quote continues its speaker's paragraph
ASIDE_MAX_TOKENS = 12  # "», en lien avec le rectorat et le ministère de l'Education, ajoute…"


def is_aside(span):
    """'dans un communiqué publié lundi', 'en lien avec le rectorat': a phrase between a quote
    and its incise, opened by a preposition or an adverb, with no verb of its own."""
    return 0 < len(span) <= ASIDE_MAX_TOKENS and span[0].pos_ in ("ADP", "ADV") \
        and not any("Fin" in t.morph.get("VerbForm") for t in span)


def fills_paragraph(doc, quote, start, end):
    """Is the paragraph doc[start:end] (characters) all, or nearly all, `quote`?"""
    return len(quote.text) >= QUOTE_PARAGRAPH_SHARE * len(text_of(doc)[start:end].strip())


class DirectQuotes:
    def __init__(self, speaker_phrases, markers):
        self.speaker_phrases = speaker_phrases
        self.markers = markers

    def incise_after(self, doc, quote):
        """« … », a-t-il ajouté / », déclare le CNED / », juge-t-elle."""
        i = quote.end
        if quote[-1].text in (".", "!", "?") and i < len(doc) and doc[i].text in ("»", "”", '"') \
                and i + 1 < len(doc) and doc[i + 1].text != ",":
            return None, []  # '"… to improve." Northwind said…': the next sentence, not an incise
        while i < len(doc) and (doc[i].is_punct or doc[i].is_space) and i - quote.end < 3:
            if doc[i].text in ("«", "“", ".", "!", "?"):
                return None, []
            i += 1
        sentence_end = doc[i].sent.end if i < len(doc) else len(doc)
        if i < len(doc) and self.markers.is_source_marker(doc[i]):
            # « naufrage numérique », selon l'expression du SNES-FSU
            found = self.markers.source_marker_speaker(doc, doc[i], quote.start_char)
            return doc[i], [found] if found else []
        parsed = doc_has_parse(doc)
        window = INCISE_WINDOW if parsed else RULE_INCISE_WINDOW
        if parsed:
            # « … », dans un communiqué publié lundi, indique la mairie.
            comma = next((t for t in doc[i:i + ASIDE_MAX_TOKENS + 1] if t.is_punct), None)
            if comma is not None and comma.text == "," and is_aside(doc[i:comma.i]):
                i = comma.i + 1
        # without a parser, an apposition may sit before the verb: ", Laurent Ferrandi, the CEO, said"
        for j in range(i, min(len(doc), i + window)):
            token = doc[j]
            if token.is_punct and token.text != "-" and (parsed or token.text != ","):
                break
            if token.pos_ == "AUX" or not self.speaker_phrases.is_reporting(token, incise_only=True) \
                    or not parsed and fold(doc[j - 1].text) in self.speaker_phrases.lexicon.determiners:
                continue  # (without a parser, "the tweet reads": after an article, a noun)
            found = [s for s in self.speaker_phrases.incise_speakers(doc, token, quote.start_char, sentence_end, i)
                     if not quote.start_char <= text_of(doc).find(s.text, quote.start_char) < quote.end_char]
            return token, found
        return None, []

    def cue_before(self, doc, quote):
        """'X a déclaré : « … »', 'selon X, « … »', a sentence ending in ':' just before."""
        sent = doc[quote.start].sent
        for token in reversed(doc[sent.start:quote.start]):
            if self.markers.is_source_marker(token):
                found = self.markers.source_marker_speaker(doc, token, quote.start_char)
                return token, [found] if found else []
            if self.speaker_phrases.is_reporting(token):
                found = self.speaker_phrases.speakers_of_verb(doc, token, quote.start_char) if doc_has_parse(doc) \
                    else self.speaker_phrases.rule_speakers(doc, token, sent.start, token.i, last=True)
                if found:
                    return token, found
        previous = doc[sent.start - 1] if sent.start > 0 else None
        if previous is not None and previous.is_space and sent.start > 1:
            previous = doc[sent.start - 2]
        if previous is not None and previous.text == ":":
            for token in previous.sent:
                if self.speaker_phrases.is_reporting(token):
                    found = self.speaker_phrases.speakers_of_verb(doc, token, quote.start_char)
                    if found:
                        return token, found
        return None, []

    def subject_before(self, doc, quote):
        """Il « espère que… »: the quote's own verb has its subject just before the quote."""
        for token in quote:
            for child in token.children:
                if child.dep_ in ("nsubj", "nsubj:pass", "expl:subj") and quote.start - 3 <= child.i < quote.start:
                    return None, self.speaker_phrases.speakers_of_subject(doc, child, quote.start_char)
        return None, []

    def next_sentence_cue(self, doc, quote):
        """«Des dysfonctionnements graves.» Au cours d'une conférence, le ministre X a blâmé…"""
        sent = doc[quote.start].sent
        if word_count(sent) - word_count(quote) > 2 or sent.end >= len(doc) or "\n" in sent.text.strip():
            return None, []
        following = doc[sent.end].sent
        for token in following:
            if self.speaker_phrases.is_reporting(token):
                subject = self.speaker_phrases.subject_of(token)
                if subject is not None and subject.pos_ in ("PROPN", "NOUN"):
                    return token, self.speaker_phrases.speakers_of_subject(doc, subject, quote.start_char)
        return None, []

    def post_author(self, doc, quote):
        """A quote repeating a post embedded in the article is that post's account's."""
        words = word_set(quote.text)
        for author, text in doc._.posts or []:
            post_words = word_set(text)
            if words and post_words and len(words & post_words) >= POST_OVERLAP * len(words):
                return None, [Speaker(author, None, 0.9)]
        return None, []

    def inner_incise(self, doc, quote):
        """« Tout a été vérifié, explique-t-il. Rien n'a été perdu. »: a quote its incise
        interrupts without closing and reopening marks. Returns the verb, its speakers and
        the quote's two parts, or None."""
        if not doc_has_parse(doc):
            return None
        phrases = self.speaker_phrases
        for comma in quote[:-1]:
            if comma.text != "," or word_count(doc[quote.start:comma.i]) < MIN_CLAUSE_WORDS:
                continue
            verb = next((t for t in doc[comma.i + 1:min(quote.end, comma.i + 5)]
                         if phrases.is_reporting(t, incise_only=True) and t.pos_ != "AUX"), None)
            if verb is None or not phrases.is_incise_verb(verb):
                continue
            # the incise ends with its sentence, or at a comma right after its clitic ("a-t-il dit, et…")
            after = verb.i + 1
            while after < quote.end and (fold(doc[after].text) in CLITICS or doc[after].text == "-t"):
                after += 1
            end = after if after > verb.i + 1 and after < quote.end and doc[after].text == "," else next(
                (t.i for t in doc[verb.i + 1:quote.end] if t.text in (".", "!", "?")), None)
            if end is None or end - verb.i > INCISE_MAX_TOKENS \
                    or word_count(doc[end + 1:quote.end]) < MIN_CLAUSE_WORDS:
                continue
            speakers = phrases.incise_speakers(doc, verb, quote.start_char, end)
            if speakers:
                return verb, speakers, [doc[quote.start:comma.i], doc[end + 1:quote.end]]
        return None

    def quote_statements(self, doc):
        statements = []
        quotes = [q for q in doc.spans.get("quotes", []) if q.label_ == "quote"]
        for quote in quotes:
            split = self.inner_incise(doc, quote)
            if split is not None:
                verb, found, parts = split
                statements += [Statement(part.start_char, part.end_char, clean_text(part.text), "direct",
                                         speaker.text, verb.lemma_, speaker.confidence, speaker.role)
                               for part in parts for speaker in found]
                continue
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

    def paragraph_continuations(self, doc, statements):
        """A paragraph that is all quote, left without a speaker, right after a paragraph whose
        last statement is reported ("According to X, …" then « … »): that speaker's too."""
        found = []
        for quote in doc.spans.get("quotes", []):
            if quote.label_ != "quote" or any(s.start_char < quote.end_char and quote.start_char < s.end_char
                                              for s in statements):
                continue
            start, end = self.paragraph_bounds(doc, quote.start_char)
            if start == 0 or not fills_paragraph(doc, quote, start, end):
                continue
            before_start, _ = self.paragraph_bounds(doc, start - 1)
            before = [s for s in statements if before_start <= s.start_char < start - 1]
            if before:
                last = max(before, key=lambda s: s.end_char)
                found.append(Statement(quote.start_char, quote.end_char, clean_text(quote.text), "direct",
                                       last.speaker_text, None, round(last.confidence * 0.6, 2), last.speaker_role))
        return found

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
        if not fills_paragraph(doc, quote, start, end):
            return None, []
        if start - prev_start > 0 and text_of(doc).count("\n", prev_start, start) > 1:
            return None, []
        return None, [Speaker(previous.speaker_text, previous.speaker_role, previous.confidence)]
