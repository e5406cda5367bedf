"""Warm grading time per exercise next to a plain `go test -race` of the same files, measured
in the same run, interleaved, with the same settings (the same GORACE, vet off, -count=1, a
fresh directory each time so both compile the package), inside the tool and from the
command line.

    .venv/bin/python benchmarks/sandbox_overhead.py [--repeat 5] [--json] [EXERCISE...]

Figures printed:
- in the tool: `grade_directory` (sandboxed build and run, classification) vs `go test -race`;
- from the command line: `gointerview exercise check DIR` (Python start-up and imports
  included) vs the same `go test -race`, and its absolute p50;
- throughput with two gradings in parallel.

Targets (issue #12): in-tool p50 ≤ 1.15 × plain, CLI p50 ≤ 0.5 s.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import gointerview
from gointerview.config import load_config
from gointerview.exercises.catalog import builtin_catalog
from gointerview.exercises.model import Exercise
from gointerview.exercises.service import grade_directory, prepare
from gointerview.grading.code.check import GORACE
from gointerview.grading.code.sandbox import BubblewrapRunner
from gointerview.grading.code.toolchain import Toolchain

CLI = Path(sys.executable).with_name("gointerview")


def plain_go_test(exercise: Exercise, toolchain: Toolchain) -> float:
    with tempfile.TemporaryDirectory(prefix="bench-plain-") as tmp:
        src = toolchain.module_copy(Path(tmp))  # go.mod, go.sum and internal/ (some tests use it)
        for path in [*exercise.solution_dir.glob("*.go"), *exercise.hidden_tests()]:
            shutil.copy(path, src / path.name)
        env = {**toolchain.host_env(), "GORACE": GORACE, "GOFLAGS": "-mod=readonly"}
        start = time.perf_counter()
        proc = subprocess.run(
            [str(toolchain.go), "test", "-race", "-vet=off", "-count=1", "."],
            cwd=src,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        elapsed = time.perf_counter() - start
        if proc.returncode != 0:
            sys.exit(f"plain go test failed for {exercise.id}:\n{proc.stdout}{proc.stderr}")
        return elapsed


def in_tool(exercise: Exercise, toolchain: Toolchain, runner: BubblewrapRunner) -> float:
    start = time.perf_counter()
    result = grade_directory(exercise, exercise.solution_dir, runner=runner, toolchain=toolchain)
    elapsed = time.perf_counter() - start
    if not result.passed:
        sys.exit(f"reference of {exercise.id} did not pass in the sandbox: {result.message}")
    return elapsed


def from_cli(exercise: Exercise, data_dir: Path) -> float:
    env = {**os.environ, "GOINTERVIEW_DATA_DIR": str(data_dir)}
    start = time.perf_counter()
    proc = subprocess.run(
        [str(CLI), "exercise", "check", str(exercise.solution_dir), "--exercise", exercise.id],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"`exercise check` failed for {exercise.id}:\n{proc.stdout}{proc.stderr}")
    return elapsed


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def interleaved(repeat: int, *measures: Callable[[], float]) -> list[list[float]]:
    """Run the measures in turn, `repeat` rounds, so load changes hit all of them alike."""
    out: list[list[float]] = [[] for _ in measures]
    for _ in range(repeat):
        for i, measure in enumerate(measures):
            out[i].append(measure())
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("exercises", nargs="*")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    # The CLI's start-up as an installed copy has it: with bytecode (an environment with
    # PYTHONDONTWRITEBYTECODE=1 would otherwise recompile our sources on every run).
    compileall.compile_dir(Path(gointerview.__file__).parent, quiet=1)
    catalog = builtin_catalog()
    exercises = [catalog.get(i) for i in args.exercises] or list(catalog.exercises.values())
    data_dir = load_config().ensure_data_dir()
    toolchain = Toolchain.find(data_dir)
    runner = BubblewrapRunner()
    prepare(toolchain, catalog, runner=runner)

    rows = []
    all_tool, all_cli, all_plain = [], [], []
    for exercise in exercises:
        # warm-up: first-run effects (page cache) out of the figures
        in_tool(exercise, toolchain, runner)
        plain_go_test(exercise, toolchain)
        tool, cli, plain = interleaved(
            args.repeat,
            lambda e=exercise: in_tool(e, toolchain, runner),  # type: ignore[misc]
            lambda e=exercise: from_cli(e, data_dir),  # type: ignore[misc]
            lambda e=exercise: plain_go_test(e, toolchain),  # type: ignore[misc]
        )
        all_tool += tool
        all_cli += cli
        all_plain += plain
        p50 = statistics.median(plain)
        rows.append(
            {
                "exercise": exercise.id,
                "tool_p50_s": round(statistics.median(tool), 3),
                "cli_p50_s": round(statistics.median(cli), 3),
                "plain_p50_s": round(p50, 3),
                "tool_ratio": round(statistics.median(tool) / p50, 3),
                "cli_ratio": round(statistics.median(cli) / p50, 3),
            }
        )

    jobs = [e for e in exercises for _ in range(2)]
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(lambda e: in_tool(e, toolchain, runner), jobs))
    wall = time.perf_counter() - start
    plain_p50 = statistics.median(all_plain)
    summary = {
        "go": toolchain.version,
        "cpus": os.cpu_count(),
        "repeat": args.repeat,
        "gorace": GORACE,
        "tool_p50_s": round(statistics.median(all_tool), 3),
        "tool_p95_s": round(pct(all_tool, 0.95), 3),
        "cli_p50_s": round(statistics.median(all_cli), 3),
        "cli_p95_s": round(pct(all_cli, 0.95), 3),
        "plain_p50_s": round(plain_p50, 3),
        "plain_p95_s": round(pct(all_plain, 0.95), 3),
        "tool_ratio_p50": round(statistics.median(all_tool) / plain_p50, 3),
        "cli_ratio_p50": round(statistics.median(all_cli) / plain_p50, 3),
        "parallel2_gradings_per_min": round(len(jobs) / wall * 60, 1),
        "exercises": rows,
    }
    if args.json:
        print(json.dumps(summary, indent=2))
        return
    print(
        f"{'exercise':20} {'tool p50':>9} {'cli p50':>8} {'plain p50':>10} {'tool×':>6} {'cli×':>6}"
    )
    for r in rows:
        print(
            f"{r['exercise']:20} {r['tool_p50_s']:9.3f} {r['cli_p50_s']:8.3f} "
            f"{r['plain_p50_s']:10.3f} {r['tool_ratio']:6.2f} {r['cli_ratio']:6.2f}"
        )
    print(
        f"\nplain `go test -race -vet=off -count=1` (GORACE={GORACE!r}): "
        f"p50 {plain_p50:.3f}s p95 {summary['plain_p95_s']:.3f}s"
    )
    print(
        f"in the tool:  p50 {summary['tool_p50_s']:.3f}s p95 {summary['tool_p95_s']:.3f}s "
        f"→ ×{summary['tool_ratio_p50']:.2f} of plain (target ≤ 1.15)"
    )
    print(
        f"command line: p50 {summary['cli_p50_s']:.3f}s p95 {summary['cli_p95_s']:.3f}s "
        f"→ ×{summary['cli_ratio_p50']:.2f} of plain (target: p50 ≤ 0.5 s)"
    )
    print(
        f"throughput, 2 in parallel on {summary['cpus']} CPUs: "
        f"{summary['parallel2_gradings_per_min']} gradings/min"
    )


if __name__ == "__main__":
    main()
