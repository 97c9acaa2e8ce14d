"""report.html for one eval run: gate verdict, metrics vs baseline, history and per-case detail.

The file must work as a ticket attachment or offline, so everything is inline (CSS, SVG, JS) and a
CSP forbids any fetch. Article text is untrusted (it can contain <script>), so every piece of run
data goes through html.escape via `_e`/`_el`; the only markup not built by `_el` is static.
"""

from __future__ import annotations

import base64
import hashlib
import html
import itertools
import math
from datetime import datetime
from pathlib import Path
from typing import Any, TypeGuard

# The per-case columns an editor scans first; latency falls back to the record's wall time.
KEY_METRICS = (
    "claim_recall", "claim_precision", "speaker_accuracy", "hedge_fidelity", "number_fidelity",
    "grounding_rate", "forbidden_leakage", "boilerplate_leakage", "summary_length", "latency",
)  # fmt: skip

CSS = """
:root{--fg:#1d232b;--muted:#667085;--line:#e4e7ec;--pass:#12805c;--fail:#c4320a;--accent:#2e5aac;--hl:#ffd54f}
*{box-sizing:border-box}a{color:var(--accent)}dt,.muted,.skip,.info,.unmatched,.noise{color:var(--muted)}
body{margin:0;background:#f4f5f7;color:var(--fg);font:14px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif}
main{max-width:1240px;margin:0 auto;padding:20px}h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:0 0 10px}
.card{background:#fff;border:1px solid var(--line);border-radius:8px;padding:16px 20px;margin:0 0 18px}
.head{display:flex;gap:24px;justify-content:space-between;align-items:flex-start}dd{margin:0}h3{margin:12px 0 4px}
.badge{font:700 30px/1 system-ui,sans-serif;padding:14px 28px;border-radius:8px;letter-spacing:.08em}
.badge.pass{background:var(--pass);color:#fff}.badge.fail{background:var(--fail);color:#fff}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:6px 0 0}
.chip{display:inline-block;background:#eef2f7;border-radius:10px;padding:0 8px;margin:0 4px 2px 0;font-size:12px}
.chip.lost{background:var(--fail);color:#fff}ul.failures{color:var(--fail);margin:10px 0 0;padding-left:20px}
li.more{list-style:none;margin-left:-20px}summary{cursor:pointer;font-weight:600}
.lost-claims{border:2px solid var(--fail);background:#fff5f2}.lost-claims h2{color:var(--fail)}
table{border-collapse:collapse;width:100%}.wide{overflow-x:auto}.cases td:first-child{white-space:nowrap}
th,td{text-align:left;padding:5px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{font-size:12px;color:var(--muted);font-weight:600}.n{text-align:right;font-variant-numeric:tabular-nums}
td.n{white-space:nowrap}.st{font-weight:700;font-size:11px;text-transform:uppercase;letter-spacing:.04em}
.pass,.matched,.good{color:var(--pass)}.fail,.missed,.leaked,.err,.bad{color:var(--fail)}.bad{font-weight:600}
.reps{display:block;font-size:11px;color:var(--muted)}figure{margin:0}figcaption,.legend{font-size:12px}
svg .track{fill:#eef2f7}svg .bar-pass{fill:var(--pass)}svg .bar-fail{fill:var(--fail)}svg .bar-info{fill:#98a2b3}
svg .thr{stroke:var(--fg);stroke-width:2}svg .base{stroke:var(--accent);stroke-width:2;stroke-dasharray:2 2}
svg .ln{fill:none;stroke:var(--accent);stroke-width:1.5}svg .pt{fill:var(--accent)}svg .cur{fill:var(--fail)}
svg .tl{stroke:#98a2b3;stroke-dasharray:3}svg text{font-size:10px;fill:var(--muted)}
.charts{display:flex;flex-wrap:wrap;gap:14px 24px}
.errbox{border-left:4px solid var(--fail);background:#fff5f2;padding:8px 12px}
.split{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:18px;align-items:start;margin-top:12px}
tr[data-claim]{cursor:pointer}tr.leaked td{background:#fff1ee}tr[data-claim]:hover td,tr.pinned td{background:#fff3c4}
tr.pinned td:first-child{box-shadow:inset 3px 0 #e0a100}
pre.article{position:sticky;top:8px;max-height:calc(100vh - 16px);overflow:auto;margin:0;white-space:pre-wrap;
overflow-wrap:anywhere;font:14px/1.6 Georgia,serif;background:#fcfcfd;border:1px solid var(--line);padding:12px 16px}
mark{background:#e3ecfb;color:inherit}mark.multi{background:#c3d4f5}
mark.hl{background:var(--hl);box-shadow:inset 0 -2px #e0a100}
@media (max-width:900px){.split{grid-template-columns:1fr}pre.article{position:static;max-height:none}}
"""

# Rows carry data-claim; marks carry every claim id covering their segment. Claim ids repeat
# across cases, so lookups are scoped to the row's <section>. Hover previews, click pins.
JS = """(function () {
  "use strict";
  function marks(sec, id) {
    return Array.prototype.filter.call(sec.querySelectorAll("mark[data-claim]"), function (m) {
      return m.getAttribute("data-claim").split(" ").indexOf(id) >= 0;
    });
  }
  function paint(sec, id) {
    sec.querySelectorAll("mark.hl").forEach(function (m) { m.classList.remove("hl"); });
    if (id) { marks(sec, id).forEach(function (m) { m.classList.add("hl"); }); }
  }
  document.querySelectorAll("table.claim-table tr[data-claim]").forEach(function (row) {
    var sec = row.closest("section"), id = row.getAttribute("data-claim");
    row.addEventListener("mouseenter", function () { paint(sec, id); });
    row.addEventListener("mouseleave", function () { paint(sec, sec.getAttribute("data-pinned")); });
    row.addEventListener("click", function () {
      var pin = sec.getAttribute("data-pinned") === id ? "" : id, first = marks(sec, id)[0];
      sec.setAttribute("data-pinned", pin);
      sec.querySelectorAll("tr.pinned").forEach(function (r) { r.classList.remove("pinned"); });
      if (pin) { row.classList.add("pinned"); }
      if (pin && first) { first.scrollIntoView({ block: "nearest", behavior: "smooth" }); }
      paint(sec, id);
    });
  });
})();
"""

# The script is pinned by hash: even if some escaping were ever missed, injected code cannot run.
_JS_SHA = base64.b64encode(hashlib.sha256(JS.encode()).digest()).decode()
CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-"
    + _JS_SHA
    + "'"
)
_HEAD = '<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">'
_HEAD += '<meta http-equiv="Content-Security-Policy" content="' + html.escape(CSP) + '">'
_HEAD += '<link rel="icon" href="data:,"><style>' + CSS + "</style>"

LEGEND = "Bar: mean · solid tick: threshold · dashed tick: baseline · ↑/↓: better direction · "
LEGEND += "delta coloured only outside the noise band the gate uses"
Cell = str | tuple[str, str]  # safe HTML, or (safe HTML, css class)
Point = tuple[int, float, dict[str, Any]]  # (run index, value, history entry)


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _el(tag: str, body: str = "", **attrs: object) -> str:
    """One element. Attribute values are escaped here; `body` must already be safe HTML."""
    names = {k: k.rstrip("_").replace("_", "-") for k in attrs}  # class_ -> class, data_x -> data-x
    pairs = "".join(" " + names[k] + '="' + _e(v) + '"' for k, v in attrs.items() if v is not None)
    return "<" + tag + pairs + ">" + body + "</" + tag + ">"


def _muted(body: str) -> str:
    return _el("span", body, class_="muted")


def _card(title: str, body: str, cls: str = "card", **attrs: object) -> str:
    return _el("section", _el("h2", title) + body, class_=cls, **attrs)


def _tr(cells: list[Cell], tag: str = "td", tail: str = "", **attrs: object) -> str:
    """A row of cells; `tail` is extra safe HTML (say a cell with a colspan) appended inside it."""
    tds = (_el(tag, c) if isinstance(c, str) else _el(tag, c[0], class_=c[1]) for c in cells)
    return _el("tr", "".join(tds) + tail, **attrs)


def _table(head: list[Cell], rows: list[str], **attrs: object) -> str:
    return _el("div", _el("table", _tr(head, "th") + "".join(rows), **attrs), class_="wide")


def _num(v: object) -> TypeGuard[float]:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


def _fmt(v: object, signed: bool = False) -> str:
    if not _num(v):
        return "—"
    return format(v, "+.3f" if signed else ".3f" if abs(v) < 10 else ".1f")


def _when(value: object) -> str:
    try:
        return datetime.fromisoformat(str(value)).strftime("%Y-%m-%d %H:%M %Z").strip()
    except ValueError:
        return str(value)


def _status(rec: dict[str, Any]) -> str:
    return str(rec["error"].get("code") or "error") if rec.get("error") else "ok"


def _header(s: dict[str, Any]) -> str:
    ok = bool(s.get("passed"))
    versions = sorted((s.get("prompt_versions") or {}).items())
    prompts = "".join(_el("span", _e(k) + " " + _e(v), class_="chip") for k, v in versions)
    facts = [
        ("Run", _e(s.get("run_id", ""))),
        ("Date", _e(_when(s.get("created_at", "")))),
        ("Model", _e(s.get("model", ""))),
        ("Prompts", prompts or "—"),
        ("Cases", _e(len(s.get("cases") or [])) + " × " + _e(s.get("repeat", 1)) + " repeat(s)"),
        ("Baseline", _e(s.get("baseline_run_id") or "none")),
    ]
    if judge := s.get("judge"):
        gate = "gating" if judge.get("gating") else "not gating"
        note = _muted(_e(judge.get("note", "")))
        facts.append(("Judge", gate + ", κ " + _fmt(judge.get("kappa")) + " " + note))
    dl = _el("dl", "".join(_el("dt", k) + _el("dd", v) for k, v in facts), class_="facts")
    items = [_el("li", _e(f)) for f in s.get("failures") or []]
    fails = "".join(items[:6])  # a long list (every lost claim is a failure) folds after six
    if more := "".join(items[6:]):
        fold = _el("summary", _e(len(items) - 6) + " more failures") + _el("ul", more)
        fails += _el("li", _el("details", fold), class_="more")
    left = _el("h1", "Eval run " + _e(s.get("run_id", ""))) + dl
    left += _el("ul", fails, class_="failures") if fails else ""
    badge = _el("div", "PASS" if ok else "FAIL", class_="badge " + ("pass" if ok else "fail"))
    return _el("header", _el("div", _el("div", left) + badge, class_="head"), class_="card")


def _lost(s: dict[str, Any]) -> str:
    """Claims the baseline found and this run misses: the first thing a prompt change must not do."""
    lost = s.get("lost_claims") or []
    if not lost:
        none = _el("p", "No expected claims lost since the baseline.", class_="muted")
        return none if s.get("baseline_run_id") else ""
    rows = []
    for x in lost:
        link = _el("a", _e(x["case_id"]), href="#case-" + str(x["case_id"]))
        rows.append(_tr([link, _e(x["expected_id"]), _e(x["description"])]))
    title = _e(len(lost)) + " expected claim(s) matched in the baseline are missed now"
    table = _table(["Case", "Claim", "Description"], rows)
    return _card(title, table, cls="card lost-claims", id="lost-claims")


def _bar(m: dict[str, Any]) -> str:
    """Mean as a bar, threshold as a solid tick, baseline as a dashed tick; scale 0..1 unless larger."""
    vals = [float(v) for v in (m.get("mean"), m.get("threshold"), m.get("baseline")) if _num(v)]
    if not _num(m.get("mean")):
        return ""
    top = 1.0 if all(0 <= v <= 1 for v in vals) else max(max(vals) * 1.15, 1e-9)

    def x(v: float) -> str:
        return format(160 * max(0.0, min(v / top, 1.0)), ".1f")

    parts = _el("rect", class_="track", width=160, height=14, rx=3)
    parts += _el("rect", class_="bar-" + str(m.get("status")), width=x(m["mean"]), height=14, rx=3)
    for key, cls in (("threshold", "thr"), ("baseline", "base")):
        if _num(v := m.get(key)):
            tip = _el("title", key + " " + _fmt(v))
            parts += _el("line", tip, class_=cls, x1=x(v), x2=x(v), y2=14)
    return _el("svg", parts, width=160, height=14, viewBox="0 0 160 14")


def _metrics(s: dict[str, Any]) -> str:
    rows = []
    for name, m in sorted((s.get("metrics") or {}).items()):
        mean, std, d, band = m.get("mean"), m.get("std"), m.get("delta"), m.get("band")
        spread = " ± " + _fmt(std) if int(s.get("repeat") or 1) > 1 and _num(std) else ""
        higher = m.get("direction", "higher") == "higher"
        # Coloured only outside the noise band the gate uses; inside it the change is noise.
        noise = not _num(d) or d == 0 or (_num(band) and abs(d) <= band)
        cls = "noise" if noise else "good" if (_num(d) and d > 0) == higher else "bad"
        delta = _fmt(d, signed=True) + (" " + _muted("band " + _fmt(band)) if _num(band) else "")
        label = _e(name) + " " + _el("span", "↑" if higher else "↓", class_="muted", title="better")
        status = str(m.get("status", "info"))
        cells: list[Cell] = [label, (_fmt(mean) + spread, "n"), _bar(m)]
        cells += [(_fmt(m.get("threshold")), "n"), (_e(status), "st " + status)]
        rows.append(_tr([*cells, (_fmt(m.get("baseline")), "n"), (delta, "n " + cls)]))
    head: list[Cell] = ["Metric", ("Mean", "n"), "", ("Threshold", "n"), "Status"]
    table = _table([*head, ("Baseline", "n"), ("Delta", "n")], rows)
    return _card("Metrics", table + _el("p", LEGEND, class_="legend muted"))


def _spark(name: str, pts: list[Point], n: int, thr: Any, cur: Any) -> str:
    """A small line chart over runs; the current run's point is red, the threshold dashed."""
    w, h, pad, left = 240, 64, 6, 40  # the left gutter holds the y-range labels
    ys = [v for _, v, _ in pts] + ([float(thr)] if _num(thr) else [])
    lo, hi = min(ys), max(ys)
    lo, hi = (lo - 0.05, hi + 0.05) if hi - lo < 1e-9 else (lo, hi)

    def fx(i: int) -> str:
        return format(left + (w - left - pad) * i / max(n - 1, 1), ".1f")

    def fy(v: float) -> str:
        return format(h - pad - (h - 2 * pad) * (v - lo) / (hi - lo), ".1f")

    body = _el("polyline", class_="ln", points=" ".join(fx(i) + "," + fy(v) for i, v, _ in pts))
    if _num(thr):
        body += _el("line", class_="tl", x1=left, x2=w - pad, y1=fy(thr), y2=fy(thr))
    for i, v, run in pts:
        when = _when(run.get("created_at"))
        tip = _el("title", _e(run.get("run_id", "")) + " " + _e(when) + ": " + _fmt(v))
        cls = "pt cur" if run.get("run_id") == cur else "pt"
        body += _el("circle", tip, class_=cls, cx=fx(i), cy=fy(v), r=3)
    body += _el("text", _fmt(hi), x=0, y=pad + 4) + _el("text", _fmt(lo), x=0, y=h - pad + 4)
    svg = _el("svg", body, width=w, height=h, viewBox="0 0 240 64", role="img", aria_label=name)
    caption = _e(name) + " " + _muted("now " + _fmt(pts[-1][1]))
    return _el("figure", svg + _el("figcaption", caption))


def _history(s: dict[str, Any]) -> str:
    runs, metrics = list(s.get("history") or []), s.get("metrics") or {}
    if not any(h.get("run_id") == s.get("run_id") for h in runs):  # the runner normally includes it
        now = {k: v.get("mean") for k, v in metrics.items()}
        runs.append({"run_id": s.get("run_id"), "created_at": s.get("created_at"), "metrics": now})
    figures = []
    for name in sorted({k for h in runs for k in h.get("metrics") or {}}):
        vals = [(h.get("metrics") or {}).get(name) for h in runs]
        pts = [(i, float(v), runs[i]) for i, v in enumerate(vals) if _num(v)]
        if len(pts) >= 2:
            thr = metrics.get(name, {}).get("threshold")
            figures.append(_spark(name, pts, len(runs), thr, s.get("run_id")))
    return _card("History", _el("div", "".join(figures), class_="charts")) if figures else ""


def _cell(rec: dict[str, Any], name: str) -> tuple[str, str, float | None]:
    """(text, css class, value) of one metric of one record; a name may carry a unit suffix."""
    scores = rec.get("scores") or {}
    key = name if name in scores else next((k for k in scores if k.startswith(name + "_")), None)
    sc = scores.get(key) if key else None
    if sc and sc.get("skipped"):
        return "skip", "skip", None
    if sc and _num(sc.get("value")):
        unit = " s" if name == "latency" else ""  # the latency scorer measures seconds
        return _fmt(sc["value"]) + unit, "", float(sc["value"])
    if rec.get("error"):
        return _status(rec), "err", None
    if name == "latency" and _num(rec.get("wall_s")):  # no latency score: wall time is the latency
        return _fmt(rec["wall_s"]) + " s", "", None
    return "—", "muted", None


def _case_table(s: dict[str, Any], groups: dict[str, list[dict[str, Any]]]) -> str:
    metrics, rows = s.get("metrics") or {}, []
    for case_id, recs in groups.items():
        link = _el("a", _e(case_id), href="#case-" + case_id)
        if not recs:
            rows.append(_tr([link, ("no records", "muted"), *[""] * len(KEY_METRICS)]))
            continue
        bad = next((_status(r) for r in recs if r.get("error")), None)
        cells: list[Cell] = [link, (_e(bad), "st fail") if bad else ("ok", "st pass")]
        if len(recs) == 1 and bad and not recs[0].get("scores"):  # one message, not ten codes
            why = _e(bad) + ": " + _e(recs[0]["error"].get("message", "")) + " (no scores)"
            rows.append(_tr(cells, tail=_el("td", why, class_="err", colspan=len(KEY_METRICS))))
            continue
        reps = [("r" + str(r.get("repeat")), r) for r in recs[1:]]
        for name in KEY_METRICS:
            text, cls, val = _cell(recs[0], name)
            m = metrics.get(name, {})
            t, higher = m.get("threshold"), m.get("direction", "higher") == "higher"
            if val is not None and _num(t) and (val < t if higher else val > t):
                cls += " bad"  # this case alone misses the gate's threshold
            others = " · ".join(k + " " + _cell(r, name)[0] for k, r in reps)
            extra = _el("span", _e(others), class_="reps") if others else ""
            cells.append((_e(text) + extra, "n " + cls))
        rows.append(_tr(cells))
    head: list[Cell] = ["Case", "Status", *((_e(n.replace("_", " ")), "n") for n in KEY_METRICS)]
    note = _el("p", "Values are repeat 0; other repeats are listed under each.", class_="muted")
    table = _table(head, rows, class_="cases")
    return _card("Cases", (note if int(s.get("repeat") or 1) > 1 else "") + table)


def _article(text: str, claims: list[dict[str, Any]]) -> tuple[str, list[str]]:
    """Article with evidence in <mark>; overlaps become segments that carry every covering claim id."""
    spans: list[tuple[int, int, str]] = []
    unplaced: list[str] = []
    for c in claims:
        for ev in c.get("evidence") or []:
            a, b, quote = ev.get("start"), ev.get("end"), str(ev.get("quote") or "")
            ok = isinstance(a, int) and isinstance(b, int) and 0 <= a < b <= len(text)
            if not (ok and text[a:b] == quote):
                a = text.find(quote) if quote else -1  # bad offsets: show the quote where it is
                if a < 0:
                    unplaced.append(str(c.get("id")) + ": " + quote)
                    continue
                b = a + len(quote)
            spans.append((a, b, str(c.get("id"))))
    out = []
    for a, b in itertools.pairwise(sorted({0, len(text), *(x for sp in spans for x in sp[:2])})):
        ids = " ".join(dict.fromkeys(cid for s, e, cid in spans if s <= a and b <= e))
        seg, multi = _e(text[a:b]), "multi" if " " in ids else None
        out.append(_el("mark", seg, data_claim=ids, class_=multi) if ids else seg)
    return "".join(out), unplaced


def _claim_rows(rec: dict[str, Any], lost: set[str]) -> list[str]:
    """Expected claims first (matched or missed), then predictions that matched nothing or leaked."""
    claims = (rec.get("result") or {}).get("claims") or []
    by_id = {str(c.get("id")): c for c in [*claims, *(rec.get("predicted") or [])]}
    leaks = {str(x.get("forbidden_id")): x.get("description", "") for x in rec.get("leaks") or []}

    def row(st: str, expected: str, pid: Any, cls: str | None = None) -> str:
        p = by_id.get(str(pid)) if pid is not None else None
        who = _muted("— " + _e(p.get("speaker") or "no speaker") + " · " + _e(pid)) if p else ""
        pred = _e(p.get("text", "")) + " " + who if p else _muted("—")
        return _tr([(_e(st), "st " + st), expected, pred], data_claim=pid, class_=cls)

    rows, chip = [], " " + _el("span", "lost vs baseline", class_="chip lost")
    for c in rec.get("claims") or []:
        exp = _el("b", _e(c.get("expected_id", ""))) + " " + _e(c.get("description", ""))
        exp += chip if c.get("expected_id") in lost else ""
        rows.append(row(str(c.get("status", "")), exp, c.get("predicted_id")))
    for p in rec.get("predicted") or []:
        st, fid = str(p.get("status", "")), p.get("forbidden_id")
        if st == "leaked":
            fact = "forbidden " + _e(fid) + ": " + _e(leaks.get(str(fid), ""))
            rows.append(row(st, _el("span", fact, class_="leaked"), p.get("id"), st))
        elif st == "unmatched":
            rows.append(row(st, _muted("no expected claim"), p.get("id"), st))
    return rows or [_el("tr", _el("td", _muted("no claims"), colspan=3))]


def _lengths(rec: dict[str, Any]) -> str:
    """The summary at each extra length of `eval run --lengths`, shortest first."""
    rows = []
    for words, entry in sorted((rec.get("lengths") or {}).items(), key=lambda kv: int(kv[0])):
        summ, err = entry.get("summary") or {}, entry.get("error") or {}
        text = _e(summ.get("summary", "")) or _muted(_e(err.get("code", "no summary")))
        cells: list[Cell] = [_e(words), _e(summ.get("headline", "")), text]
        rows.append(_tr([*cells, _e(summ.get("word_count", "-"))]))
    head: list[Cell] = ["Words", "Headline", "Summary", "Count"]
    return _table(head, rows, class_="lengths") if rows else ""


def _case_section(case_id: str, recs: list[dict[str, Any]], lost: set[str]) -> str:
    if not recs:
        return _card("Case " + _e(case_id), _muted("No records."), id="case-" + case_id)
    rec, result = recs[0], recs[0].get("result") or {}
    meta = [_e(rec.get("article_path", "")), _fmt(rec.get("wall_s")) + " s"]
    meta.append(_e(rec.get("cached_calls", 0)) + " cached calls")
    if len(recs) > 1:  # detail is repeat 0; the others are summarised here and in the case table
        others = ", ".join("r" + str(r.get("repeat")) + " " + _status(r) for r in recs[1:])
        meta.append("showing repeat " + _e(rec.get("repeat", 0)) + "; also " + _e(others))
    body = _el("p", _muted(" · ".join(meta)))
    if err := rec.get("error"):
        msg = _el("b", _e(err.get("code", ""))) + " " + _e(err.get("message", ""))
        body += _el("div", msg, class_="errbox")
    if summ := result.get("summary"):
        body += _el("h3", _e(summ.get("headline", "")))
        words = _muted("(" + _e(summ.get("word_count", "?")) + " words)")
        body += _el("p", _e(summ.get("summary", "")) + " " + words)
        points = ""
        for k in summ.get("key_points") or []:
            ids = ", ".join(str(i) for i in k.get("claim_ids") or [])
            points += _el("li", _e(k.get("text", "")) + " " + _muted(_e(ids)))
        body += _el("ul", points) if points else ""
    body += _lengths(rec)
    head: list[Cell] = ["Status", "Expected", "Predicted — speaker · id"]
    table = _table(head, _claim_rows(rec, lost), class_="claim-table", id="claims-" + case_id)
    article, unplaced = _article(str(rec.get("article_text") or ""), result.get("claims") or [])
    if unplaced:
        note = "Evidence not found in the article: " + _e("; ".join(unplaced))
        table += _el("p", note, class_="errbox")
    split = _el("div", _el("div", table) + _el("pre", article, class_="article"), class_="split")
    return _card("Case " + _e(case_id), body + split, id="case-" + case_id)


def write_report(run_dir: Path, summary: dict[str, Any], records: list[dict[str, Any]]) -> Path:
    """Write run_dir/report.html, one file with no external references, and return its path."""
    ids = [str(c) for c in summary.get("cases") or []] + [str(r.get("case_id")) for r in records]
    groups: dict[str, list[dict[str, Any]]] = {c: [] for c in ids}  # summary order, then extras
    for r in sorted(records, key=lambda r: int(r.get("repeat") or 0)):  # detail shows repeat 0
        groups[str(r.get("case_id"))].append(r)
    lost: dict[str, set[str]] = {}
    for x in summary.get("lost_claims") or []:
        lost.setdefault(str(x.get("case_id")), set()).add(str(x.get("expected_id")))
    body = _header(summary) + _lost(summary) + _metrics(summary) + _history(summary)
    body += _case_table(summary, groups)
    body += "".join(_case_section(c, recs, lost.get(c, set())) for c, recs in groups.items())
    title = _el("title", "Eval " + _e(summary.get("run_id", "")))
    doc = '<!DOCTYPE html>\n<html lang="en"><head>' + _HEAD + title + "</head><body><main>"
    doc += body + "</main><script>" + JS + "</script></body></html>\n"
    run_dir.mkdir(parents=True, exist_ok=True)
    path = run_dir / "report.html"
    path.write_text(doc, encoding="utf-8")
    return path
