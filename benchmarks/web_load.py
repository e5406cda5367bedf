"""Load on the web app over loopback: simulated candidates doing rounds.

    .venv/bin/python benchmarks/web_load.py [--users 1 20 50] [--requests 2000] [--think 1]
                                            [--json]

For each user count a fresh server (`gointerview serve` in its own process, on 127.0.0.1, a
new SQLite database) takes a bounded run: the users start a round and, until the run's
request budget is spent, open the question page, save a draft, submit an answer (graded on
the spot: the reference answer of the question asked, cut to 800 characters, so grading
does real work), open the 点评 page, and at the end of a round open the report page and
start another. Between two requests a user waits a think time, uniform in 0.5–1.5 × --think
seconds (1 s by default: far quicker than a person reads a question or types an answer;
--think 0 sends requests back to back, a saturation test that measures queueing). Each run
stops by itself at the budget or the time limit. Reported per kind
of request: count, p50 and p95 in milliseconds, and errors (non-2xx/3xx or a failed request).
The client runs in this process (asyncio + httpx) and shares the 2 cores with the server.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import httpx

from gointerview.bank import Bank, load_bank

KINDS = ("question page", "draft save", "graded submission", "review page", "report page")
TARGETS = {
    "question page": 100.0,
    "review page": 100.0,
    "report page": 100.0,
    "graded submission": 300.0,
}
ANSWER_CHARS = 800


class Run:
    def __init__(self, budget: int, deadline: float, think: float) -> None:
        self.think = think
        self.budget = budget
        self.deadline = deadline
        self.sent = 0
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.rounds = 0

    def take(self) -> bool:
        if self.sent >= self.budget or time.monotonic() > self.deadline:
            return False
        self.sent += 1
        return True

    async def request(
        self, client: httpx.AsyncClient, kind: str, method: str, url: str, **kwargs: Any
    ) -> httpx.Response | None:
        if self.think > 0:
            await asyncio.sleep(self.think * random.uniform(0.5, 1.5))
        started = time.perf_counter()
        try:
            response = await client.request(method, url, **kwargs)
        except httpx.HTTPError:
            self.errors[kind] += 1
            return None
        self.times[kind].append((time.perf_counter() - started) * 1000)
        if response.status_code >= 400:
            self.errors[kind] += 1
        return response


def _ref(html: str) -> tuple[str, str] | None:
    found = re.search(r'data-ref="([^"]+)" data-seq="(\d+)" data-kind="([a-z_]+)"', html)
    return (found.group(1), found.group(2)) if found else None


async def candidate(base: str, run: Run, bank: Bank, seed: int) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        me = await client.get("/api/me")
        token = me.json()["csrf_token"]
        while run.take():
            started = await run.request(
                client,
                "start",
                "POST",
                "/start",
                data={
                    "plan": "screen",
                    "level": "mid",
                    "lang": "en",
                    "csrf_token": token,
                    "seed": str(seed),
                },
            )
            seed += 1
            if started is None or started.status_code != 303:
                return
            page_url = started.headers["location"]
            while True:
                if not run.take():
                    return
                page = await run.request(client, "question page", "GET", page_url)
                if page is None:
                    return
                asked = _ref(page.text)
                if asked is None:  # the round is over
                    if run.take():
                        await run.request(client, "report page", "GET", page_url + "/report")
                    run.rounds += 1
                    break
                ref, seq = asked
                text = bank.get(ref).reference_answer.en[:ANSWER_CHARS]
                if not run.take():
                    return
                await run.request(
                    client,
                    "draft save",
                    "PUT",
                    f"/api/sessions/{page_url.rsplit('/', 1)[1]}/draft",
                    json={"seq": int(seq), "text": text[:200]},
                    headers={"X-CSRF-Token": token},
                )
                if not run.take():
                    return
                answered = await run.request(
                    client,
                    "graded submission",
                    "POST",
                    page_url + "/answer",
                    data={"csrf_token": token, "seq": seq, "text": text},
                )
                if answered is None or answered.status_code != 303:
                    return
                if not run.take():
                    return
                await run.request(client, "review page", "GET", answered.headers["location"])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def start_server(directory: Path, port: int) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "GOINTERVIEW_DATA_DIR": str(directory),
        "GOINTERVIEW_CONFIG": str(directory / "config.toml"),
        "GOINTERVIEW_DATABASE_URL": f"sqlite:///{directory / 'bench.db'}",
        "NO_COLOR": "1",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "gointerview", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/me", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit("the server did not start: " + (proc.stdout.read() if proc.stdout else ""))


def server_cpu(pid: int) -> float:
    """CPU seconds (user + system) the server process has used: a cost per request that
    does not depend on how busy the rest of the machine is (Linux /proc; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], q: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def measure(users: int, budget: int, limit: float, think: float, bank: Bank) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="web-load-") as tmp:
        port = free_port()
        server = start_server(Path(tmp), port)
        try:
            run = Run(budget, time.monotonic() + limit, think)
            started = time.monotonic()

            async def everyone() -> None:
                base = f"http://127.0.0.1:{port}"
                await asyncio.gather(
                    *(candidate(base, run, bank, 1000 * i + 1) for i in range(users))
                )

            cpu_before = server_cpu(server.pid)
            client_before = time.process_time()
            asyncio.run(everyone())
            client_cpu = time.process_time() - client_before
            elapsed = time.monotonic() - started
            cpu = server_cpu(server.pid) - cpu_before
        finally:
            server.terminate()
            server.wait(timeout=30)
    kinds = {}
    for kind in (*KINDS, "start"):
        times = run.times.get(kind, [])
        kinds[kind] = {
            "count": len(times),
            "p50_ms": round(statistics.median(times), 1) if times else None,
            "p95_ms": round(percentile(times, 95), 1) if times else None,
            "errors": run.errors.get(kind, 0),
        }
    return {
        "users": users,
        "think_seconds": think,
        "requests": run.sent,
        "seconds": round(elapsed, 1),
        "requests_per_second": round(run.sent / elapsed, 1) if elapsed else None,
        "rounds_finished": run.rounds,
        "server_cpu_ms_per_request": round(1000 * cpu / run.sent, 2) if run.sent else None,
        "client_cpu_ms_per_request": round(1000 * client_cpu / run.sent, 2) if run.sent else None,
        "load_average": round(os.getloadavg()[0], 1),
        "errors": sum(run.errors.values()),
        "kinds": kinds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, nargs="+", default=[1, 20, 50])
    parser.add_argument("--requests", type=int, default=2000, help="per user count")
    parser.add_argument("--time-limit", type=float, default=300, help="seconds per user count")
    parser.add_argument("--think", type=float, default=1.0, help="mean seconds between requests")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    bank = load_bank()
    random.seed(2026)
    results = [measure(n, args.requests, args.time_limit, args.think, bank) for n in args.users]
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print("| users | requests | req/s | kind | n | p50 ms | p95 ms | errors |")
    print("|---|---|---|---|---|---|---|---|")
    for r in results:
        for kind in (
            "question page",
            "graded submission",
            "review page",
            "report page",
            "draft save",
        ):
            k = r["kinds"][kind]
            target = TARGETS.get(kind)
            flag = (
                ""
                if target is None or k["p95_ms"] is None
                else (" ✓" if k["p95_ms"] <= target else " ✗")
            )
            print(
                f"| {r['users']} | {r['requests']} | {r['requests_per_second']} | {kind} | "
                f"{k['count']} | {k['p50_ms']} | {k['p95_ms']}{flag} | {k['errors']} |"
            )
    for r in results:
        print(
            f"\n{r['users']} users: {r['requests']} requests in {r['seconds']} s, "
            f"{r['rounds_finished']} rounds finished, server CPU "
            f"{r['server_cpu_ms_per_request']} ms per request (client "
            f"{r['client_cpu_ms_per_request']} ms), load average {r['load_average']}, "
            f"{r['errors']} errors"
        )


if __name__ == "__main__":
    main()
