"""The words of the site's own pages in French and English, and dates written for people.

The language is one setting (`plugins: claimline: lang:` in metadata.yml, French by
default); ISO dates stay in `datetime` attributes, JSON and CSV. Times with an offset are
shown in the site's time zone (`plugins: claimline: timezone:`, Europe/Paris by default).
"""

import re
from datetime import date, datetime
from functools import cache
from importlib import resources
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from claimline import ClaimlineError

# One file of words a language, same keys in each (tests/test_labels.py checks it).
WORDS_DIR = resources.files("claimline") / "lang"
LANGS = tuple(sorted(path.name.removesuffix(".yml") for path in WORDS_DIR.iterdir()
                   if path.name.endswith(".yml")))
DEFAULT_LANG = "fr"
DEFAULT_TIMEZONE = "Europe/Paris"

# A part of the day said in the text ("ce matin", "mardi soir"): what the site writes, and
# the hour it sorts at.
PARTS_OF_DAY = [
    (re.compile(r"apr[eè]s-midi|afternoon", re.I), "afternoon", 15),
    (re.compile(r"matin|matinée|morning", re.I), "morning", 9),
    (re.compile(r"soir|soirée|evening|tonight", re.I), "evening", 19),
    (re.compile(r"nuit|night", re.I), "night", 23),
    (re.compile(r"midi|noon", re.I), "noon", 12),
]


def load_words(lang):
    """The words of one language, from claimline/lang/LANG.yml (kept in memory once read)."""
    if lang not in LANGS:
        raise ClaimlineError(f"site language {lang!r}: not one of {', '.join(LANGS)}")
    return _read_words(lang)


@cache
def _read_words(lang):
    words = yaml.safe_load((WORDS_DIR / f"{lang}.yml").read_text(encoding="utf-8"))
    if not isinstance(words, dict):
        raise ClaimlineError(f"{WORDS_DIR / lang}.yml: not a mapping of words")
    return words


def parse(value):
    """An ISO date or datetime string as (date, datetime or None); (None, None) if it is neither."""
    if not value:
        return None, None
    try:
        if len(value) > 10:
            moment = datetime.fromisoformat(value)
            return moment.date(), moment
        return date.fromisoformat(value), None
    except ValueError:
        return None, None


def part_of_day(said_at_text):
    """(name, hour) of the part of the day the words say, or None."""
    for pattern, name, hour in PARTS_OF_DAY:
        if said_at_text and pattern.search(said_at_text):
            return name, hour
    return None


class Labels:
    """`t.word` in templates, and dates written for people: `t.day(iso)`, `t.when(row)`."""

    def __init__(self, lang=DEFAULT_LANG, timezone=DEFAULT_TIMEZONE):
        self.lang = lang
        self.words = load_words(lang)
        try:
            self.zone = ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ClaimlineError(f"site time zone {timezone!r}: no such zone (Europe/Paris, UTC…)") from None

    def __getattr__(self, key):
        try:
            return self.words[key]
        except KeyError:
            raise AttributeError(key) from None

    def local(self, moment):
        """A datetime in the site's zone (one without offset is kept as written)."""
        return moment.astimezone(self.zone) if moment.tzinfo else moment

    def day(self, value):
        """« mardi 6 avril 2021 » / "Tuesday 6 April 2021"; the value itself if it is no date."""
        day, moment = parse(value)
        if moment:
            day = self.local(moment).date()
        if not day:
            return value or self.date_unknown
        number = "1er" if self.lang == "fr" and day.day == 1 else str(day.day)
        return f"{self.days[day.weekday()]} {number} {self.months[day.month - 1]} {day.year}"

    def clock(self, value):
        """« 10 h 12 » / "10:12" for a datetime, else None."""
        _, moment = parse(value)
        if not moment:
            return None
        moment = self.local(moment)
        if self.lang == "fr":
            return f"{moment.hour} h {moment.minute:02d}" if moment.minute else f"{moment.hour} h"
        return f"{moment.hour:02d}:{moment.minute:02d}"

    def when(self, row):
        """When a statement was said, for people, with its precision: the day, then the time
        (« 10 h 12 »), the part of the day (« dans la matinée »), or the publication time
        when that is all that is known (« publié à 14 h 20 »)."""
        said_at, precision = row.get("said_at"), row.get("said_at_precision")
        if not parse(said_at)[0]:
            return self.date_unknown
        text = self.day(said_at)
        clock = self.clock(said_at)
        part = part_of_day(row.get("said_at_text")) if precision == "part_of_day" else None
        published_clock = self.clock(row.get("published_at")) if same_day(said_at, row.get("published_at")) else None
        if clock:
            return f"{text}, {clock}"
        if part:
            return f"{text}, {self.words[part[0]]}"
        if published_clock:
            return f"{text}, {self.published_at.format(time=published_clock)}"
        if precision == "first_report":
            return f"{text} ({self.first_report_date})"
        return text

    def minutes(self, row):
        """Minutes into its day a statement sorts at: its time, its part of the day, else its
        publication time that day, else the end of the day."""
        _, moment = parse(row.get("said_at"))
        if moment:
            moment = self.local(moment)
            return moment.hour * 60 + moment.minute
        part = part_of_day(row.get("said_at_text")) if row.get("said_at_precision") == "part_of_day" else None
        if part:
            return part[1] * 60
        _, published = parse(row.get("published_at"))
        if published and same_day(row.get("said_at"), row.get("published_at")):
            published = self.local(published)
            return published.hour * 60 + published.minute
        return 24 * 60

    def reported(self, row):
        """« rapporté par 3 médias, d'abord par X, mardi 6 avril 2021, 11 h 45 »: who
        carried an utterance (`outlets`, counted by claimline.timeline), first."""
        outlet = row.get("outlet") or "?"
        text = (self.reported_by.format(n=row["outlets"], outlet=outlet) if row.get("outlets", 1) > 1
                else self.reported_once.format(outlet=outlet))
        if parse(row.get("published_at"))[0]:
            clock = self.clock(row["published_at"])
            text += f", {self.day(row['published_at'])}" + (f", {clock}" if clock else "")
        return text

    def claim(self, claim_type):
        return self.words["claims"].get(claim_type, claim_type)

    def kind(self, kind):
        return self.words["kinds"].get(kind, kind)


def site_labels(datasette):
    """The labels of a Datasette's site, from `plugins: claimline:` in its metadata."""
    config = datasette.plugin_config("claimline") or {}
    return Labels(config.get("lang", DEFAULT_LANG), config.get("timezone", DEFAULT_TIMEZONE))


def same_day(said_at, published_at):
    said, _ = parse(said_at)
    published, _ = parse(published_at)
    return bool(said and published and said == published)
