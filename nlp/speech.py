"""Who said what: direct quotes and reported speech, each with its speaker.

The `claimline_speech` component reads the quotes found by `claimline_quotes`, the
dependency parse and the document's mentions (`nlp.mentions`), and writes
`doc._.statements`, a list of `Statement` (`nlp.statements`). In this order:

1. a post is one statement of its account, and nothing else is looked for;
2. direct quotes get their speaker (`nlp.direct`): the account of an embedded post the
   quote repeats, its incise ("», a-t-il ajouté"), a reporting verb or "selon X" before
   it, the subject just before it, the speaker of the quote before, the next sentence;
3. reported speech (`nlp.indirect`): a reporting verb with a que-clause, an infinitive
   or an object, a clause followed by its incise ("…, a fait savoir le parquet"), a
   clause with "selon X", "d'après X", "pour X,"; the direct quotes that are only
   fragments of a reported clause are absorbed into it;
4. one statement per stretch of text and speaker is kept (`drop_overlaps`);
5. in a press release, the sentences nobody else is quoted in are the owner's
   (`nlp.press_release`).

Both kinds of speech find their speakers through `nlp.speaker_phrases` (reporting verbs,
incises, subjects, and the person or organisation a pronoun, title, description or "ce
dernier" stands for; subjects joined by "et"/"ou" each get the statement) and
`nlp.source_markers` ("selon X", "according to X").
"""

from spacy.language import Language
from spacy.tokens import Doc

from claimline.nlp.direct import DirectQuotes
from claimline.nlp.indirect import ReportedSpeech
from claimline.nlp.lexicon import load_lexicon
from claimline.nlp.mentions import Mentions
from claimline.nlp.paragraphs import text_of
from claimline.nlp.press_release import owner_statements
from claimline.nlp.source_markers import SourceMarkers
from claimline.nlp.speaker_phrases import SpeakerPhrases
from claimline.nlp.statements import Statement, clean_text


@Language.factory("claimline_speech", assigns=["doc._.statements"], default_config={"lang": "fr"})
def make_speech(nlp, name, lang):
    return SpeechFinder(lang)


class SpeechFinder:
    def __init__(self, lang):
        self.lexicon = load_lexicon(lang)
        speaker_phrases = SpeakerPhrases(self.lexicon)
        markers = SourceMarkers(self.lexicon, speaker_phrases)
        self.direct_quotes = DirectQuotes(speaker_phrases, markers)
        self.reported_speech = ReportedSpeech(self.lexicon, speaker_phrases, markers)

    def __call__(self, doc: Doc) -> Doc:
        doc._.mentions = Mentions(doc, self.lexicon)
        if doc._.document_kind == "post":
            # a post is one statement of its account
            doc._.statements = [Statement(0, len(text_of(doc)), clean_text(text_of(doc)), "post",
                                          doc._.owner, None, 0.9)] if doc._.owner else []
            return doc
        direct = self.direct_quotes.quote_statements(doc)
        reported, absorbed = self.reported_speech.reported_statements(doc, direct)
        statements = [s for s in direct if id(s) not in absorbed] + reported
        statements += self.direct_quotes.paragraph_continuations(doc, statements)
        statements = self.drop_overlaps(statements)
        if doc._.document_kind == "press_release" and doc._.owner:
            statements += owner_statements(doc, statements)
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

