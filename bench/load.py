"""Load benchmark (a script, not a test): one API process on loopback, wrk as the client.

1. cached: 200 concurrent connections POST already-summarised articles to /v1/summaries;
   throughput and p50/p99 latency (targets: >= 500 req/s, p99 <= 100 ms).
2. queue full: with a bounded queue and no worker, 200 concurrent POST /v1/jobs beyond the
   bound; every one must be a 429 within 50 ms (p99), and every job accepted before stays.

The model is a fake OpenAI-compatible server in this process (the point is the API, not the
model); results are primed through the real pipeline once.

    .venv/bin/python bench/load.py [--seconds 15] [--connections 200]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fake_openai import FakeOpenAI, reader, serve  # noqa: E402

TARGETS = {"cached_rps": (">=", 500.0), "cached_p99_ms": ("<=", 100.0), "full_p99_ms": ("<=", 50.0)}
LUA = """
bodies = {%s}
i = 0
request = function()
  i = i + 1
  return wrk.format("POST", "%s", {["Content-Type"] = "application/json"}, bodies[(i %% #bodies) + 1])
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_api(env: dict[str, str], log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    exe = Path(sys.executable).parent / "summarizer"
    proc = subprocess.Popen(
        [str(exe), "serve", "--port", str(port)],
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            # ready: the backend is built and the start-up heap is settled
            if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"the API did not get ready; see {log}")


def wrk(
    url: str, path: str, bodies: list[str], seconds: int, connections: int, threads: int = 2
) -> dict[str, Any]:
    lua = LUA % (", ".join(json.dumps(b) for b in bodies), path)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(lua)
    out = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "-s",
            f.name,
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    os.unlink(f.name)
    return parse_wrk(out)


def _ms(value: str) -> float:
    number, unit = float(re.match(r"[\d.]+", value).group()), re.sub(r"[\d.]", "", value)  # type: ignore[union-attr]
    return number * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def parse_wrk(out: str) -> dict[str, Any]:
    pct = dict(re.findall(r"^\s+(\d+)%\s+([\d.]+\w+)", out, re.M))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    return {
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),  # type: ignore[union-attr]
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "p50_ms": _ms(pct["50"]),
        "p99_ms": _ms(pct["99"]),
        "non_2xx": int(non2xx.group(1)) if non2xx else 0,
        "socket_errors": errors.group(1) if errors else None,
    }


def check(name: str, value: float) -> str:
    op, target = TARGETS[name]
    ok = value >= target if op == ">=" else value <= target
    return f"{'pass' if ok else 'FAIL'} ({op} {target:g})"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=15)
    ap.add_argument("--connections", type=int, default=200)
    ap.add_argument("--wrk-threads", type=int, default=2)
    args = ap.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk (scripts/setup.sh does)")
    texts = [p.read_text() for p in sorted((ROOT / "evals/data/articles").glob("*.txt"))]
    report: dict[str, Any] = {
        "created_at": datetime.now(UTC).isoformat(),
        "cpus": os.cpu_count(),
        "connections": args.connections,
        "wrk_threads": args.wrk_threads,
    }
    with serve(FakeOpenAI(reader)) as model_url, tempfile.TemporaryDirectory() as tmp:
        base = {
            **os.environ,
            "SUMMARIZER_BACKEND": "openai",
            "OPENAI_BASE_URL": model_url,
            "OPENAI_API_KEY": "sk-bench",
            "SUMMARIZER_CACHE_DIR": tmp,
            "SUMMARIZER_RATE_LIMIT_PER_MINUTE": "0",
        }
        # 1. cached articles
        proc, url = start_api(base, Path(tmp) / "api.log")
        try:
            bodies = [json.dumps({"text": t}) for t in texts]
            for b in bodies:  # prime: one real pipeline run each, through the fake model
                r = httpx.post(
                    f"{url}/v1/summaries",
                    content=b,
                    headers={"content-type": "application/json"},
                    timeout=120,
                )
                r.raise_for_status()
            # warm-up, not reported
            wrk(url, "/v1/summaries", bodies, 3, args.connections, args.wrk_threads)
            report["cached"] = wrk(
                url, "/v1/summaries", bodies, args.seconds, args.connections, args.wrk_threads
            )
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(20)
        # 2. queue full: no worker, a bound of 50 jobs
        env = {**base, "SUMMARIZER_WORKERS": "0", "SUMMARIZER_MAX_QUEUED_PER_KEY": "50"}
        proc, url = start_api(env, Path(tmp) / "api-full.log")
        try:
            accepted = []
            for t in texts * 10:
                r = httpx.post(f"{url}/v1/jobs", json={"articles": [{"text": t}]}, timeout=10)
                if r.status_code == 202:
                    accepted.append(r.json()["id"])
            job_body = [json.dumps({"articles": [{"text": texts[0]}]})]
            wrk(url, "/v1/jobs", job_body, 2, args.connections, args.wrk_threads)  # warm-up
            full = wrk(
                url,
                "/v1/jobs",
                job_body,
                max(5, args.seconds // 3),
                args.connections,
                args.wrk_threads,
            )
            listed = httpx.get(f"{url}/v1/jobs", params={"limit": 200}, timeout=10).json()["jobs"]
            kept = {j["id"] for j in listed if j["status"] == "queued"}
            full.update(
                accepted=len(accepted), kept=len(kept & set(accepted)), total_listed=len(listed)
            )
            report["queue_full"] = full
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(20)

    c, f = report["cached"], report["queue_full"]
    report["checks"] = {
        "cached_rps": check("cached_rps", c["rps"]),
        "cached_p99_ms": check("cached_p99_ms", c["p99_ms"]),
        "full_p99_ms": check("full_p99_ms", f["p99_ms"]),
        "full_all_429": "pass" if f["non_2xx"] == f["requests"] else "FAIL",
        "accepted_kept": "pass" if f["kept"] == f["accepted"] == f["total_listed"] else "FAIL",
    }
    print(f"{'phase':<12}{'requests':>10}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}  non-2xx")
    for name, r in (("cached", c), ("queue full", f)):
        print(
            f"{name:<12}{r['requests']:>10}{r['rps']:>10.0f}{r['p50_ms']:>9.1f}{r['p99_ms']:>9.1f}  {r['non_2xx']}"
        )
    print(f"queue full: {f['accepted']} accepted before, {f['kept']} still queued after")
    for name, verdict in report["checks"].items():
        print(f"  {name:<16} {verdict}")
    out = ROOT / "bench" / "results" / f"load-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
