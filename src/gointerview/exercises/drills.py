"""Diagnosis drills: the programs behind the bank's `drill` questions, and their regeneration.

A drill is a folder under `content/drills/<id>/` (one Go module for all of them,
`content/drills/go.mod`, no dependencies):

    main.go        the program that reproduces the problem
    regen.sh       builds and runs it with the Go on PATH and writes artefact.txt
    artefact.txt   the real output the candidate reads (the bank question points at it)
    evidence.txt   one regular expression a line: what the rubric relies on (the frames,
                   lines and figures its key points quote); every one must match the artefact

`regenerate` runs a drill's regen.sh in the bubblewrap sandbox the exercises use — no
network (a private loopback only), a read-only /usr (so a Go installed under /usr is there),
a private /tmp, a clean environment, as uid 65534 when started as root — on a scratch copy of
the drill, with a Go build cache of its own under the data folder so builds after the first
are quick. The new artefact replaces the old one only if every evidence pattern still
matches: an artefact whose diagnosis changed is reported, never written.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from gointerview.errors import GointerviewError, NotFoundError
from gointerview.grading.code.sandbox import Limits, Mount, Runner

DRILLS_DIR = Path(__file__).resolve().parent.parent / "content" / "drills"
SHARED_FILES = ("go.mod", "lib.sh")  # what every drill's build needs besides its folder
ARTEFACT = "artefact.txt"
EVIDENCE = "evidence.txt"
MAX_ARTEFACT_BYTES = 64 * 1024  # the bank loader's cap: a bigger artefact would not load
MAX_COPY_BYTES = 1 << 20  # per file copied into the sandbox: a drill is source, not data
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
SETPRIV = "/usr/bin/setpriv"
DEFAULT_TIMEOUT_S = 600.0  # a first build compiles the standard library and pprof

Status = Literal["unchanged", "changed", "diagnosis-changed", "failed"]


@dataclass(frozen=True)
class Drill:
    id: str
    folder: Path

    @property
    def artefact(self) -> Path:
        return self.folder / ARTEFACT

    def evidence(self) -> list[re.Pattern[str]]:
        """The patterns of evidence.txt (blank lines and `#` comments skipped)."""
        path = self.folder / EVIDENCE
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise GointerviewError(f"drill {self.id}: cannot read {path}: {exc}") from exc
        patterns = []
        for number, line in enumerate(lines, 1):
            if not line.strip() or line.startswith("#"):
                continue
            try:
                patterns.append(re.compile(line, re.MULTILINE))
            except re.error as exc:
                raise GointerviewError(f"{path}:{number}: bad pattern: {exc}") from exc
        if not patterns:
            raise GointerviewError(f"{path}: no evidence pattern")
        return patterns

    def missing_evidence(self, text: str) -> list[str]:
        """The evidence patterns `text` does not match."""
        return [p.pattern for p in self.evidence() if not p.search(text)]


@dataclass(frozen=True)
class RegenResult:
    id: str
    status: Status
    seconds: float
    detail: str = ""  # why it failed, or which evidence is gone

    def as_dict(self) -> dict[str, object]:
        return {"id": self.id, "status": self.status, "seconds": round(self.seconds, 1)} | (
            {"detail": self.detail} if self.detail else {}
        )


def all_drills(root: Path = DRILLS_DIR) -> list[Drill]:
    """Every drill folder (one with a regen.sh), sorted by id."""
    return [
        Drill(p.name, p)
        for p in sorted(root.iterdir())
        if p.is_dir() and (p / "regen.sh").is_file() and ID_PATTERN.match(p.name)
    ]


def select(ids: Sequence[str], root: Path = DRILLS_DIR) -> list[Drill]:
    """The drills named (all of them when none is), in the order given."""
    drills = all_drills(root)
    if not ids:
        return drills
    by_id = {d.id: d for d in drills}
    unknown = [i for i in ids if i not in by_id]
    if unknown:
        raise NotFoundError(
            f"no drill {', '.join(map(repr, unknown))} (see `gointerview drill list`)"
        )
    return [by_id[i] for i in dict.fromkeys(ids)]


def read_artefact(path: Path) -> str:
    """An artefact file as text: a regular file (never through a link), at most 64 KiB."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as exc:
        raise GointerviewError(f"{path}: cannot open: {exc.strerror}") from exc
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise GointerviewError(f"{path}: not a regular file")
        data = handle.read(MAX_ARTEFACT_BYTES + 1)
    if len(data) > MAX_ARTEFACT_BYTES:
        raise GointerviewError(f"{path}: over {MAX_ARTEFACT_BYTES} bytes")
    return data.decode("utf-8", errors="replace")


def regenerate(
    drills: Sequence[Drill],
    *,
    runner: Runner,
    go_cache: Path,
    goroot: Path,
    write: bool = True,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    root: Path = DRILLS_DIR,
) -> list[RegenResult]:
    """Run each drill's regen.sh in `runner` and compare the new artefact with the stored
    one; with `write`, store it when it changed and still shows every piece of evidence."""
    go_cache.mkdir(parents=True, exist_ok=True)
    if runner.drop_to is not None and go_cache.stat().st_uid != runner.drop_to[0]:
        _chown_tree(go_cache, runner.drop_to)  # once: what the sandbox adds is its own
    return [
        _regenerate_one(d, runner, go_cache, goroot, write=write, timeout_s=timeout_s, root=root)
        for d in drills
    ]


def _regenerate_one(
    drill: Drill,
    runner: Runner,
    go_cache: Path,
    goroot: Path,
    *,
    write: bool,
    timeout_s: float,
    root: Path,
) -> RegenResult:
    started = time.monotonic()

    def result(status: Status, detail: str = "") -> RegenResult:
        return RegenResult(drill.id, status, time.monotonic() - started, detail)

    evidence = drill.evidence()  # a broken evidence file fails before any build
    with tempfile.TemporaryDirectory(prefix=f"gointerview-drill-{drill.id}-") as scratch_name:
        scratch = Path(scratch_name)
        src = scratch / "src"
        _copy_sources(drill, root, src)
        if runner.drop_to is not None:
            _chown_tree(scratch, runner.drop_to)
        mounts = [
            Mount(src, "/drills", writable=True),
            Mount(go_cache, "/gocache", writable=True),
        ]
        if not goroot.is_relative_to("/usr"):  # /usr is in every sandbox already
            mounts.append(Mount(goroot, str(goroot)))
        src_seen, cache_seen = runner.path(mounts[0]), runner.path(mounts[1])
        env = {
            "PATH": f"{goroot}/bin:/usr/bin:/bin",
            "GOROOT": str(goroot),
            "GOCACHE": cache_seen,
            "GOPATH": "/tmp/gopath",
            "HOME": "/tmp",
            "TMPDIR": "/tmp",
            "LANG": "C.UTF-8",
        }
        argv = ["/bin/bash", "regen.sh"]
        if runner.drop_to is not None:
            uid, gid = runner.drop_to
            argv = [SETPRIV, f"--reuid={uid}", f"--regid={gid}", "--clear-groups", "--", *argv]
        limits = Limits(
            wall_seconds=timeout_s,
            cpu_seconds=int(timeout_s) * 2,
            memory_bytes=3 << 30,
            processes=1024,  # one drill holds 150 threads in the kernel on purpose
            tmp_bytes=512 << 20,
        )
        proc = runner.run(
            argv,
            mounts=mounts,
            cwd=f"{src_seen}/{drill.id}",
            env=env,
            limits=limits,
        )
        if proc.timed_out:
            return result("failed", f"regen.sh ran past {timeout_s:.0f} s")
        if proc.returncode != 0 or proc.limit_hit:
            tail = (proc.stderr or proc.stdout).strip()[-1500:]
            return result("failed", f"regen.sh exited with {proc.returncode}: {tail}")
        try:
            fresh = read_artefact(src / drill.id / ARTEFACT)
        except GointerviewError as exc:
            return result("failed", str(exc))
    missing = [p.pattern for p in evidence if not p.search(fresh)]
    if missing:
        return result("diagnosis-changed", "no longer shows: " + "; ".join(missing))
    try:
        old = read_artefact(drill.artefact)
    except GointerviewError:
        old = None
    if old == fresh:
        return result("unchanged")
    if write:
        tmp = drill.artefact.with_name(ARTEFACT + ".tmp")
        tmp.write_text(fresh, encoding="utf-8")
        tmp.replace(drill.artefact)
    return result("changed")


def _copy_sources(drill: Drill, root: Path, dest: Path) -> None:
    """The shared module files and the drill's folder, copied without following links."""
    (dest / drill.id).mkdir(parents=True)
    for name in SHARED_FILES:
        _copy_file(root / name, dest / name)
    for entry in sorted(drill.folder.iterdir()):
        if entry.name != ARTEFACT:
            _copy_file(entry, dest / drill.id / entry.name)


def _copy_file(source: Path, target: Path) -> None:
    info = source.lstat()
    if not stat.S_ISREG(info.st_mode):
        raise GointerviewError(f"{source}: drills hold regular files only")
    if info.st_size > MAX_COPY_BYTES:
        raise GointerviewError(f"{source}: over {MAX_COPY_BYTES} bytes")
    shutil.copyfile(source, target, follow_symlinks=False)


def _chown_tree(top: Path, owner: tuple[int, int]) -> None:
    """Hand a folder we made to the sandbox's user (only when we run as root)."""
    uid, gid = owner
    os.chown(top, uid, gid, follow_symlinks=False)
    for path in top.rglob("*"):  # rglob does not descend through links
        os.chown(path, uid, gid, follow_symlinks=False)
