"""From a speaker as written to one actor: merging names, surnames, handles and titles.

`ActorResolver` knows every alias in the database (the curated `actors.yml`
and the actors met so far). A speaker phrase is matched whole, then part by part
("Michel Paulin, le PDG d'OVHcloud"), then by any known alias it contains; an
unknown speaker becomes a new actor whose full name, surname, handle or acronym
are its aliases, so "Sophie Vénétitay" and later "Vénétitay" are one person.
"""

import re

from claimline.nlp.lexicon import fold, fold_chars, load_lexicon

LEADING_WORDS = re.compile(r"^(?:selon|d'apres|pour|le|la|les|l'|du|de la|des|de|d'|m\.|mme)\s*")
# "@datagouvfr", "@cned.bsky.social", "@snes@mastodon.social" (a trailing dot ends a sentence)
HANDLE_RE = re.compile(r"\(@([\w.@-]*\w)\)|@([\w.@-]*\w)")
ACRONYM_RE = re.compile(r"\(([A-Z][A-Za-z]{1,9})\)")
MIN_CONTAINED_ALIAS = 3


def slug(text):
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")[:60] or "unknown"


def strip_leading(folded):
    previous = None
    while previous != folded:
        previous = folded
        folded = LEADING_WORDS.sub("", folded, count=1)
    return folded


def looks_like_person(name, organisation_words):
    """Two to four capitalised words, none of them an organisation noun ("York Regional
    Police" is no person, and its last word no surname to merge "Peel Regional Police" on)."""
    words = [w for w in re.split(r"[\s]+", name) if w]
    capitalised = [w for w in words if w[:1].isupper() and not w.isupper()]
    return len(words) >= 2 and len(capitalised) >= 2 and len(words) <= 4 \
        and not any(fold(w) in organisation_words for w in words)


class ActorResolver:
    def __init__(self, rows, lang="fr"):
        """`rows`: actors joined with their aliases (`claimline.db.actor_aliases`)."""
        self.titles = load_lexicon(lang).titles
        # names cross languages ("York Regional Police" in a French article)
        self.organisation_words = load_lexicon("fr").organisation_nouns | load_lexicon("en").organisation_nouns
        self.actors = {}
        self.by_alias = {}
        for row in rows:
            self.actors[row["id"]] = {k: row[k] for k in ("id", "name", "type", "role", "organisation_id")}
            self.by_alias.setdefault(row["alias_norm"], row["id"])
        self.new = {}  # actors created during this run: id -> (actor, aliases)

    def match(self, text):
        folded = strip_leading(fold(text))
        if not folded:
            return None
        if folded in self.by_alias:
            return self.by_alias[folded]
        folded_chars = fold_chars(text)
        contained = [alias for alias in self.by_alias if len(alias) >= MIN_CONTAINED_ALIAS
                     and alias in folded_chars and self.contains(text, folded_chars, alias)]
        if contained:
            return self.by_alias[max(contained, key=len)]
        return None

    @staticmethod
    def contains(text, folded_chars, alias):
        """Is `alias` a name in `text`, not the start of a longer name ("SNES-FSU Normandie")?"""
        for found in re.finditer(rf"(?<![\w@-]){re.escape(alias)}(?![\w-])", folded_chars):
            following = text[found.end():].split()
            if not following or not following[0][:1].isupper():
                return True
        return False

    def resolve(self, speaker_text, role=None):
        """The actor id for a speaker as written (created when unknown), or None."""
        if not speaker_text:
            return None
        handle = HANDLE_RE.search(speaker_text)
        name = HANDLE_RE.sub("", speaker_text).strip(" ,")
        candidates = [speaker_text] + [part for part in name.split(",") if part.strip()]
        if handle:
            candidates.insert(0, "@" + (handle.group(1) or handle.group(2)))
        for candidate in candidates:
            actor_id = self.match(candidate)
            if actor_id:
                if handle:
                    self.add_alias(actor_id, "@" + (handle.group(1) or handle.group(2)), "handle")
                return actor_id
        return self.create(name or speaker_text, role, handle and (handle.group(1) or handle.group(2)))

    def add_alias(self, actor_id, alias, kind):
        """A new alias of a known actor ("CNED officiel (@cned.bsky.social)" is the CNED)."""
        norm = fold(alias)
        if norm in self.by_alias:
            return
        self.by_alias[norm] = actor_id
        actor, aliases = self.new.get(actor_id, (self.actors[actor_id], []))
        self.new[actor_id] = (actor, aliases + [(alias, norm, kind)])

    def create(self, name, role, handle):
        parts = [p.strip() for p in name.split(",") if p.strip()]
        person_part = next((p for p in parts if looks_like_person(p, self.organisation_words)), None)
        display = person_part or parts[0]
        display = re.sub(r"^(?:[Ll]e |[Ll]a |[Ll]es |[Ll]'|[Ll]’)", "", display).strip()
        if not display or fold(display) in self.titles:
            return None
        kind = "person" if person_part else ("account" if handle else "organisation")
        # "Centre national d'enseignement à distance (CNED)": both names are its aliases
        acronym = ACRONYM_RE.search(display)
        display = ACRONYM_RE.sub("", display).strip()
        actor_id = slug(display)
        while actor_id in self.actors and self.actors[actor_id]["name"] != display:
            actor_id += "-2"
        organisation_id = self.match(role) if role else None
        actor = {"id": actor_id, "name": display, "type": kind, "role": role,
                 "organisation_id": organisation_id if organisation_id != actor_id else None,
                 "curated": 0}
        aliases = {fold(display): ("name", display)}
        if acronym:
            aliases.setdefault(fold(acronym.group(1)), ("acronym", acronym.group(1)))
        if kind == "person":
            surname = display.split()[-1]
            aliases.setdefault(fold(surname), ("surname", surname))
            if role and len(role.split()) > 1 and any(w[:1].isupper() for w in role.split()):
                # "présidente de la FCPE de Moselle" names one person; "porte-parole" does not
                aliases.setdefault(fold(role), ("title", role))
        if handle:
            aliases[fold("@" + handle)] = ("handle", "@" + handle)
        self.actors[actor_id] = actor
        for alias_norm in aliases:
            self.by_alias.setdefault(alias_norm, actor_id)
        self.new[actor_id] = (actor, [(text, norm, kind) for norm, (kind, text) in aliases.items()])
        return actor_id
