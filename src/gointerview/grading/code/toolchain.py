"""The Go toolchain and what `gointerview exercise prepare` makes of it.

Grading does not run the go command in the sandbox. Preparation (trusted, on the host, once)
leaves everything a build needs in the cache directory:

    <data_dir>/go/
      mod/              the module cache (goleak), filled once from the module proxy
      build/            the go command's own cache, used only here
      bin/gradehelper   the helper that checks, compiles and links inside the sandbox
      pkg/              race-instrumented archives of every package a submission, the hidden
                        tests and the harness may import, and `importcfg` naming them
                        (relative to pkg/, wherever the sandbox mounts it)
      prepared.json     versions, flags, expected test names, and the stamp of what it was
                        prepared from

A grading then runs `compile` twice and `link` once against those archives (what `go test
-race` itself runs, minus the go command's package loading and hashing), so it needs no
module cache, no build cache and no network, and a run cannot poison what the next one uses:
the archives are mounted read-only.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gointerview.errors import GointerviewError
from gointerview.exercises.paths import EXERCISES_DIR, GO_MOD, GO_SUM

MODULE_PATH = "gointerview.local/exercise"
HARNESS_PATH = f"{MODULE_PATH}/internal/harness"
PREPARED = "prepared.json"
PREPARED_VERSION = 3
Progress = Callable[[str], None]


class ToolchainError(GointerviewError):
    pass


_STAMPS: dict[tuple[object, ...], str] = {}


@dataclass(frozen=True)
class Prepared:
    """What preparation left behind (prepared.json), in the form grading uses."""

    goversion: str
    lang: str  # the module's language version, e.g. go1.25
    godebug: str  # the default GODEBUG a test binary of this module is linked with
    goroot: Path
    tools: Path  # where compile and link are
    build_env: dict[str, str]  # GOOS, GOARCH, GOAMD64, GOEXPERIMENT... as the archives were built
    # exercise id -> package, files, allowed_imports, timeout, hidden (test file names) and
    # tests (declared test functions, in file order): what a build needs, without the catalogue
    exercises: dict[str, dict[str, Any]]

    @property
    def tests(self) -> dict[str, list[str]]:
        return {k: list(v["tests"]) for k, v in self.exercises.items()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Prepared:
        return cls(
            goversion=str(data["goversion"]),
            lang=str(data["lang"]),
            godebug=str(data["godebug"]),
            goroot=Path(str(data["goroot"])),
            tools=Path(str(data["tools"])),
            build_env={str(k): str(v) for k, v in data["build_env"].items()},
            exercises={str(k): dict(v) for k, v in data["exercises"].items()},
        )


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

    # ------------------------------------------------------------ paths

    @property
    def modcache(self) -> Path:
        return self.cache_root / "mod"

    @property
    def buildcache(self) -> Path:
        return self.cache_root / "build"

    @property
    def helper(self) -> Path:
        return self.cache_root / "bin" / "gradehelper"

    @property
    def pkg_dir(self) -> Path:
        return self.cache_root / "pkg"

    @property
    def importcfg(self) -> Path:
        return self.pkg_dir / "importcfg"

    # ------------------------------------------------------------ state

    def go_env(self, *names: str) -> dict[str, str]:
        out = subprocess.run(
            [str(self.go), "env", "-json", *names],
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
    def version(self) -> str:
        prepared = self.prepared()
        return prepared.goversion if prepared else self.go_env("GOVERSION")["GOVERSION"]

    def stamp(self) -> str:
        """What the prepared state depends on: the go binary, our module, the harness and
        helper, and every exercise's hidden tests and allowlist. Cheap: no go command, and
        the files are read again only when one of them changed."""
        info = self.go.stat()
        files = [GO_MOD, GO_SUM, *sorted((EXERCISES_DIR / "internal").rglob("*.go"))]
        files += sorted(EXERCISES_DIR.glob("*/tests/*.go"))
        files += sorted(EXERCISES_DIR.glob("*/exercise.yaml"))
        stats = ((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files)
        signature = (str(self.go), info.st_size, info.st_mtime_ns, *stats)
        if signature not in _STAMPS:
            digest = hashlib.sha256(f"v{PREPARED_VERSION}".encode())
            digest.update(f"{self.go}:{info.st_size}:{info.st_mtime_ns}".encode())
            for path in files:
                digest.update(path.relative_to(EXERCISES_DIR).as_posix().encode())
                digest.update(path.read_bytes())
            _STAMPS.clear()
            _STAMPS[signature] = digest.hexdigest()
        return _STAMPS[signature]

    def _prepared_raw(self) -> dict[str, Any] | None:
        try:
            data = json.loads((self.cache_root / PREPARED).read_text())
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def prepared(self) -> Prepared | None:
        """The prepared state if it matches what is installed now, else None."""
        data = self._prepared_raw()
        if data is None or data.get("stamp") != self.stamp():
            return None
        if not (self.helper.is_file() and self.importcfg.is_file()):
            return None
        try:
            return Prepared.from_json(data)
        except (KeyError, TypeError, ValueError):
            return None

    def ready(self) -> bool:
        return self.prepared() is not None

    def require(self) -> Prepared:
        prepared = self.prepared()
        if prepared is None:
            raise ToolchainError(
                "the Go exercise caches are not prepared (or are out of date): run "
                "`gointerview exercise prepare` (`make` does it at set-up)"
            )
        return prepared

    def host_env(self, gocache: Path | None = None) -> dict[str, str]:
        """Environment for trusted go commands run outside the sandbox (set-up, benchmarks)."""
        return {
            "PATH": f"{self.go.parent}:/usr/local/bin:/usr/bin:/bin",
            "HOME": os.environ.get("HOME", "/tmp"),
            "GOCACHE": str(gocache or self.buildcache),
            "GOMODCACHE": str(self.modcache),
            "GOFLAGS": "-mod=mod -modcacherw",
            "GOTOOLCHAIN": "local",
            "GOTELEMETRY": "off",
            "GOWORK": "off",
            "CGO_ENABLED": "1",
        }

    # ------------------------------------------------------------ preparation steps

    def module_copy(self, dest: Path) -> Path:
        """Our module (go.mod, go.sum, the harness and the helper) in `dest`."""
        shutil.copy(GO_MOD, dest / "go.mod")
        shutil.copy(GO_SUM, dest / "go.sum")
        shutil.copytree(EXERCISES_DIR / "internal", dest / "internal")
        return dest

    def go_run(self, args: list[str], cwd: Path, what: str, **env: str) -> str:
        proc = subprocess.run(
            [str(self.go), *args],
            cwd=cwd,
            env={**self.host_env(), **env},
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode != 0:
            raise ToolchainError(f"{what} failed:\n{proc.stderr.strip()[-4000:]}")
        return proc.stdout

    def download_modules(self, module: Path) -> None:
        """Fetch the exercise module's dependencies (needs the module proxy, once)."""
        self.modcache.mkdir(parents=True, exist_ok=True)
        self.buildcache.mkdir(parents=True, exist_ok=True)
        try:
            self.go_run(["mod", "download", "all"], module, "go mod download")
        except ToolchainError as exc:
            raise ToolchainError(
                "could not download the exercise dependencies (the Go module proxy must be "
                f"reachable once, at set-up): {exc}"
            ) from exc

    def build_helper(self, module: Path) -> None:
        self.helper.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.helper.with_suffix(".new")
        self.go_run(
            ["build", "-trimpath", "-o", str(tmp), "./internal/gradehelper"],
            module,
            "building the grading helper",
            CGO_ENABLED="0",
        )
        tmp.chmod(0o755)
        tmp.replace(self.helper)

    def scan(self, files: Iterable[Path]) -> list[dict[str, Any]]:
        """The helper's reading of trusted Go files: package, imports, test functions."""
        proc = subprocess.run(
            [str(self.helper), "scan", *map(str, files)],
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode != 0:
            raise ToolchainError(f"scanning Go files failed: {proc.stderr.strip()}")
        data: list[dict[str, Any]] = json.loads(proc.stdout)
        return data

    def export_archives(self, module: Path, packages: Iterable[str]) -> int:
        """Build the race-instrumented archives of `packages` and all they depend on, copy
        them into pkg/ and write pkg/importcfg. Returns how many packages."""
        out = self.go_run(
            ["list", "-race", "-export", "-deps", "-json=ImportPath,Export,Error", *packages],
            module,
            "building the package archives",
        )
        fresh = self.pkg_dir.with_name("pkg.new")
        shutil.rmtree(fresh, ignore_errors=True)
        fresh.mkdir(parents=True)
        lines = ["# import config (gointerview exercise prepare)"]
        decoder, text, at = json.JSONDecoder(), out, 0
        count = 0
        while True:
            while at < len(text) and text[at].isspace():
                at += 1
            if at >= len(text):
                break
            item, at = decoder.raw_decode(text, at)
            if item.get("Error"):
                raise ToolchainError(f"{item['ImportPath']}: {item['Error']}")
            path, export = item["ImportPath"], item.get("Export")
            if not export:
                continue
            target = fresh / f"{path}.a"
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(export, target)
            lines.append(f"packagefile {path}={path}.a")  # relative: the helper resolves it
            count += 1
        (fresh / "importcfg").write_text("\n".join(lines) + "\n")
        for p in [fresh, *fresh.rglob("*")]:
            p.chmod(0o755 if p.is_dir() else 0o644)
        shutil.rmtree(self.pkg_dir, ignore_errors=True)
        fresh.replace(self.pkg_dir)
        return count

    def write_prepared(self, module: Path, exercises: dict[str, dict[str, Any]]) -> Prepared:
        env = self.go_env(
            "GOROOT", "GOVERSION", "GOTOOLDIR", "GOOS", "GOARCH", "GOAMD64", "GOEXPERIMENT"
        )
        mod = json.loads(self.go_run(["mod", "edit", "-json"], module, "reading go.mod"))
        godebug = self.go_run(
            ["list", "-f", "{{.DefaultGODEBUG}}", "./internal/gradehelper"],
            module,
            "reading the default GODEBUG",
        ).strip()
        build_env = {k: env[k] for k in ("GOOS", "GOARCH", "GOAMD64", "GOEXPERIMENT") if env.get(k)}
        data: dict[str, Any] = {
            "version": PREPARED_VERSION,
            "goversion": env["GOVERSION"],
            "lang": "go" + str(mod["Go"]),
            "godebug": godebug,
            "goroot": env["GOROOT"],
            "tools": env["GOTOOLDIR"],
            "build_env": build_env,
            "exercises": exercises,
            "stamp": self.stamp(),
        }
        tmp = self.cache_root / (PREPARED + ".new")
        tmp.write_text(json.dumps(data, indent=2) + "\n")
        tmp.replace(self.cache_root / PREPARED)
        return Prepared.from_json(data)


def temp_module(toolchain: Toolchain) -> tempfile.TemporaryDirectory[str]:
    """A scratch copy of our module; the caller owns the directory."""
    tmp = tempfile.TemporaryDirectory(prefix="gointerview-module-")
    toolchain.module_copy(Path(tmp.name))
    return tmp
