"""Press releases: the sentences nobody else is quoted in are the owner's statements."""

from claimline.nlp.statements import Statement, clean_text, word_count


def owner_statements(doc, taken):
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
