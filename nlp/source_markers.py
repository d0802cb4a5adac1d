"""Source markers: "selon X", "d'après X", "pour X, …", "according to X", and the X they name."""

from claimline.nlp.lexicon import fold
from claimline.nlp.statements import Speaker, clean_text, doc_has_parse


class SourceMarkers:
    def __init__(self, lexicon, speaker_phrases):
        self.lexicon = lexicon
        self.speaker_phrases = speaker_phrases
        # the first word of each source marker ("selon", "d'", "according"): most tokens
        # are ruled out at once
        self.marker_starts = {m.split("'")[0] + "'" if "'" in m else m.split()[0]
                              for m in self.lexicon.source_markers}

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
            run = self.speaker_phrases.name_run(doc, start, start + 6)
            return Speaker(clean_text(run.text), None, 0.6) if run is not None else None
        head = marker.head if marker.head.i > marker.i else None
        if head is None:
            head = next((t for t in doc[start:start + 3] if t.pos_ in ("PROPN", "NOUN", "PRON")), None)
        if head is None:
            return None
        phrase = self.speaker_phrases.noun_phrase(head)
        if phrase is None:
            return None
        # the phrase after the marker, up to a comma ("according to X, because of…")
        end = next((t.i for t in doc[start:phrase.end] if t.text == ","), phrase.end)
        return self.speaker_phrases.speaker_from_span(doc, doc[max(start, phrase.start):end], at_char)
