"""Run untrusted processes with limits: a bubblewrap sandbox, or (only on explicit request)
a plain subprocess.

Both runners enforce the same limits — wall time (the whole process group is killed at the
deadline), CPU seconds, processes, memory, output size, file size — and give the child a
minimal environment. The bubblewrap runner adds isolation: no network, a read-only system,
only the directories explicitly mounted, new PID/IPC/UTS/user namespaces, no capabilities.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import resource
import shutil
import signal
import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, ClassVar, Protocol

from gointerview.errors import GointerviewError


class SandboxUnavailableError(GointerviewError):
    """The safe runner cannot work here; the message says how to fix it."""


@dataclass(frozen=True)
class Limits:
    wall_seconds: float = 60.0
    cpu_seconds: int = 120
    memory_bytes: int = 2 << 30
    processes: int = 512  # threads count too: the Go runtime and the race detector use several
    output_bytes: int = 1 << 20
    file_size_bytes: int = 256 << 20
    open_files: int = 1024


@dataclass(frozen=True)
class Mount:
    """A host directory shown to the child at `sandbox`. With `lower`, `host` starts as a
    private copy-on-write view of `lower`: writes land in `host`, never in `lower`."""

    host: Path
    sandbox: str  # absolute path inside the sandbox
    writable: bool = False
    lower: Path | None = None


@dataclass
class ProcessResult:
    returncode: int
    stdout: str
    stderr: str
    duration_s: float
    timed_out: bool = False
    output_exceeded: bool = False
    memory_exceeded: bool = False
    processes_exceeded: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def limit_hit(self) -> bool:
        return self.output_exceeded or self.memory_exceeded or self.processes_exceeded


class Runner(Protocol):
    name: str

    def path(self, mount: Mount) -> str:
        """Where a mounted directory is seen by the child."""
        ...

    def run(
        self,
        argv: Sequence[str],
        *,
        mounts: Sequence[Mount],
        cwd: Mount,
        env: Mapping[str, str],
        limits: Limits,
        stdin: bytes | None = None,
    ) -> ProcessResult: ...


# ---------------------------------------------------------------- copy-on-write mounts

_CLONE_NEWNS = 0x00020000
_MS_REC, _MS_PRIVATE = 16384, 1 << 18


@dataclass(frozen=True)
class _Overlay:
    lower: Path
    upper: Path
    work: Path
    merged: Path


def _overlay_supported() -> bool:
    try:
        return os.geteuid() == 0 and "overlay" in Path("/proc/filesystems").read_text()
    except OSError:
        return False


def materialise(mounts: Sequence[Mount]) -> tuple[list[Mount], list[_Overlay]]:
    """Give each `lower` mount its private view: a kernel overlay (mounted in the child's own
    mount namespace, so it vanishes with it; needs root) or else a plain copy."""
    resolved, overlays = [], []
    for m in mounts:
        if m.lower is None:
            resolved.append(m)
            continue
        if _overlay_supported():
            ov = _Overlay(m.lower, m.host / "upper", m.host / "work", m.host / "merged")
            for d in (ov.upper, ov.work, ov.merged):
                d.mkdir(parents=True, exist_ok=True)
            overlays.append(ov)
            resolved.append(Mount(ov.merged, m.sandbox, m.writable))
        else:
            subprocess.run(["cp", "-r", str(m.lower), str(m.host)], check=True)
            resolved.append(Mount(m.host, m.sandbox, m.writable))
    return resolved, overlays


def _mount_overlays(overlays: Sequence[_Overlay]) -> None:
    """In the child, before exec: a private mount namespace holding the overlays."""
    if not overlays:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(_CLONE_NEWNS) != 0:
        raise OSError(ctypes.get_errno(), "unshare(CLONE_NEWNS)")
    if libc.mount(b"none", b"/", None, _MS_REC | _MS_PRIVATE, None) != 0:
        raise OSError(ctypes.get_errno(), "make / private")
    for ov in overlays:
        opts = f"lowerdir={ov.lower},upperdir={ov.upper},workdir={ov.work}".encode()
        if libc.mount(b"overlay", str(ov.merged).encode(), b"overlay", 0, opts) != 0:
            raise OSError(ctypes.get_errno(), f"mount overlay on {ov.merged}")


# ---------------------------------------------------------------- limits shared by runners


def _rlimits(limits: Limits) -> Callable[[], None]:
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 5))
        resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_size_bytes,) * 2)
        resource.setrlimit(resource.RLIMIT_NOFILE, (limits.open_files,) * 2)
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        # Counted per user; enforced in the sandbox's own user namespace and for non-root users.
        resource.setrlimit(resource.RLIMIT_NPROC, (limits.processes,) * 2)

    return apply


class _Cgroup:
    """A per-run cgroup (v2, or v1 memory+pids) when the user may create one; the only reliable
    memory and process caps for the race detector, whose shadow memory defeats RLIMIT_AS."""

    V2 = Path("/sys/fs/cgroup")
    V1: ClassVar[dict[str, Path]] = {
        "memory": Path("/sys/fs/cgroup/memory"),
        "pids": Path("/sys/fs/cgroup/pids"),
    }

    def __init__(self, limits: Limits) -> None:
        self.dirs: dict[str, Path] = {}
        name = f"gointerview-{uuid.uuid4().hex[:12]}"
        try:
            if (self.V2 / "cgroup.controllers").is_file() and self._v2_writable():
                d = self.V2 / name
                d.mkdir()
                (d / "memory.max").write_text(str(limits.memory_bytes))
                (d / "memory.swap.max").write_text("0")
                (d / "pids.max").write_text(str(limits.processes))
                self.dirs["v2"] = d
            elif all((p / "tasks").is_file() and os.access(p, os.W_OK) for p in self.V1.values()):
                for controller, root in self.V1.items():
                    d = root / name
                    d.mkdir()
                    self.dirs[controller] = d
                (self.dirs["memory"] / "memory.limit_in_bytes").write_text(str(limits.memory_bytes))
                with contextlib.suppress(OSError):  # absent when swap accounting is off
                    (self.dirs["memory"] / "memory.memsw.limit_in_bytes").write_text(
                        str(limits.memory_bytes)
                    )
                (self.dirs["pids"] / "pids.max").write_text(str(limits.processes))
        except OSError:
            self.close()
            self.dirs = {}

    def _v2_writable(self) -> bool:
        controllers = (self.V2 / "cgroup.subtree_control").read_text().split()
        return {"memory", "pids"} <= set(controllers) and os.access(self.V2, os.W_OK)

    @property
    def active(self) -> bool:
        return bool(self.dirs)

    def procs_files(self) -> list[Path]:
        return [d / "cgroup.procs" for d in self.dirs.values()]

    def join_self(self) -> None:
        """Called in the child between fork and exec."""
        for procs in self.procs_files():
            procs.write_text(str(os.getpid()))

    def kill_all(self) -> None:
        for procs in self.procs_files():
            with contextlib.suppress(OSError, ValueError):
                for pid in procs.read_text().split():
                    with contextlib.suppress(ProcessLookupError, PermissionError):
                        os.kill(int(pid), signal.SIGKILL)

    def memory_exceeded(self) -> bool:
        """Did the kernel hit the limit or OOM-kill something in this cgroup?"""
        try:
            if "v2" in self.dirs:
                events = _counters((self.dirs["v2"] / "memory.events").read_text())
                return events.get("oom_kill", 0) > 0 or events.get("max", 0) > 0
            if "memory" in self.dirs:
                d = self.dirs["memory"]
                oom = _counters((d / "memory.oom_control").read_text())
                return oom.get("oom_kill", 0) > 0 or int((d / "memory.failcnt").read_text()) > 0
        except (OSError, ValueError):
            return False
        return False

    def processes_exceeded(self) -> bool:
        try:
            d = self.dirs.get("v2") or self.dirs.get("pids")
            if d is None:
                return False
            return _counters((d / "pids.events").read_text()).get("max", 0) > 0
        except (OSError, ValueError):
            return False

    def close(self) -> None:
        for d in self.dirs.values():
            for _ in range(50):
                try:
                    d.rmdir()
                    break
                except OSError:
                    self.kill_all()
                    time.sleep(0.02)


def _counters(text: str) -> dict[str, int]:
    """Parse cgroup `key value` lines."""
    out = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[1].isdigit():
            out[parts[0]] = int(parts[1])
    return out


def _pump(stream: IO[bytes], sink: bytearray, cap: int, over: threading.Event) -> None:
    while chunk := stream.read(65536):
        room = cap - len(sink)
        if room > 0:
            sink.extend(chunk[:room])
        if len(chunk) > room:
            over.set()
            # keep draining so the child never blocks on a full pipe before it is killed
    stream.close()


def run_limited(
    argv: Sequence[str],
    *,
    cwd: str | None,
    env: Mapping[str, str],
    limits: Limits,
    stdin: bytes | None = None,
    overlays: Sequence[_Overlay] = (),
) -> ProcessResult:
    """Start `argv` in its own session with rlimits and (if possible) a cgroup; stop it at the
    deadline or when its output passes the cap; kill everything it started."""
    cgroup = _Cgroup(limits)
    rlimits = _rlimits(limits)

    def preexec() -> None:
        _mount_overlays(overlays)
        rlimits()
        if cgroup.active:
            cgroup.join_self()

    start = time.monotonic()
    try:
        proc = subprocess.Popen(
            list(argv),
            cwd=cwd,
            env=dict(env),
            stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
            preexec_fn=preexec,
        )
    except OSError as exc:
        cgroup.close()
        raise SandboxUnavailableError(f"cannot start {argv[0]}: {exc}") from exc
    out, err = bytearray(), bytearray()
    over = threading.Event()
    pumps = [
        threading.Thread(target=_pump, args=(proc.stdout, out, limits.output_bytes, over)),
        threading.Thread(target=_pump, args=(proc.stderr, err, limits.output_bytes, over)),
    ]
    for t in pumps:
        t.daemon = True
        t.start()
    if stdin is not None and proc.stdin is not None:
        with contextlib.suppress(BrokenPipeError):
            proc.stdin.write(stdin)
        proc.stdin.close()

    deadline = start + limits.wall_seconds
    timed_out = False
    while proc.poll() is None:
        if over.is_set():
            break
        if time.monotonic() > deadline:
            timed_out = True
            break
        time.sleep(0.01)
    if proc.poll() is None:
        _kill_group(proc.pid)
        cgroup.kill_all()
    proc.wait()
    cgroup.kill_all()  # anything that escaped the process group
    for t in pumps:
        t.join(timeout=5)
    result = ProcessResult(
        returncode=proc.returncode,
        stdout=out.decode("utf-8", "replace"),
        stderr=err.decode("utf-8", "replace"),
        duration_s=time.monotonic() - start,
        timed_out=timed_out,
        output_exceeded=over.is_set(),
        memory_exceeded=cgroup.memory_exceeded(),
        processes_exceeded=cgroup.processes_exceeded(),
    )
    if not cgroup.active:
        result.notes.append("no cgroup: memory and process limits rely on rlimits only")
    cgroup.close()
    return result


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


# ---------------------------------------------------------------- runners


class BubblewrapRunner:
    """The default: untrusted code sees a read-only /usr, the mounts it is given, an empty /tmp,
    no network and none of the host's environment."""

    name = "bubblewrap"

    def __init__(self, *, extra_ro: Sequence[Path] = ()) -> None:
        bwrap = shutil.which("bwrap")
        if bwrap is None:
            raise SandboxUnavailableError(
                "bubblewrap (bwrap) is not installed: install it (Debian/Ubuntu: "
                "`apt-get install bubblewrap`), or pass --unsafe-no-sandbox to run the code "
                "without isolation"
            )
        self.bwrap = bwrap
        self.extra_ro = list(extra_ro)

    def path(self, mount: Mount) -> str:
        return mount.sandbox

    def argv(
        self, argv: Sequence[str], *, mounts: Sequence[Mount], cwd: Mount, env: Mapping[str, str]
    ) -> list[str]:
        args = [
            self.bwrap,
            "--unshare-all",  # network, PID, IPC, UTS, user, cgroup namespaces
            "--die-with-parent",
            "--new-session",
            "--cap-drop",
            "ALL",
            "--clearenv",
            "--hostname",
            "sandbox",
            "--ro-bind",
            "/usr",
            "/usr",
        ]
        for top in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
            host = Path("/") / top
            if host.is_symlink():
                args += ["--symlink", str(host.readlink()), f"/{top}"]
            elif host.is_dir():
                args += ["--ro-bind", str(host), f"/{top}"]
        for etc in (
            "/etc/alternatives",
            "/etc/ld.so.cache",
            "/etc/ld.so.conf",
            "/etc/ld.so.conf.d",
        ):
            args += ["--ro-bind-try", etc, etc]
        for path in self.extra_ro:
            args += ["--ro-bind", str(path), str(path)]
        args += ["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]
        for m in mounts:
            args += ["--bind" if m.writable else "--ro-bind", str(m.host), m.sandbox]
        args += ["--chdir", cwd.sandbox]
        for key, value in env.items():
            args += ["--setenv", key, value]
        return [*args, "--", *argv]

    def run(
        self,
        argv: Sequence[str],
        *,
        mounts: Sequence[Mount],
        cwd: Mount,
        env: Mapping[str, str],
        limits: Limits,
        stdin: bytes | None = None,
    ) -> ProcessResult:
        resolved, overlays = materialise(mounts)
        full = self.argv(argv, mounts=resolved, cwd=cwd, env=env)
        result = run_limited(
            full,
            cwd=None,
            env={"PATH": "/usr/bin:/bin"},
            limits=limits,
            stdin=stdin,
            overlays=overlays,
        )
        if result.returncode != 0 and result.stderr.startswith("bwrap:"):
            raise SandboxUnavailableError(
                f"bubblewrap failed to start the sandbox: {result.stderr.strip()}"
            )
        return result


class PlainRunner:
    """No isolation: limits and a clean environment only. Used only when the user passes
    --unsafe-no-sandbox, for code they trust (their own)."""

    name = "unsandboxed"

    def path(self, mount: Mount) -> str:
        return str(mount.host)

    def run(
        self,
        argv: Sequence[str],
        *,
        mounts: Sequence[Mount],
        cwd: Mount,
        env: Mapping[str, str],
        limits: Limits,
        stdin: bytes | None = None,
    ) -> ProcessResult:
        for m in mounts:  # no namespaces here: the child sees host paths, so copy
            if m.lower is not None and not m.host.exists():
                subprocess.run(["cp", "-r", str(m.lower), str(m.host)], check=True)
        return run_limited(argv, cwd=str(cwd.host), env=env, limits=limits, stdin=stdin)


def make_runner(*, unsafe_no_sandbox: bool = False, extra_ro: Sequence[Path] = ()) -> Runner:
    if unsafe_no_sandbox:
        return PlainRunner()
    return BubblewrapRunner(extra_ro=extra_ro)
