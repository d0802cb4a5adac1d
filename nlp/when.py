"""When a statement was made, not when it was published.

The `claimline_when` component finds time expressions ("ce mardi 6 avril", "hier
soir", "jeudi matin", "la veille", "vers 14 h", "April 6, 2021"), resolves them
against the document's publication date (`doc._.published_at`) and gives each
statement the nearest one: in its own sentence, else earlier in its paragraph,
else earlier in the document; else the publication date, and says so in
`said_at_precision` ("published"). Words inside quote marks are the speaker's
own and are not used: their "ce matin" is the speaker's morning. A day in a sentence
where nobody speaks ("la coupure a débuté lundi") dates an event, not the statements
after it.

dateparser reads the explicit dates; weekdays and relative words are resolved
here because dateparser returns nothing for "ce mardi 6 avril" or "hier matin".
"""

import functools
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import dateparser
from spacy.language import Language
from spacy.tokens import Doc

from claimline.nlp.lexicon import fold_chars, load_lexicon
from claimline.nlp.paragraphs import text_of


@dataclass
class TimeExpression:
    start_char: int
    end_char: int
    text: str
    day: date
    precision: str                 # day, part_of_day, datetime
    time: str | None = None        # "14:00"
    carries: bool = True           # may date the statements that follow it


# a date this long before publication is background, unless in the statement's sentence
BACKGROUND_DAYS = 7
MAX_YEAR_ROLLBACK_DAYS = 183


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
                rf"\b(?:on\s+|(?P<last>last)\s+)?(?P<weekday>{weekdays})(?:\s+(?P<part>{parts}))?\b")
        else:
            self.date_re = re.compile(
                rf"\b(?:(?:ce|le)\s+)?(?:(?:{weekdays})\s+)?(?P<day2>1er|\d{{1,2}})\s+(?P<month2>{months})"
                rf"(?:\s+(?P<year>\d{{4}}))?\b")
            self.weekday_re = re.compile(
                rf"\b(?:ce\s+|la nuit de\s+|dans la nuit de\s+)?(?P<weekday>{weekdays})"
                rf"(?:\s+(?P<part>{parts}))?(?P<last>\s+dernier)?\b")
        self.relative_re = re.compile(
            rf"(?<![\w-])(?P<relative>{relative})(?:\s+(?:au\s+)?(?P<part>{parts}))?(?![\w-])")
        self.duration_markers = tuple(m + " " for m in lex.duration_markers)
        self.past_markers = tuple(lex.past_markers) or ("\0",)
        self.clock_re = re.compile(r"\b(?:a|vers|des|at|around)\s+(?P<hour>\d{1,2})\s*(?:h|heures?|:)"
                                   r"\s*(?P<minute>\d{2})?")

    def parse_explicit(self, match, anchor):
        day = match.group("day1") if "day1" in match.re.groupindex and match.group("day1") else match.group("day2")
        month = match.group("month1") if "month1" in match.re.groupindex and match.group("month1") \
            else match.group("month2")
        found = parse_date(f"{day.replace('er', '')} {month} {match.group('year') or anchor.year}", self.lang)
        if found is None:
            return None
        if not match.group("year") and found > anchor + timedelta(days=2):
            # "le 28 décembre" in a January article is last year's; "le 13 novembre" in a
            # 2 November article is to come, and dates no statement
            last_year = found.replace(year=found.year - 1)
            found = last_year if (anchor - last_year).days <= MAX_YEAR_ROLLBACK_DAYS else None
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
            if folded[max(0, match.start() - 16):match.start()].endswith(self.duration_markers):
                return  # "depuis lundi matin" is when something began, not when it was said
            if day > anchor + timedelta(days=1):
                return  # words cannot be said after they are published: a date to come
            # "le 10 mars dernier", "vendredi dernier", or any date weeks before publication,
            # recalls an earlier event: it dates its own sentence only
            past = folded[match.end():match.end() + 10].lstrip().startswith(self.past_markers) \
                or bool(match.groupdict().get("last")) or (anchor - day).days > BACKGROUND_DAYS
            found.append(TimeExpression(match.start(), match.end(), text[match.start():match.end()],
                                        day, precision, carries=not past))

        for match in self.date_re.finditer(folded):
            add(match, self.parse_explicit(match, anchor), "day")
        for match in self.weekday_re.finditer(folded):
            index = self.lexicon.weekdays.index(match.group("weekday"))
            back = (anchor.weekday() - index) % 7
            if match.groupdict().get("last") and back == 0:
                back = 7
            add(match, anchor - timedelta(days=back), "part_of_day" if match.group("part") else "day")
        narrative = []
        for match in self.relative_re.finditer(folded):
            if match.group("relative") in self.lexicon.narrative_days:
                narrative.append(match)
                continue
            offset = self.lexicon.relative_days[match.group("relative")]
            precise = match.group("part") or any(p in match.group("relative") for p in self.lexicon.parts_of_day)
            add(match, anchor + timedelta(days=offset), "part_of_day" if precise else "day")
        for match in narrative:
            # "la veille", "le lendemain": of the day the story has reached, not of publication
            told = [e.day for e in found if e.end_char <= match.start() and e.carries
                    and fold_chars(e.text) not in self.lexicon.narrative_days]
            offset = self.lexicon.relative_days[match.group("relative")]
            add(match, (told[-1] if told else anchor) + timedelta(days=offset),
                "part_of_day" if match.group("part") else "day")
        found.sort(key=lambda e: e.start_char)
        for match in self.clock_re.finditer(folded):
            hour, minute = int(match.group("hour")), int(match.group("minute") or 0)
            if hour > 23 or minute > 59:
                continue
            before = [e for e in found if e.end_char <= match.start() and match.start() - e.end_char < 40]
            if before:
                before[-1].time, before[-1].precision = f"{hour:02d}:{minute:02d}", "datetime"
        return found


def speaks_in_sentence(doc, expression, statements):
    """Does a statement share the sentence of `expression`?"""
    span = doc.char_span(expression.start_char, expression.end_char, alignment_mode="expand")
    if span is None or not len(span):
        return True
    sentence = span.sent
    return any(s.start_char < sentence.end_char and sentence.start_char < s.end_char for s in statements)


@functools.lru_cache(maxsize=4096)
def parse_date(text, lang):
    """'6 avril 2021' → date (dateparser is slow: the same dates recur across documents)."""
    parsed = dateparser.parse(text, languages=[lang], settings={"DATE_ORDER": "DMY"})
    return parsed.date() if parsed else None


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
        # the words inside quote marks, whether a direct statement or fragments of a reported one
        quotes = [(s.start_char, s.end_char) for s in statements if s.kind == "direct"] + [
            (q.start_char, q.end_char) for q in doc.spans.get("quotes", []) if q.label_ == "quote"]
        expressions = [e for e in self.finder.find(text_of(doc), anchor)
                       if not any(qs <= e.start_char < qe for qs, qe in quotes)]
        for expression in expressions:
            # what a reported clause dates is its own business, not the next statement's
            if any(s.start_char <= expression.start_char < s.end_char for s in statements):
                expression.carries = False
            # a day in a sentence where nobody speaks dates an event ("la panne a débuté
            # vendredi"), not the statements after it
            if not speaks_in_sentence(doc, expression, statements):
                expression.carries = False
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
        span = doc.char_span(statement.start_char, statement.end_char, alignment_mode="expand")
        first_sent = span[0].sent if span is not None and len(span) else None
        last_sent = span[-1].sent if first_sent is not None else None
        lo = first_sent.start_char if first_sent is not None else statement.start_char
        hi = last_sent.end_char if last_sent is not None else statement.end_char
        in_sentence = [e for e in expressions if lo <= e.start_char < hi]
        # the attribution ("», a-t-il déclaré mardi", "a-t-on appris mercredi") before the
        # reported words ("a ouvert une enquête mardi")
        attribution = [e for e in in_sentence
                       if not statement.start_char <= e.start_char < statement.end_char]
        if attribution:
            return attribution[0]
        carried = [e for e in expressions if e.carries]
        # the day the story has reached, before a time inside the reported words ("conteste
        # la version donnée la veille"), which is often the time of what they report
        before = [e for e in carried if e.start_char < lo]
        if before or in_sentence:
            return before[-1] if before else in_sentence[0]
        lead_end = text_of(doc).find("\n")
        if lead_end < 0 or lo > lead_end:
            return None
        # the lead paragraph, before the story gives its day: the day the next one gives
        soon = text_of(doc).find("\n", lead_end + 1)
        after = [e for e in carried if hi <= e.start_char and (soon < 0 or e.start_char < soon)]
        return after[0] if after else None
