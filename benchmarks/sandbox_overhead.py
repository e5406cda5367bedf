"""Warm-cache grading time per exercise in the sandbox, next to a bare `go test -race` of the
same reference in the same run, and throughput with two gradings in parallel.

    .venv/bin/python benchmarks/sandbox_overhead.py [--repeat 5] [--json] [EXERCISE...]

Both sides use the same prepared build cache and GORACE settings, and both build and run the
tests (`-count=1`), so the ratio is the cost of the sandbox: copying the build cache, two
bubblewrap start-ups, the cgroup, and the split build/run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from gointerview.config import load_config
from gointerview.exercises.catalog import GO_MOD, GO_SUM, builtin_catalog
from gointerview.exercises.model import Exercise
from gointerview.exercises.service import grade_directory, prepare
from gointerview.grading.code.sandbox import BubblewrapRunner
from gointerview.grading.code.toolchain import Toolchain


def bare_go_test(exercise: Exercise, toolchain: Toolchain) -> float:
    with tempfile.TemporaryDirectory(prefix="bench-bare-") as tmp:
        src = Path(tmp)
        shutil.copy(GO_MOD, src / "go.mod")
        shutil.copy(GO_SUM, src / "go.sum")
        for path in [*exercise.solution_dir.glob("*.go"), *exercise.hidden_tests()]:
            shutil.copy(path, src / path.name)
        env = {
            **toolchain.host_env(),
            "GORACE": "halt_on_error=0 atexit_sleep_ms=50",
            "GOFLAGS": "-mod=readonly",
        }
        start = time.perf_counter()
        proc = subprocess.run(
            [str(toolchain.go), "test", "-race", "-count=1", "."],
            cwd=src,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        elapsed = time.perf_counter() - start
        if proc.returncode != 0:
            sys.exit(f"bare go test failed for {exercise.id}:\n{proc.stdout}{proc.stderr}")
        return elapsed


def sandboxed(exercise: Exercise, toolchain: Toolchain, runner: BubblewrapRunner) -> float:
    start = time.perf_counter()
    result = grade_directory(exercise, exercise.solution_dir, runner=runner, toolchain=toolchain)
    elapsed = time.perf_counter() - start
    if not result.passed:
        sys.exit(f"reference of {exercise.id} did not pass in the sandbox: {result.message}")
    return elapsed


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("exercises", nargs="*")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    catalog = builtin_catalog()
    exercises = [catalog.get(i) for i in args.exercises] or list(catalog.exercises.values())
    toolchain = Toolchain.find(load_config().ensure_data_dir())
    prepare(toolchain, catalog)
    runner = BubblewrapRunner()

    rows = []
    all_box, all_bare = [], []
    for exercise in exercises:
        sandboxed(exercise, toolchain, runner)  # warm-up: first-run effects out of the figures
        bare_go_test(exercise, toolchain)
        box = [sandboxed(exercise, toolchain, runner) for _ in range(args.repeat)]
        bare = [bare_go_test(exercise, toolchain) for _ in range(args.repeat)]
        all_box += box
        all_bare += bare
        rows.append(
            {
                "exercise": exercise.id,
                "sandbox_p50_s": round(statistics.median(box), 3),
                "sandbox_p95_s": round(pct(box, 0.95), 3),
                "bare_p50_s": round(statistics.median(bare), 3),
                "bare_p95_s": round(pct(bare, 0.95), 3),
                "overhead_ratio": round(statistics.median(box) / statistics.median(bare), 3),
            }
        )

    jobs = [e for e in exercises for _ in range(2)]
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(lambda e: sandboxed(e, toolchain, runner), jobs))
    wall = time.perf_counter() - start
    summary = {
        "go": toolchain.version,
        "cpus": os.cpu_count(),
        "repeat": args.repeat,
        "sandbox_p50_s": round(statistics.median(all_box), 3),
        "sandbox_p95_s": round(pct(all_box, 0.95), 3),
        "bare_p50_s": round(statistics.median(all_bare), 3),
        "bare_p95_s": round(pct(all_bare, 0.95), 3),
        "overhead_ratio_p50": round(statistics.median(all_box) / statistics.median(all_bare), 3),
        "parallel2_gradings_per_min": round(len(jobs) / wall * 60, 1),
        "exercises": rows,
    }
    if args.json:
        print(json.dumps(summary, indent=2))
        return
    print(f"{'exercise':24} {'sandbox p50':>11} {'p95':>7} {'bare p50':>9} {'p95':>7} {'ratio':>6}")
    for r in rows:
        print(
            f"{r['exercise']:24} {r['sandbox_p50_s']:11.2f} {r['sandbox_p95_s']:7.2f} "
            f"{r['bare_p50_s']:9.2f} {r['bare_p95_s']:7.2f} {r['overhead_ratio']:6.2f}"
        )
    print(
        f"\nall: sandbox p50 {summary['sandbox_p50_s']:.2f}s p95 {summary['sandbox_p95_s']:.2f}s;"
        f" bare p50 {summary['bare_p50_s']:.2f}s p95 {summary['bare_p95_s']:.2f}s;"
        f" overhead ×{summary['overhead_ratio_p50']:.2f} (target ≤ 1.15)"
    )
    print(
        f"throughput, 2 in parallel on {summary['cpus']} CPUs: "
        f"{summary['parallel2_gradings_per_min']} gradings/min"
    )


if __name__ == "__main__":
    main()
