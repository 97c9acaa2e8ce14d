"""Reader verdicts from Slack ("looks right" / "flag wrong claim") as hand labels.

Each flagged article becomes one case in the format of schema/case.schema.json: confirmed
claims become expected claims, claims flagged wrong become forbidden facts. The schema asks
for a fully labelled article (10+ claims, a forbidden fact, summary mentions), because
recall and precision are only meaningful against complete labels. A case that meets it is
written with the other cases, where the nightly run picks it up; one that does not yet is
written as a draft next to them, valid in every field, for a labeller to complete and move.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator

from evals.cases import OUTLET, SCHEMA_PATH
from service.pipeline.claims.entities import OUTLET_VOICES

Flag = dict[str, Any]
JobLookup = Callable[[str], dict[str, Any] | None]  # job id -> {"spec": ..., "result": ...}

_WORD = re.compile(r"[A-Za-z][A-Za-z-]+")
_NUMBER = re.compile(r"\d[\d.,]*%?")
_STOP = frozenset(
    """about above after again against also among because been before being between could
    during every from have having into itself more most other over said says should since
    some such than that their them then there these they this those through under until
    very were what when where which while will with would according reported""".split()
)
DEFAULT_MAX_WORDS = 40


def slug(text: str, words: int = 5, content: bool = False) -> str:
    parts = re.findall(r"[a-z0-9]+", text.lower())
    if content:  # an id that says what the claim is about, not how its sentence starts
        parts = [p for p in parts if len(p) > 3 and p not in _STOP] or parts
    return "-".join(parts[:words]) or "item"


def match_groups(text: str, most: int) -> list[list[str]]:
    """Terms that pick this statement out: its numbers first, then its longest content words
    (stemmed, as labellers write them, so 'supplies' also finds 'supplied')."""
    terms = list(dict.fromkeys(n.rstrip(".,") for n in _NUMBER.findall(text)))
    words = sorted(
        {w.lower() for w in _WORD.findall(text) if len(w) > 3 and w.lower() not in _STOP},
        key=lambda w: (-len(w), w),
    )
    for word in words:
        stem = re.sub(r"(ing|ed|es|s)$", "", word) if len(word) > 6 else word
        if not any(stem in t or t in stem for t in terms):
            terms.append(stem)
    return [[t] for t in terms[:most]]


@dataclass(frozen=True)
class Built:
    case_id: str
    data: dict[str, Any]
    article_text: str
    missing: list[str]  # empty: complete, ready for the nightly run


def _speaker_entity(name: str, results: list[dict[str, Any]]) -> dict[str, Any]:
    """The entity for a speaker, with the type and surface forms the pipeline saw if any."""
    for result in results:
        for entity in result.get("entities") or []:
            forms = [f["text"] for f in entity.get("surface_forms") or []]
            if name == entity.get("name") or name in forms:
                aliases = list(dict.fromkeys([name, entity["name"], *forms]))
                return {
                    "id": slug(name, 8),
                    "name": name,
                    "type": entity["type"],
                    "aliases": aliases,
                }
    return {"id": slug(name, 8), "name": name, "type": "other", "aliases": [name]}


def _verdict_line(flag: Flag) -> str:
    who = f" by {flag['user']}" if flag.get("user") else ""
    note = f" ({flag['note']})" if flag.get("note") else ""
    return f"reviewed in Slack{who}{note}"


def build_case(flags: list[Flag], job: JobLookup) -> Built:
    """One case from every flag on one article (the latest verdict on a claim wins)."""
    text = flags[0]["article_text"]
    digest = hashlib.sha256(text.encode()).hexdigest()[:12]
    case_id = f"flag_{digest}"
    latest = {(f["claim"].get("text"), f["claim"].get("speaker")): f for f in flags}
    jobs = [
        j for j in (job(i) for i in dict.fromkeys(f["job_id"] for f in flags if f["job_id"])) if j
    ]
    results = [r for j in jobs for r in (j.get("result") or {}).get("results") or []]
    entities: dict[str, dict[str, Any]] = {}
    claims: list[dict[str, Any]] = []
    forbidden: list[dict[str, Any]] = []
    used: set[str] = set()
    for flag in latest.values():
        claim = flag["claim"]
        statement = str(claim.get("text", ""))
        key = slug(statement, content=True)
        while key in used:
            key += "-x"
        used.add(key)
        if flag["verdict"] == "wrong":
            forbidden.append(
                {
                    "id": key,
                    "description": f"flagged wrong: {statement} ({_verdict_line(flag)})",
                    "match": match_groups(statement, 3),
                    "reason": "invented",
                }
            )
            continue
        speaker = str(claim.get("speaker", ""))
        if speaker.strip().lower() in OUTLET_VOICES or not speaker.strip():
            speaker_id = OUTLET
        else:
            found = _speaker_entity(speaker, results)
            entity = entities.setdefault(found["id"], found)
            entity["aliases"] = list(dict.fromkeys([*entity["aliases"], speaker]))
            speaker_id = entity["id"]
        item: dict[str, Any] = {
            "id": key,
            "description": f"{statement} ({_verdict_line(flag)})",
            "match": match_groups(statement, 3),
            "speaker": [speaker_id],
        }
        numbers = [n for n in claim.get("numbers") or [] if re.search(r"\d", n)]
        if numbers:
            item["numbers"] = list(dict.fromkeys(numbers))
        if claim.get("kind"):
            item["kind"] = claim["kind"]
        claims.append(item)
    named = Counter(c["speaker"][0] for c in claims if c["speaker"] != [OUTLET])
    main = [entities[top] for top, _n in named.most_common(1)]
    max_words = next(
        (int(j["spec"]["max_words"]) for j in jobs if (j.get("spec") or {}).get("max_words")),
        DEFAULT_MAX_WORDS,
    )
    data = {
        "id": case_id,
        "description": f"From Slack reviews: {len(claims)} claims confirmed, "
        f"{len(forbidden)} flagged wrong",
        "story": f"flagged-{digest}",
        "article": {"path": "", "format": "text", "outlet": None, "published_at": None},
        "entities": list(entities.values()),
        "claims": claims,
        "forbidden": forbidden,
        "boilerplate": [],
        "summary": {
            "max_words": max_words,
            "must_mention": [list(dict.fromkeys([e["name"], *e["aliases"]])) for e in main],
        },
    }
    return Built(case_id, data, text, _missing(data))


def _relaxed_schema() -> dict[str, Any]:
    """The case schema without its completeness minimums: what a draft must already meet."""
    schema = copy.deepcopy(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))
    props = schema["properties"]
    for name in ("entities", "claims", "forbidden"):
        props[name].pop("minItems", None)
        props[name].pop("maxItems", None)
    schema["$defs"]["claim"]["properties"]["match"]["minItems"] = 1
    props["summary"]["properties"]["must_mention"] = {"type": "array"}
    return dict(schema)


def format_errors(data: dict[str, Any], complete: bool) -> list[str]:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8")) if complete else _relaxed_schema()
    errors = Draft202012Validator(schema).iter_errors(data)
    return [f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in errors]


def _missing(data: dict[str, Any]) -> list[str]:
    needs = []
    claims = len(data["claims"])
    if claims < 10:
        needs.append(f"{10 - claims} more expected claims (a case lists 10 to 15)")
    if claims > 15:
        needs.append(f"at most 15 expected claims ({claims - 15} to merge or drop)")
    if not data["forbidden"]:
        needs.append("a forbidden fact (no claim was flagged wrong)")
    if len(data["forbidden"]) > 10:
        needs.append(f"at most 10 forbidden facts ({len(data['forbidden']) - 10} to drop)")
    needs += [
        f"a second match group for claim {c['id']}" for c in data["claims"] if len(c["match"]) < 2
    ]
    if not data["entities"]:
        needs.append("entities (every confirmed claim is in the outlet's own voice)")
    if not data["summary"]["must_mention"]:
        needs.append("summary.must_mention")
    return needs


def write_cases(
    flags: list[Flag], job: JobLookup, out: Path, drafts: Path, articles: Path
) -> list[tuple[str, Path, list[str]]]:
    """Write a case per flagged article; never overwrite one (a labeller may be editing it).
    Returns (status, path, what is missing) per article: status ready, draft or exists."""
    by_article: dict[str, list[Flag]] = {}
    for flag in flags:
        by_article.setdefault(flag["article_hash"], []).append(flag)
    report: list[tuple[str, Path, list[str]]] = []
    for group in by_article.values():
        built = build_case(group, job)
        ready = not built.missing
        path = (out if ready else drafts) / f"{built.case_id}.yaml"
        existing = [p for p in (out / path.name, drafts / path.name) if p.exists()]
        if existing:
            report.append(("exists", existing[0], []))
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        articles.mkdir(parents=True, exist_ok=True)
        article_path = articles / f"{built.case_id}.txt"
        article_path.write_bytes(built.article_text.encode("utf-8"))  # offsets: exact bytes
        built.data["article"]["path"] = os.path.relpath(article_path, path.parent)
        problems = format_errors(built.data, complete=ready)
        if problems:  # a bug here, not a labelling gap: never write a case that cannot load
            raise ValueError(f"{built.case_id}: generated case does not fit the schema: {problems}")
        schema = os.path.relpath(SCHEMA_PATH, path.parent)
        header = [f"# yaml-language-server: $schema={schema}"]
        header.append(
            "# Generated from Slack reviews: check that each match group picks out its claim."
        )
        if not ready:
            header.append(
                "# DRAFT from Slack reviews. Before it can join the nightly run it needs:"
            )
            header += [f"#   - {need}" for need in built.missing]
            header.append(
                f"# then move it to {os.path.relpath(out, path.parent)}/ and check the match groups."
            )
        body = yaml.safe_dump(built.data, sort_keys=False, allow_unicode=True, width=100)
        path.write_text("\n".join(header) + "\n" + body, encoding="utf-8")
        report.append(("ready" if ready else "draft", path, built.missing))
    return report
