"""Building the spaCy pipeline per language and running it over documents.

The model for each language is configurable (`MODELS`, or the environment
variable CLAIMLINE_MODEL_<LANG>). French uses fr_core_news_md. When a language's
model is not installed, a blank pipeline with a sentencizer runs the same
components on the rule-based cues alone (no parse), so English text still gets
quotes with their incises; installing an English model gives the better parse.
"""

import functools
import multiprocessing
import os

import spacy

from claimline.nlp import claims, paragraphs, quotes, speakers, speech, when  # noqa: F401  (register factories)
from claimline.nlp.excerpts import Excerpt

MODELS = {"fr": "fr_core_news_md", "en": "en_core_web_sm"}
BATCH_SIZE = 16


def model_name(lang):
    return os.environ.get(f"CLAIMLINE_MODEL_{lang.upper()}", MODELS.get(lang))


@functools.lru_cache(maxsize=None)
def load_pipeline(lang):
    """The pipeline for `lang` ('fr' for unknown languages: the product is French first)."""
    lang = lang if lang in MODELS else "fr"
    try:
        nlp = spacy.load(model_name(lang))
        nlp.add_pipe("claimline_paragraphs", before="parser")
    except OSError:
        nlp = spacy.blank(lang)
        nlp.add_pipe("claimline_paragraphs")
        nlp.add_pipe("sentencizer")
    for component in ("claimline_quotes", "claimline_speech", "claimline_speakers", "claimline_when",
                      "claimline_claims"):
        nlp.add_pipe(component, config={"lang": lang})
    return nlp


def make_doc(nlp, text, published_at=None, document_kind=None, owner=None, posts=None,
             site=None, outlets=None):
    doc = nlp.make_doc(text)
    doc._.site = site or []
    doc._.outlets = outlets or []
    doc._.published_at = published_at
    doc._.document_kind = document_kind
    doc._.owner = owner
    doc._.posts = posts or []
    return doc


def analyze_texts(lang, items):
    """Run the pipeline over (text, context) pairs; yields (doc, context).

    `context` is a dict with published_at, document_kind, owner, posts (the (author,
    text) of the posts embedded in the document), site (the names of the document's
    outlet: its name and host) and outlets (the names of every outlet known). The doc holds only the
    paragraphs where a statement can be (`nlp.excerpts`); its statements' offsets are
    those of the full text.
    """
    nlp = load_pipeline(lang)

    def docs():
        for text, ctx in items:
            # a post or a press release speaks as a whole: parse it all
            excerpt = Excerpt(text, lang, whole=ctx.get("document_kind") in ("post", "press_release"))
            doc = make_doc(nlp, excerpt.text, ctx.get("published_at"), ctx.get("document_kind"),
                           ctx.get("owner"), ctx.get("posts"), ctx.get("site"), ctx.get("outlets"))
            yield doc, (excerpt, ctx)

    for doc, (excerpt, ctx) in nlp.pipe(docs(), as_tuples=True, batch_size=BATCH_SIZE):
        for statement in doc._.statements or []:
            statement.start_char = excerpt.original(statement.start_char)
            statement.end_char = excerpt.original(statement.end_char - 1) + 1
        yield doc, ctx


# below this many documents per worker, starting processes costs more than it saves
MIN_DOCUMENTS_PER_WORKER = 32
CHUNK = 16


def analyze_chunk(args):
    lang, items = args
    return [(doc._.statements or [], ctx) for doc, ctx in analyze_texts(lang, items)]


def statements_of(lang, items, workers=1):
    """(statements, context) for each (text, context) item, in order, on `workers` processes.

    The pipeline is loaded before the workers are forked, so they share its memory;
    the statements come back to this process, which alone writes the database.
    """
    if workers <= 1 or len(items) < workers * MIN_DOCUMENTS_PER_WORKER:
        for doc, ctx in analyze_texts(lang, items):
            yield doc._.statements or [], ctx
        return
    load_pipeline(lang)
    chunks = [(lang, items[i:i + CHUNK]) for i in range(0, len(items), CHUNK)]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        for results in pool.imap(analyze_chunk, chunks):
            yield from results

