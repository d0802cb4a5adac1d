"""Score the statements of a database against a gold file.

The rules are those of the shared reference scorer (`../shared/eval/score.py`), so
numbers from `claimline eval` and from that script agree:

- text is normalised (accents and case folded, `@` dropped, curly apostrophes
  straightened) and compared as sets of tokens of 2+ letters or digits; the overlap
  of two texts is |common tokens| / max(|tokens|);
- each gold page's statements are matched one-to-one with the system's statements of
  that page, greedily from the highest overlap down, pairs below 30 % never match;
- optional gold statements are neither rewarded nor punished: a system statement
  matched to one is left out of the system count;
- the speaker is right when one of the gold aliases (or the gold name) is contained
  in the system speaker; the date is right when the first 10 characters of `said_at`
  are the gold `said_on`.

A system row belongs to a gold page when the last segment of its document URL or of
the URL it was fetched from is the page's file name (with or without `.html`);
embedded posts carry their article's URLs. score.py compares canonical links
verbatim instead, so it loses a page whose canonical link carries `utm_` parameters
(claimline strips them); here the fetched URL still names that page.

claimline adds the claim-type accuracy: the gold claim is among the statement's
claim types (a statement without any counts as `other`).
"""

import json
import re
import unicodedata
from pathlib import Path
from urllib.parse import urlsplit

from claimline import ClaimlineError
from claimline import db as database

MATCH_OVERLAP = 0.3
STRICT_OVERLAP = 0.8
NO_CLAIM = "other"
# claim types whose precision is reported apart: they make the disputes
PRECISION_CLAIMS = ("blame", "denial")


def norm(text):
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"\s+", " ", text.replace("@", "").replace("’", "'")).strip()


def tokens(text):
    return set(re.findall(r"[a-z0-9#]{2,}", norm(text)))


def overlap(a, b):
    ta, tb = tokens(a), tokens(b)
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / max(len(ta), len(tb))


def load_gold(paths):
    """The gold statements of one or more JSONL files, in order."""
    gold = []
    for path in paths:
        path = Path(path)
        if not path.exists():
            raise ClaimlineError(f"{path}: no such file")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError:
                raise ClaimlineError(f"{path}: line {number} is not JSON") from None
            missing = [k for k in ("page", "text", "aliases") if k not in record]
            if missing:
                raise ClaimlineError(f"{path}: line {number} has no {', '.join(missing)}")
            gold.append(record)
    return gold


def last_segment(url):
    return urlsplit(url or "").path.rstrip("/").rsplit("/", 1)[-1].lower()


def rows_by_page(rows, pages):
    """System rows grouped by the gold page they come from; rows of other pages are dropped."""
    names = {}
    for page in pages:
        names[page.lower()] = page
        names.setdefault(page.lower().removesuffix(".html"), page)
    grouped = {}
    for row in rows:
        for url in (row.get("document_url"), row.get("fetched_url")):
            page = names.get(last_segment(url))
            if page:
                grouped.setdefault(page, []).append(row)
                break
    return grouped


def match_page(gold, rows):
    """One-to-one greedy matching: {gold index: (row index, overlap)}."""
    pairs = sorted(((overlap(g["text"], r.get("statement")), i, j)
                    for i, g in enumerate(gold) for j, r in enumerate(rows)), reverse=True)
    used_gold, used_rows, matches = set(), set(), {}
    for score, i, j in pairs:
        if score < MATCH_OVERLAP:
            break
        if i in used_gold or j in used_rows:
            continue
        used_gold.add(i)
        used_rows.add(j)
        matches[i] = (j, score)
    return matches


def speaker_is_right(gold, speaker):
    """An alias in the system speaker; a gold statement without a speaker accepts any."""
    speaker = norm(speaker)
    if not gold.get("speaker"):
        return bool(speaker)
    return bool(speaker) and any(norm(name) in speaker for name in gold["aliases"] + [gold["speaker"]])


def claim_types(row):
    types = {t.strip() for t in (row.get("claim_types") or "").split(",") if t.strip()}
    return types or {NO_CLAIM}


def prf(true_positives, n_system, n_gold):
    precision = true_positives / n_system if n_system else 0.0
    recall = true_positives / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3)}


def ratio(right, total):
    return round(right / total, 3) if total else 0.0


def evaluate(db, gold):
    """Scores of the `timeline` of `db` against the `gold` records, as a dict.

    Keys: gold, system (counts), quotes_30 and quotes_80 (precision, recall, f1 of
    the words alone at 30 % and 80 % overlap), statements (right words and right
    speaker), speaker_accuracy, date_accuracy, claim_accuracy (over matched gold
    statements), claim_precision (of blame and denial: the share of system statements
    given that type whose gold statement has it), counts (the raw numbers, to pool
    several sets), and misses (one human line per error, "extra" for a system
    statement that matches no gold one).
    """
    pages = sorted({g["page"] for g in gold})
    grouped = rows_by_page(database.timeline_with_fetched_urls(db), pages)
    n_gold = n_system = loose = strict = 0
    speakers = dates = n_dates = claims = 0
    typed = {t: [0, 0] for t in PRECISION_CLAIMS}  # claim type -> [right, given]
    misses = []
    for page in pages:
        page_gold = [g for g in gold if g["page"] == page]
        rows = grouped.get(page, [])
        matches = match_page(page_gold, rows)
        matched_optional = {matches[i][0] for i, g in enumerate(page_gold) if g.get("optional") and i in matches}
        n_gold += sum(1 for g in page_gold if not g.get("optional"))
        n_system += len(rows) - len(matched_optional)
        for i, g in enumerate(page_gold):
            if g.get("optional"):
                continue
            what = f"{page}: {g.get('speaker')}: {g['text'][:60]}"
            if i not in matches:
                misses.append(f"missed {what}")
                continue
            j, score = matches[i]
            row = rows[j]
            loose += 1
            strict += score >= STRICT_OVERLAP
            if speaker_is_right(g, row.get("speaker")):
                speakers += 1  # right words and right speaker: a statement found
            else:
                misses.append(f"speaker {row.get('speaker')!r} instead of {what}")
            if g.get("said_on"):
                n_dates += 1
                said_on = (row.get("said_at") or "")[:10]
                if said_on == g["said_on"]:
                    dates += 1
                else:
                    misses.append(f"date {said_on!r} instead of {g['said_on']} for {what}")
            if g.get("claim") in claim_types(row):
                claims += 1
            else:
                misses.append(f"claim {row.get('claim_types') or NO_CLAIM!r} instead of {g.get('claim')} for {what}")
        matched_rows = {j for j, _ in matches.values()}
        gold_of_row = {j: page_gold[i] for i, (j, _) in matches.items()}
        for j, row in enumerate(rows):
            if j in matched_optional:
                continue
            for claim_type in claim_types(row) & set(PRECISION_CLAIMS):
                typed[claim_type][1] += 1
                typed[claim_type][0] += j in gold_of_row and gold_of_row[j].get("claim") == claim_type
        misses += [f"extra {page}: {r.get('speaker')}: {(r.get('statement') or '')[:60]}"
                   for j, r in enumerate(rows) if j not in matched_rows]
    return {
        "gold": n_gold, "system": n_system,
        "quotes_30": prf(loose, n_system, n_gold),
        "quotes_80": prf(strict, n_system, n_gold),
        "statements": prf(speakers, n_system, n_gold),
        "speaker_accuracy": ratio(speakers, loose),
        "date_accuracy": ratio(dates, n_dates),
        "claim_accuracy": ratio(claims, loose),
        "claim_precision": {t: {"precision": ratio(right, given), "given": given}
                            for t, (right, given) in typed.items()},
        "counts": {"gold": n_gold, "system": n_system, "matched": loose, "found": speakers,
                   "dates": n_dates, "dates_right": dates, "claims_right": claims,
                   **{f"{t}_typed": given for t, (_, given) in typed.items()},
                   **{f"{t}_right": right for t, (right, _) in typed.items()}},
        "misses": misses,
    }


def summary_lines(scores):
    """The scores as lines of text for the terminal."""
    def line(label, s):
        return f"{label:<24} P {s['precision']:.3f}  R {s['recall']:.3f}  F1 {s['f1']:.3f}"
    return [
        f"gold statements {scores['gold']}, system statements {scores['system']}",
        line("quotes (30% overlap)", scores["quotes_30"]),
        line("quotes (80% overlap)", scores["quotes_80"]),
        line("statements", scores["statements"]) + "  (right words and speaker)",
        f"speaker accuracy    {scores['speaker_accuracy']:.3f}",
        f"date accuracy       {scores['date_accuracy']:.3f}",
        f"claim-type accuracy {scores['claim_accuracy']:.3f}",
        *(f"{t} precision     {p['precision']:.3f} ({p['given']} given)"
          for t, p in scores["claim_precision"].items()),
    ]


def build_gold_db(gold_dir, db_path):
    """Crawl and analyse a gold folder into `db_path`: `site/` is served on 127.0.0.1
    and refreshed with the folder's `sources.yml` (`{base_url}` filled in) and
    `actors.yml`, as the demo does. Returns the refresh counts."""
    from claimline.config import load_sources
    from claimline.localsite import LocalSite
    from claimline.refresh import refresh
    gold_dir = Path(gold_dir)
    with LocalSite(gold_dir / "site") as site:
        sources = load_sources(gold_dir / "sources.yml", {"base_url": site.base_url})
        return refresh(db_path, sources, actors_file=gold_dir / "actors.yml",
                       settings_module="claimline.crawler.settings.local", command="refresh")
