"""Is an article its outlet's own press release? The page says so: its URL or its first words
(the words are in press_releases.yml)."""

import functools
from importlib import resources
from urllib.parse import urlsplit

import yaml

from claimline.nlp.lexicon import fold

WORDS = resources.files("claimline") / "press_releases.yml"
# how far into the text the opening marker ("Communiqué de presse") is looked for
OPENING_CHARS = 200


@functools.lru_cache(maxsize=None)
def markers():
    data = yaml.safe_load(WORDS.read_text(encoding="utf-8"))
    return ([fold(w).split("-") for w in data["url_words"]], [fold(m) for m in data["text_markers"]])


def has_words(segment, words):
    return any(segment[i:i + len(words)] == words for i in range(len(segment) - len(words) + 1))


def is_press_release(url, text):
    url_words, text_markers = markers()
    segments = [fold(s).split("-") for s in urlsplit(url or "").path.split("/") if s]
    opening = fold((text or "")[:OPENING_CHARS])
    return any(has_words(segment, words) for segment in segments for words in url_words) \
        or any(marker in opening for marker in text_markers)
