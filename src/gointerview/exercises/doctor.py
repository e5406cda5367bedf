"""`gointerview doctor`: is this machine able to grade Go code safely?"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from gointerview.errors import GointerviewError
from gointerview.grading.code.sandbox import BubblewrapRunner, Limits, Mount
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
        checks.append(Check("go", True, f"{toolchain.version} at {toolchain.go}"))
    except GointerviewError as exc:
        return [Check("go", False, str(exc))]
    cgo = toolchain.env.get("CGO_ENABLED") == "1"
    cc = toolchain.env.get("CC") or "gcc"
    has_cc = shutil.which(cc.split()[0]) is not None
    checks.append(
        Check(
            "cgo for -race",
            cgo and has_cc,
            f"CGO_ENABLED={toolchain.env.get('CGO_ENABLED')}, C compiler "
            f"{cc!r} {'found' if has_cc else 'missing (install gcc)'}",
        )
    )
    checks.append(_bubblewrap_check())
    ready = toolchain.ready()
    checks.append(
        Check(
            "caches",
            ready,
            f"{toolchain.cache_root}: "
            + ("ready" if ready else "not prepared (run `gointerview exercise setup`)"),
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
    tmp = Path("/tmp")
    try:
        result = runner.run(
            ["/bin/true"], mounts=[], cwd=Mount(tmp, "/tmp"), env={}, limits=Limits(wall_seconds=10)
        )
    except GointerviewError as exc:
        return Check("bubblewrap", False, f"{version}: {exc}")
    ok = result.returncode == 0
    return Check("bubblewrap", ok, f"{version}: " + ("sandbox starts" if ok else result.stderr))
