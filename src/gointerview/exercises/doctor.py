"""`gointerview doctor`: is this machine able to grade Go code safely?"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from gointerview.errors import GointerviewError
from gointerview.grading.code.sandbox import BubblewrapRunner, Limits, cgroup_roots
from gointerview.grading.code.toolchain import Toolchain


@dataclass
class Check:
    name: str
    ok: bool
    detail: str


def run_checks(data_dir: Path) -> list[Check]:
    checks: list[Check] = []
    try:
        toolchain = Toolchain.find(data_dir)
        env = toolchain.go_env("GOVERSION", "CGO_ENABLED", "CC")
        checks.append(Check("go", True, f"{env['GOVERSION']} at {toolchain.go}"))
    except GointerviewError as exc:
        return [Check("go", False, str(exc))]
    cc = env.get("CC") or "gcc"
    has_cc = shutil.which(cc.split()[0]) is not None
    checks.append(
        Check(
            "cgo for -race",
            env.get("CGO_ENABLED") == "1" and has_cc,
            f"CGO_ENABLED={env.get('CGO_ENABLED')}, C compiler {cc!r} "
            + ("found" if has_cc else "missing (install gcc)")
            + " — -race needs cgo on Linux; `prepare` compiles runtime/cgo once",
        )
    )
    checks.append(_bubblewrap_check())
    checks.append(_cgroup_check())
    ready = toolchain.ready()
    checks.append(
        Check(
            "caches",
            ready,
            f"{toolchain.cache_root}: "
            + ("prepared" if ready else "not prepared (run `gointerview exercise prepare`)"),
        )
    )
    return checks


def _bubblewrap_check() -> Check:
    try:
        runner = BubblewrapRunner()
    except GointerviewError as exc:
        return Check("bubblewrap", False, str(exc))
    version = subprocess.run(
        [runner.bwrap, "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    try:
        result = runner.run(["/bin/true"], mounts=[], cwd="/tmp", env={}, limits=Limits(10))
    except GointerviewError as exc:
        return Check("bubblewrap", False, f"{version}: {exc}")
    ok = result.returncode == 0
    who = "root, switching to uid 65534 inside" if runner.as_root else f"uid {os.geteuid()}"
    return Check(
        "bubblewrap", ok, f"{version} ({who}): " + ("sandbox starts" if ok else result.stderr)
    )


def _cgroup_check() -> Check:
    roots = cgroup_roots()
    if roots.v2 is not None:
        return Check("cgroups", True, f"v2, per-run cgroups under {roots.v2}")
    if roots.v1:
        where = ", ".join(f"{name} {path}" for name, path in roots.v1)
        return Check("cgroups", True, f"v1, per-run cgroups under {where}")
    return Check(
        "cgroups",
        False,
        f"{roots.why_not}: memory and process limits fall back to rlimits (weaker: the race "
        "detector's shadow memory defeats RLIMIT_AS)",
    )
