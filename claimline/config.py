"""Reading the user's YAML files: sources.yml and incidents.yml."""

from pathlib import Path

import yaml

from claimline import ClaimlineError
from claimline.kinds import COMMON_OPTIONS, KINDS

DOCUMENT_KINDS = ("article", "press_release", "post")
# libyaml's safe loader when PyYAML has it: ten times faster on a long incidents.yml, read
# at every analysis that has something to link
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path, top_key):
    path = Path(path)
    if not path.exists():
        raise ClaimlineError(f"{path}: no such file")
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark else ""
        raise ClaimlineError(f"{path}: invalid YAML{where}") from None
    if not isinstance(data, dict) or not isinstance(data.get(top_key), list):
        raise ClaimlineError(f"{path}: expected a list under '{top_key}:'")
    return data[top_key]


def load_sources(path, substitutions=None):
    """The validated list of sources of a sources.yml file.

    `substitutions` fills `{name}` placeholders in URLs (the demo's port).
    """
    sources = read_yaml(path, "sources")
    seen = set()
    for number, source in enumerate(sources, 1):
        where = f"{path}: source {number}"
        if not isinstance(source, dict) or not source.get("id"):
            raise ClaimlineError(f"{where} has no id")
        where = f"{path}: source '{source['id']}'"
        if source["id"] in seen:
            raise ClaimlineError(f"{where} is defined twice")
        seen.add(source["id"])
        kind = KINDS.get(source.get("kind"))
        if kind is None:
            raise ClaimlineError(f"{where} has unknown kind {source.get('kind')!r} "
                                 f"(known: {', '.join(KINDS)})")
        missing = [key for key in kind.required if not source.get(key)]
        if missing:
            raise ClaimlineError(f"{where} (kind {kind.name}) needs {', '.join(missing)}")
        unknown = set(source) - {"id", "kind"} - set(kind.required) - set(kind.optional) \
            - set(COMMON_OPTIONS)
        if unknown:
            raise ClaimlineError(f"{where} has unknown option(s): {', '.join(sorted(unknown))}")
        allow_private = source.get("allow_private", False)
        if not (isinstance(allow_private, bool) or (
                isinstance(allow_private, list) and all(isinstance(h, str) for h in allow_private))):
            raise ClaimlineError(f"{where}: allow_private must be true, false or a list of hosts")
        if source.get("document_kind", "article") not in DOCUMENT_KINDS:
            raise ClaimlineError(f"{where}: document_kind must be one of {', '.join(DOCUMENT_KINDS)}")
        if substitutions:
            for key in ("url", "urls"):
                if isinstance(source.get(key), str):
                    source[key] = source[key].format(**substitutions)
                elif isinstance(source.get(key), list):
                    source[key] = [u.format(**substitutions) for u in source[key]]
        urls = [source.get(key) for key in ("url", "api") if source.get(key)] + (source.get("urls") or [])
        for url in urls:
            if not str(url).startswith(("http://", "https://")):
                raise ClaimlineError(f"{where}: {url!r} is not an http:// or https:// URL")
    return sources


def load_incidents(path):
    if not Path(path).exists():
        return []
    incidents = read_yaml(path, "incidents")
    for incident in incidents:
        for key in ("id", "name", "start"):
            if not isinstance(incident, dict) or not incident.get(key):
                raise ClaimlineError(f"{path}: every incident needs {key}")
    return incidents
