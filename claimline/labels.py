"""The words of the site's own pages in French and English, and dates written for people.

The language is one setting (`plugins: claimline: lang:` in metadata.yml, French by
default); ISO dates stay in `datetime` attributes, JSON and CSV. Times with an offset are
shown in the site's time zone (`plugins: claimline: timezone:`, Europe/Paris by default).
"""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

LANGS = ("fr", "en")
DEFAULT_LANG = "fr"
DEFAULT_TIMEZONE = "Europe/Paris"

DAYS = {"fr": ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"],
        "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]}
MONTHS = {"fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
                 "septembre", "octobre", "novembre", "décembre"],
          "en": ["January", "February", "March", "April", "May", "June", "July", "August",
                 "September", "October", "November", "December"]}
# A part of the day said in the text ("ce matin", "mardi soir"): what the site writes, and
# the hour it sorts at.
PARTS_OF_DAY = [
    (re.compile(r"apr[eè]s-midi|afternoon", re.I), "afternoon", 15),
    (re.compile(r"matin|matinée|morning", re.I), "morning", 9),
    (re.compile(r"soir|soirée|evening|tonight", re.I), "evening", 19),
    (re.compile(r"nuit|night", re.I), "night", 23),
    (re.compile(r"midi|noon", re.I), "noon", 12),
]

WORDS = {
    "fr": {
        "home_title": "Incidents suivis", "home_intro": "Chaque incident réunit ce qu'ont dit les ministères, les entreprises, les syndicats et la presse : qui a dit quoi, quand, et sur qui.",
        "tables": "toutes les tables et requêtes (SQL, CSV, JSON)", "timeline": "Chronologie",
        "search": "recherche", "feed": "flux Atom de ces déclarations",
        "as_table": "en table (CSV, JSON)", "statements_n": "déclarations", "speakers_n": "personnes ou organisations",
        "utterances_n": "propos", "from": "du", "to": "au", "since": "depuis le",
        "latest": "Derniers propos", "open_incident": "Ouvrir l'incident",
        "summary": "En bref", "first_report": "Premier signalement", "who_blamed": "Qui a accusé qui",
        "who_denied": "Qui a démenti", "explanations": "Explications avancées", "none": "aucun",
        "blames": "accuse", "denies": "dément",
        "incident": "Incident", "speaker": "Personne", "claim": "Type", "all": "tous", "any": "tous",
        "since_label": "Du", "until_label": "Au", "filter": "Filtrer", "clear": "effacer",
        "statements_range": "Propos", "earlier": "plus tôt", "later": "plus tard",
        "no_match": "Aucune déclaration ne correspond.", "disputes": "Contestations", "said": "Dit",
        "denied": "Démenti", "in_dispute": "contesté", "in_timeline": "dans la chronologie",
        "provenance": "provenance", "archived": "copie archivée", "the_post": "le message",
        "canonical": "adresse d'origine", "reconstruction": "reconstitution de démonstration",
        "reported_by": "rapporté par {n} médias, d'abord par {outlet}",
        "reported_once": "rapporté par {outlet}", "other_reports": "{n} autres comptes rendus",
        "context": "contexte", "sentence": "la phrase", "paragraph": "le paragraphe",
        "published": "publié", "published_at": "publié à {time}", "date_unknown": "date inconnue",
        "first_report_date": "jour du premier compte rendu",
        "morning": "dans la matinée", "afternoon": "dans l'après-midi", "evening": "dans la soirée",
        "night": "dans la nuit", "noon": "vers midi",
        "chart_days": "Propos par jour et par personne", "chart_hours": "Propos par tranche de trois heures et par personne",
        "chart_more": "les {n} plus fréquentes ; {others} autres non montrées", "chart_click": "Cliquez une case pour filtrer.",
        "anonymous": "sources anonymes ou génériques", "anonymous_one": "anonyme", "named": "personnes et organisations nommées",
        "kinds": {"direct": "citation", "indirect": "discours rapporté", "post": "message"},
        "claims": {"blame": "accusation", "denial": "démenti", "cyberattack": "cyberattaque",
                   "outage_report": "panne signalée", "restoration": "rétablissement",
                   "complaint_filed": "plainte", "criticism": "critique", "figures": "chiffres"},
        "columns": "Description des colonnes", "more_tables": "Tables et requêtes",
    },
    "en": {
        "home_title": "Incidents tracked", "home_intro": "Each incident gathers what ministries, companies, unions and the press said: who said what, when, and about whom.",
        "tables": "every table and query (SQL, CSV, JSON)", "timeline": "Timeline",
        "search": "search", "feed": "Atom feed of these statements",
        "as_table": "as a table (CSV, JSON)", "statements_n": "statements", "speakers_n": "people or organisations",
        "utterances_n": "utterances", "from": "from", "to": "to", "since": "since",
        "latest": "Latest statements", "open_incident": "Open the incident",
        "summary": "In short", "first_report": "First report", "who_blamed": "Who blamed whom",
        "who_denied": "Who denied", "explanations": "Competing explanations", "none": "none",
        "blames": "blames", "denies": "denies",
        "incident": "Incident", "speaker": "Speaker", "claim": "Claim", "all": "all", "any": "any",
        "since_label": "From", "until_label": "To", "filter": "Filter", "clear": "clear",
        "statements_range": "Utterances", "earlier": "earlier", "later": "later",
        "no_match": "No statement matches.", "disputes": "Disputes", "said": "Said",
        "denied": "Denied", "in_dispute": "in a dispute", "in_timeline": "in the timeline",
        "provenance": "provenance", "archived": "archived copy", "the_post": "the post",
        "canonical": "original address", "reconstruction": "demo reconstruction",
        "reported_by": "reported by {n} outlets, first by {outlet}",
        "reported_once": "reported by {outlet}", "other_reports": "{n} other reports",
        "context": "context", "sentence": "the sentence", "paragraph": "the paragraph",
        "published": "published", "published_at": "published at {time}", "date_unknown": "date unknown",
        "first_report_date": "day of the first report",
        "morning": "in the morning", "afternoon": "in the afternoon", "evening": "in the evening",
        "night": "at night", "noon": "around noon",
        "chart_days": "Utterances per day, by speaker", "chart_hours": "Utterances per three hours, by speaker",
        "chart_more": "the {n} most frequent; {others} more not shown", "chart_click": "Click a cell to filter.",
        "anonymous": "anonymous or generic sources", "anonymous_one": "anonymous", "named": "named people and organisations",
        "kinds": {"direct": "quote", "indirect": "reported speech", "post": "post"},
        "claims": {"blame": "blame", "denial": "denial", "cyberattack": "cyberattack",
                   "outage_report": "outage report", "restoration": "restoration",
                   "complaint_filed": "complaint filed", "criticism": "criticism", "figures": "figures"},
        "columns": "Column descriptions", "more_tables": "Tables and queries",
    },
}


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
        self.lang = lang if lang in LANGS else DEFAULT_LANG
        self.words = WORDS[self.lang]
        self.zone = ZoneInfo(timezone)

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
        return f"{DAYS[self.lang][day.weekday()]} {number} {MONTHS[self.lang][day.month - 1]} {day.year}"

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
