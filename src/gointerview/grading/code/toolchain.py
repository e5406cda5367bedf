"""The Go toolchain and the caches the sandbox builds with.

`prepare()` (run by `gointerview exercise setup`, and by CI) downloads the exercise module's
dependencies into our own module cache and warms our own race-enabled build cache by compiling
every reference solution. Sandboxed runs then work offline: the module cache is mounted
read-only, and each run gets a private *copy* of the build cache, so no run can read what
another compiled or poison what the next one uses.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from gointerview.errors import GointerviewError
from gointerview.exercises.catalog import EXERCISES_DIR, GO_MOD, GO_SUM

READY_STAMP = ".gointerview-ready"


class ToolchainError(GointerviewError):
    pass


@dataclass(frozen=True)
class Toolchain:
    go: Path
    cache_root: Path  # <data_dir>/go

    @classmethod
    def find(cls, data_dir: Path) -> Toolchain:
        found = shutil.which("go")
        if found is None:
            raise ToolchainError("Go is not installed or not on PATH (https://go.dev/doc/install)")
        return cls(Path(found).resolve(), data_dir.absolute() / "go")

    @cached_property
    def env(self) -> dict[str, str]:
        out = subprocess.run(
            [str(self.go), "env", "-json", "GOROOT", "GOVERSION", "CGO_ENABLED", "CC"],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "GOTOOLCHAIN": "local"},
        )
        if out.returncode != 0:
            raise ToolchainError(f"`go env` failed: {out.stderr.strip()}")
        data: dict[str, str] = json.loads(out.stdout)
        return data

    @property
    def goroot(self) -> Path:
        return Path(self.env["GOROOT"])

    @property
    def version(self) -> str:
        return self.env["GOVERSION"]

    @property
    def modcache(self) -> Path:
        return self.cache_root / "mod"

    @property
    def buildcache(self) -> Path:
        return self.cache_root / "build"

    def ready(self) -> bool:
        stamp = self.buildcache / READY_STAMP
        return stamp.is_file() and stamp.read_text().strip() == self.stamp_text().strip()

    def stamp_text(self) -> str:
        """What the warm cache was built from: the Go version, the module's go.sum and every
        reference solution and hidden test (a new exercise may import new std packages)."""
        digest = hashlib.sha256(GO_SUM.read_bytes())
        for path in sorted(EXERCISES_DIR.glob("*/[st][oe]*/*.go")):  # solution/, tests/
            digest.update(path.relative_to(EXERCISES_DIR).as_posix().encode())
            digest.update(path.read_bytes())
        return f"{self.version}\n{digest.hexdigest()}"

    def host_env(self, gocache: Path | None = None) -> dict[str, str]:
        """Environment for trusted go commands run outside the sandbox (set-up, benchmarks)."""
        return {
            "PATH": f"{self.goroot / 'bin'}:/usr/local/bin:/usr/bin:/bin",
            "HOME": os.environ.get("HOME", "/tmp"),
            "GOROOT": str(self.goroot),
            "GOCACHE": str(gocache or self.buildcache),
            "GOMODCACHE": str(self.modcache),
            "GOFLAGS": "-mod=mod -modcacherw",
            "GOTOOLCHAIN": "local",
            "GOTELEMETRY": "off",
            "GOWORK": "off",
            "CGO_ENABLED": "1",
        }

    def download_modules(self) -> None:
        """Fetch the exercise module's dependencies (needs the module proxy, once)."""
        self.modcache.mkdir(parents=True, exist_ok=True)
        self.buildcache.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="gointerview-mod-") as tmp:
            shutil.copy(GO_MOD, Path(tmp) / "go.mod")
            shutil.copy(GO_SUM, Path(tmp) / "go.sum")
            proc = subprocess.run(
                [str(self.go), "mod", "download", "all"],
                cwd=tmp,
                env=self.host_env(),
                capture_output=True,
                text=True,
                check=False,
            )
        if proc.returncode != 0:
            raise ToolchainError(
                "could not download the exercise dependencies (the Go module proxy must be "
                f"reachable once, at set-up): {proc.stderr.strip()}"
            )

    def mark_ready(self) -> None:
        (self.buildcache / READY_STAMP).write_text(self.stamp_text())
