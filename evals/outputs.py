"""What a run leaves behind: results.jsonl, summary.json, junit.xml, report.html, and a line
in the history that the report plots metrics over time from."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

HISTORY_SHOWN = 30


def write_junit(path: Path, summary: dict[str, Any], records: list[dict[str, Any]]) -> None:
    suite = ET.Element("testsuite", name="summarizer-eval", timestamp=summary["created_at"])
    failures = 0
    for name, m in sorted(summary["metrics"].items()):
        case = ET.SubElement(suite, "testcase", classname="metrics", name=name)
        if m["status"] == "fail":
            failures += 1
            detail = f"mean={m['mean']} threshold={m['threshold']} baseline={m['baseline']} band={m['band']}"
            ET.SubElement(case, "failure", message=f"{name} failed").text = detail
    for r in records:
        case = ET.SubElement(
            suite,
            "testcase",
            classname="cases",
            name=f"{r['case_id']}#{r['repeat']}",
            time=f"{r['wall_s']:.2f}",
        )
        if r["error"]:
            failures += 1
            ET.SubElement(case, "error", message=r["error"]["code"]).text = r["error"]["message"]
    for lost in summary["lost_claims"]:
        case = ET.SubElement(
            suite,
            "testcase",
            classname="lost_claims",
            name=f"{lost['case_id']}/{lost['expected_id']}",
        )
        failures += 1
        ET.SubElement(case, "failure", message="claim lost since baseline").text = lost[
            "description"
        ]
    suite.set("tests", str(len(suite)))
    suite.set("failures", str(failures))
    ET.ElementTree(suite).write(path, encoding="utf-8", xml_declaration=True)


def append_history(root: Path, summary: dict[str, Any]) -> list[dict[str, Any]]:
    history_path = root / "history.jsonl"
    entry = {
        "run_id": summary["run_id"],
        "created_at": summary["created_at"],
        "model": summary["model"],
        "prompt_versions": summary["prompt_versions"],
        "passed": summary["passed"],
        "metrics": {k: v["mean"] for k, v in summary["metrics"].items()},
    }
    with history_path.open("a") as fh:
        fh.write(json.dumps(entry) + "\n")
    lines = history_path.read_text().splitlines()
    return [json.loads(line) for line in lines[-HISTORY_SHOWN:] if line.strip()]


def write_run(root: Path, summary: dict[str, Any], records: list[dict[str, Any]]) -> Path:
    from evals.report import write_report

    run_dir = root / str(summary["run_id"])
    run_dir.mkdir(parents=True, exist_ok=True)
    with (run_dir / "results.jsonl").open("w") as fh:
        for record in records:
            fh.write(json.dumps(record) + "\n")
    summary["history"] = append_history(root, summary)
    (run_dir / "summary.json").write_text(json.dumps(summary, indent=2))
    write_junit(run_dir / "junit.xml", summary, records)
    write_report(run_dir, summary, records)
    return run_dir
