"""When a statement was made, not when it was published.

The `claimline_when` component finds time expressions ("ce mardi 6 avril", "hier
soir", "jeudi matin", "la veille", "vers 14 h", "April 6, 2021"), resolves them
against the document's publication date (`doc._.published_at`) and gives each
statement the nearest one: in its own sentence, else earlier in its paragraph,
else earlier in the document; else the publication date, and says so in
`said_at_precision` ("published"). Words inside a direct quote are the speaker's
own and are not used: their "ce matin" is the speaker's morning.

dateparser reads the explicit dates; weekdays and relative words are resolved
here because dateparser returns nothing for "ce mardi 6 avril" or "hier matin".
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import dateparser
from spacy.language import Language
from spacy.tokens import Doc

from nlp.lexicon import fold_chars, load_lexicon


@dataclass
class TimeExpression:
    start_char: int
    end_char: int
    text: str
    day: date
    precision: str                 # day, part_of_day, datetime
    time: str | None = None        # "14:00"


def alternatives(words):
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


class TimeFinder:
    def __init__(self, lang):
        self.lang = lang
        lex = load_lexicon(lang)
        self.lexicon = lex
        weekdays = alternatives(lex.weekdays)
        months = alternatives(lex.months)
        parts = alternatives(lex.parts_of_day)
        relative = alternatives(lex.relative_days)
        if lang == "en":
            self.date_re = re.compile(
                rf"\b(?:(?:{weekdays}),?\s+)?(?:(?P<month1>{months})\s+(?P<day1>\d{{1,2}})(?:st|nd|rd|th)?"
                rf"|(?P<day2>\d{{1,2}})\s+(?P<month2>{months}))(?:,?\s+(?P<year>\d{{4}}))?\b")
            self.weekday_re = re.compile(
                rf"\b(?:on\s+|last\s+)?(?P<weekday>{weekdays})(?:\s+(?P<part>{parts}))?\b")
        else:
            self.date_re = re.compile(
                rf"\b(?:(?:ce|le)\s+)?(?:(?:{weekdays})\s+)?(?P<day2>1er|\d{{1,2}})\s+(?P<month2>{months})"
                rf"(?:\s+(?P<year>\d{{4}}))?\b")
            self.weekday_re = re.compile(
                rf"\b(?:ce\s+|la nuit de\s+|dans la nuit de\s+)?(?P<weekday>{weekdays})"
                rf"(?:\s+(?P<part>{parts}))?(?P<last>\s+dernier)?\b")
        self.relative_re = re.compile(
            rf"(?<![\w-])(?P<relative>{relative})(?:\s+(?:au\s+)?(?P<part>{parts}))?(?![\w-])")
        self.clock_re = re.compile(r"\b(?:a|vers|des|at|around)\s+(?P<hour>\d{1,2})\s*(?:h|heures?|:)"
                                   r"\s*(?P<minute>\d{2})?")

    def parse_explicit(self, match, anchor):
        day = match.group("day1") if "day1" in match.re.groupindex and match.group("day1") else match.group("day2")
        month = match.group("month1") if "month1" in match.re.groupindex and match.group("month1") \
            else match.group("month2")
        text = f"{day.replace('er', '')} {month} {match.group('year') or anchor.year}"
        parsed = dateparser.parse(text, languages=[self.lang], settings={"DATE_ORDER": "DMY"})
        if parsed is None:
            return None
        found = parsed.date()
        if not match.group("year") and found > anchor + timedelta(days=2):
            found = found.replace(year=found.year - 1)
        return found

    def find(self, text, anchor):
        """All time expressions of `text`, resolved against the date `anchor`."""
        folded = fold_chars(text)
        found = []
        taken = []

        def add(match, day, precision):
            if day is None or any(match.start() < e and s < match.end() for s, e in taken):
                return
            taken.append((match.start(), match.end()))
            found.append(TimeExpression(match.start(), match.end(), text[match.start():match.end()],
                                        day, precision))

        for match in self.date_re.finditer(folded):
            add(match, self.parse_explicit(match, anchor), "day")
        for match in self.weekday_re.finditer(folded):
            index = self.lexicon.weekdays.index(match.group("weekday"))
            back = (anchor.weekday() - index) % 7
            if match.groupdict().get("last") and back == 0:
                back = 7
            add(match, anchor - timedelta(days=back), "part_of_day" if match.group("part") else "day")
        for match in self.relative_re.finditer(folded):
            offset = self.lexicon.relative_days[match.group("relative")]
            precise = match.group("part") or any(p in match.group("relative") for p in self.lexicon.parts_of_day)
            add(match, anchor + timedelta(days=offset), "part_of_day" if precise else "day")
        found.sort(key=lambda e: e.start_char)
        for match in self.clock_re.finditer(folded):
            hour, minute = int(match.group("hour")), int(match.group("minute") or 0)
            if hour > 23 or minute > 59:
                continue
            before = [e for e in found if e.end_char <= match.start() and match.start() - e.end_char < 40]
            if before:
                before[-1].time, before[-1].precision = f"{hour:02d}:{minute:02d}", "datetime"
        return found


def published_anchor(published_at):
    """(date, the offset suffix or '') of an ISO publication date or datetime."""
    if not published_at:
        return None, ""
    try:
        moment = datetime.fromisoformat(published_at)
    except ValueError:
        return None, ""
    offset = published_at[19:] if len(published_at) > 19 and published_at[19] in "+-Z" else ""
    return moment.date(), offset


@Language.factory("claimline_when", assigns=["doc._.statements"], default_config={"lang": "fr"})
def make_when(nlp, name, lang):
    return StatementDater(lang)


class StatementDater:
    def __init__(self, lang):
        self.finder = TimeFinder(lang)

    def __call__(self, doc: Doc) -> Doc:
        anchor, offset = published_anchor(doc._.published_at)
        statements = doc._.statements or []
        if anchor is None:
            for statement in statements:
                statement.said_at_precision = "unknown"
            return doc
        quotes = [(s.start_char, s.end_char) for s in statements if s.kind == "direct"]
        expressions = [e for e in self.finder.find(doc.text, anchor)
                       if not any(qs <= e.start_char < qe for qs, qe in quotes)]
        for statement in statements:
            if statement.kind == "post":
                # a post is dated by its platform, to the second when it says so
                statement.said_at = doc._.published_at
                statement.said_at_precision = "datetime" if "T" in doc._.published_at else "day"
                statement.said_at_text = None
                continue
            chosen = self.choose(doc, statement, expressions)
            if chosen is None:
                statement.said_at = doc._.published_at[:10]
                statement.said_at_precision = "published"
                statement.said_at_text = None
                continue
            said = chosen.day.isoformat()
            if chosen.time:
                said += f"T{chosen.time}:00{offset}"
            statement.said_at = said
            statement.said_at_precision = chosen.precision
            statement.said_at_text = chosen.text
        return doc

    def choose(self, doc, statement, expressions):
        sentence_start = doc.char_span(statement.start_char, statement.end_char,
                                       alignment_mode="expand")
        first_sent = sentence_start[0].sent if sentence_start is not None and len(sentence_start) else None
        last_sent = sentence_start[-1].sent if first_sent is not None else None
        lo = first_sent.start_char if first_sent is not None else statement.start_char
        hi = last_sent.end_char if last_sent is not None else statement.end_char
        if hi < len(doc.text) and statement.kind == "direct":
            # the incise after a quote ("», a-t-il déclaré mardi") belongs to it
            next_token = doc.char_span(hi, len(doc.text), alignment_mode="expand")
            if next_token is not None and len(next_token) and next_token[0].sent.start_char == hi:
                hi = min(next_token[0].sent.end_char, hi + 80)
        in_sentence = [e for e in expressions if lo <= e.start_char < hi]
        if in_sentence:
            return in_sentence[0]
        before = [e for e in expressions if e.start_char < lo]
        return before[-1] if before else None
