"""Run untrusted processes with limits: a bubblewrap sandbox, or (only on explicit request)
a plain subprocess.

Both runners enforce the same limits — wall time (the whole process group and the cgroup are
killed at the deadline), CPU seconds, processes, memory, output size, file size — and give the
child only the environment they are handed. The bubblewrap runner adds isolation:

- no network, new PID/IPC/UTS/cgroup namespaces, a root made only of what is listed: a
  read-only /usr (and the /lib links), a minimal /dev, the mounts it is given;
- /tmp is a size-limited tmpfs (`Limits.tmp_bytes`), private to the sandbox and, being shared
  memory, charged to the run's memory cgroup;
- no real /proc: a fake /proc/self holds only `environ` (the race runtime reads GORACE there,
  not from the process environment) and an `exe` link, so /proc/self/mem, /proc/self/fd and
  the other processes are not there to read;
- started as root, the sandbox keeps only CAP_SETUID/CAP_SETGID, which the grader's helper
  uses to become an unprivileged user (`drop_to`) before anything else runs; started as a
  normal user, bubblewrap runs the child in a user namespace as that user.

Per-run cgroups are created below the grader's own cgroup (v2, or v1 memory+pids), never at
the cgroup root; their event counters (memory.events or failcnt/oom_control, pids.events)
are how a limit is recognised, not anything the child prints.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import shutil
import signal
import subprocess
import threading
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import IO, Protocol

from gointerview.errors import GointerviewError

NOBODY = (65534, 65534)
CGROUP_PREFIX = "gointerview-run-"  # then the grader's pid


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
    tmp_bytes: int = 64 << 20  # the sandbox's /tmp (scratch space)


@dataclass(frozen=True)
class Mount:
    """A host path shown to the child at `sandbox` (a directory, or a single file)."""

    host: Path
    sandbox: str  # absolute path inside the sandbox
    writable: bool = False


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
    def signal(self) -> int | None:
        """The signal that ended the program: a negative return code from the kernel, or
        bubblewrap's 128+N for its child."""
        if self.returncode < 0:
            return -self.returncode
        if 128 < self.returncode < 128 + 65:
            return self.returncode - 128
        return None

    @property
    def limit_hit(self) -> bool:
        return self.output_exceeded or self.memory_exceeded or self.processes_exceeded


class Started(Protocol):
    def wait(self) -> ProcessResult: ...

    def kill(self) -> None: ...


class Runner(Protocol):
    name: str
    drop_to: tuple[int, int] | None  # uid, gid the helper must switch to inside, if any

    def path(self, mount: Mount) -> str:
        """Where a mounted path is seen by the child."""
        ...

    def start(
        self,
        argv: Sequence[str],
        *,
        mounts: Sequence[Mount],
        cwd: str,
        env: Mapping[str, str],
        limits: Limits,
        pass_fds: Sequence[int] = (),
        exe: str | None = None,
        scratch: Path | None = None,
    ) -> Started:
        """Like `run`, but returns at once; the caller waits later."""
        ...

    def run(
        self,
        argv: Sequence[str],
        *,
        mounts: Sequence[Mount],
        cwd: str,
        env: Mapping[str, str],
        limits: Limits,
        pass_fds: Sequence[int] = (),
        exe: str | None = None,
        scratch: Path | None = None,
    ) -> ProcessResult:
        """Run `argv` (paths as the child sees them). `cwd` is a child path; "/tmp" is the
        scratch space (a private tmpfs in the sandbox, the host directory `scratch` without
        one). `pass_fds` stay open in the child under the same numbers. `exe` is what
        /proc/self/exe points at."""
        ...


# ---------------------------------------------------------------- cgroups


@dataclass(frozen=True)
class _CgroupRoots:
    """Where this process may create per-run cgroups: a v2 directory, or v1 directories per
    controller. Empty when it may not."""

    v2: Path | None = None
    v1: tuple[tuple[str, Path], ...] = ()
    why_not: str = ""


def _mountinfo() -> list[tuple[str, str, str, str]]:
    """(root, mount point, fs type, super options) of each mount of this process."""
    out = []
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/mountinfo").read_text().splitlines():
            left, _, right = line.partition(" - ")
            fields, rfields = left.split(), right.split()
            if len(fields) >= 5 and len(rfields) >= 3:
                out.append((fields[3], fields[4], rfields[0], rfields[2]))
    return out


def _own_cgroups() -> tuple[Path | None, dict[str, Path]]:
    """This process's own cgroup directories: the unified (v2) one and the v1 memory and
    pids ones, each as a path under its mount point."""
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return None, {}
    mounts = _mountinfo()
    v2: Path | None = None
    v1: dict[str, Path] = {}
    for line in lines:
        parts = line.split(":", 2)
        if len(parts) != 3:
            continue
        _, controllers, path = parts
        for root, point, fstype, opts in mounts:
            relative = path
            if root != "/" and (path == root or path.startswith(root + "/")):
                relative = path[len(root) :] or "/"
            target = Path(point) / relative.lstrip("/")
            if controllers == "" and fstype == "cgroup2":
                v2 = target
            elif fstype == "cgroup":
                for name in ("memory", "pids"):
                    if name in controllers.split(",") and name in opts.split(","):
                        v1[name] = target
    return v2, v1


@cache
def cgroup_roots() -> _CgroupRoots:
    """Decide once per process where per-run cgroups go: below our own cgroup."""
    v2, v1 = _own_cgroups()
    if v2 is not None:
        try:
            available = set((v2 / "cgroup.controllers").read_text().split())
        except OSError:
            available = set()
        if {"memory", "pids"} <= available:
            try:
                return _CgroupRoots(v2=_delegate_v2(v2))
            except OSError as exc:
                return _CgroupRoots(why_not=f"cannot use cgroup {v2}: {exc.strerror or exc}")
    if {"memory", "pids"} <= set(v1) and all(os.access(p, os.W_OK) for p in v1.values()):
        return _CgroupRoots(v1=tuple(sorted(v1.items())))
    return _CgroupRoots(why_not="no writable memory and pids cgroup below this process's own")


def _delegate_v2(own: Path) -> Path:
    """Make `own` able to hold per-run children with the memory and pids controllers. Under
    cgroup v2 a cgroup with processes in it cannot enable controllers for its children, so
    this process first moves into a leaf of its own (`gointerview-supervisor`), as systemd
    asks of services with delegation."""
    control = own / "cgroup.subtree_control"
    enabled = set(control.read_text().split())
    if {"memory", "pids"} <= enabled:
        return own
    try:
        control.write_text("+memory +pids")
    except OSError:
        leaf = own / "gointerview-supervisor"
        leaf.mkdir(exist_ok=True)
        (leaf / "cgroup.procs").write_text(str(os.getpid()))
        control.write_text("+memory +pids")
    return own


class _Cgroup:
    """A per-run cgroup: the only reliable memory and process caps for the race detector,
    whose shadow memory defeats RLIMIT_AS."""

    def __init__(self, limits: Limits) -> None:
        self.dirs: list[Path] = []
        self.version = 0
        roots = cgroup_roots()
        self.why_not = roots.why_not
        name = f"{CGROUP_PREFIX}{os.getpid()}-{uuid.uuid4().hex[:8]}"
        try:
            if roots.v2 is not None:
                d = roots.v2 / name
                d.mkdir()
                self.dirs, self.version = [d], 2
                (d / "memory.max").write_text(str(limits.memory_bytes))
                with contextlib.suppress(OSError):  # absent without swap accounting
                    (d / "memory.swap.max").write_text("0")
                (d / "pids.max").write_text(str(limits.processes))
            elif roots.v1:
                self.version = 1
                for controller, root in roots.v1:
                    d = root / name
                    d.mkdir()
                    self.dirs.append(d)
                    if controller == "memory":
                        (d / "memory.limit_in_bytes").write_text(str(limits.memory_bytes))
                        with contextlib.suppress(OSError):
                            (d / "memory.memsw.limit_in_bytes").write_text(str(limits.memory_bytes))
                    else:
                        (d / "pids.max").write_text(str(limits.processes))
        except OSError as exc:
            self.why_not = f"cannot set up a cgroup: {exc}"
            self.close()
            self.dirs = []

    @property
    def active(self) -> bool:
        return bool(self.dirs)

    def join_self(self) -> None:
        """Called in the child between fork and exec."""
        for d in self.dirs:
            (d / "cgroup.procs").write_text(str(os.getpid()))

    def kill_all(self) -> None:
        for d in self.dirs:
            if self.version == 2:
                with contextlib.suppress(OSError):
                    (d / "cgroup.kill").write_text("1")
            with contextlib.suppress(OSError, ValueError):
                for pid in (d / "cgroup.procs").read_text().split():
                    with contextlib.suppress(ProcessLookupError, PermissionError):
                        os.kill(int(pid), signal.SIGKILL)

    def _read(self, name: str) -> dict[str, int]:
        for d in self.dirs:
            with contextlib.suppress(OSError):
                return _counters((d / name).read_text())
        return {}

    def memory_exceeded(self) -> bool:
        """Did the kernel hit the limit or OOM-kill something in this cgroup?"""
        if self.version == 2:
            events = self._read("memory.events")
            return events.get("oom_kill", 0) > 0 or events.get("max", 0) > 0
        if self.version == 1:
            oom = self._read("memory.oom_control")
            try:
                failcnt = int((self.dirs[0] / "memory.failcnt").read_text())
            except (OSError, ValueError, IndexError):
                failcnt = 0
            return oom.get("oom_kill", 0) > 0 or failcnt > 0
        return False

    def processes_exceeded(self) -> bool:
        return self._read("pids.events").get("max", 0) > 0

    def close(self) -> None:
        for d in self.dirs:
            for _ in range(100):
                try:
                    d.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    self.kill_all()
                    time.sleep(0.01)


def _counters(text: str) -> dict[str, int]:
    """Parse cgroup `key value` lines."""
    out = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[1].isdigit():
            out[parts[0]] = int(parts[1])
    return out


# ---------------------------------------------------------------- running with limits


def _set_rlimits(limits: Limits, *, nproc: bool) -> None:
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 5))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_size_bytes,) * 2)
    resource.setrlimit(resource.RLIMIT_NOFILE, (limits.open_files,) * 2)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if nproc:  # counted per user, machine-wide: only when there is no pids cgroup
        resource.setrlimit(resource.RLIMIT_NPROC, (limits.processes,) * 2)


class _Sink:
    """Collects one stream up to a cap; past it, kills the run and keeps draining."""

    def __init__(self, cap: int, on_overflow: threading.Event) -> None:
        self.data = bytearray()
        self.cap = cap
        self.over = on_overflow

    def pump(self, stream: IO[bytes]) -> None:
        while chunk := stream.read(65536):
            room = self.cap - len(self.data)
            if room > 0:
                self.data.extend(chunk[:room])
            if len(chunk) > room:
                self.over.set()
        stream.close()


class Running:
    """A process started by `start_limited`: its output is drained in the background, the
    deadline and the output cap are enforced, and `wait` collects the result."""

    def __init__(
        self,
        proc: subprocess.Popen[bytes],
        cgroup: _Cgroup,
        limits: Limits,
        started: float,
        status_fd: int | None,
    ) -> None:
        self.proc, self.cgroup, self.started = proc, cgroup, started
        self.over = threading.Event()
        self.deadline_hit = threading.Event()
        self.out, self.err = (
            _Sink(limits.output_bytes, self.over),
            _Sink(limits.output_bytes, self.over),
        )
        self.status = _Sink(64 << 10, threading.Event())
        streams: list[tuple[_Sink, IO[bytes]]] = [(self.out, proc.stdout), (self.err, proc.stderr)]  # type: ignore[list-item]
        if status_fd is not None:
            streams.append((self.status, os.fdopen(status_fd, "rb", buffering=0)))
        self.pumps = [threading.Thread(target=s.pump, args=(f,), daemon=True) for s, f in streams]
        for t in self.pumps:
            t.start()
        threading.Thread(target=self._stop_on_flood, daemon=True).start()
        # A blocking wait, woken by the kill: Popen.wait(timeout) polls with sleeps of up to
        # 50 ms, which every run would pay twice.
        self.timer = threading.Timer(limits.wall_seconds, self._stop_at_deadline)
        self.timer.daemon = True
        self.timer.start()

    def _stop_on_flood(self) -> None:
        self.over.wait()
        if self.proc.poll() is None:
            self.kill()

    def _stop_at_deadline(self) -> None:
        if self.proc.returncode is None:
            self.deadline_hit.set()
            self.kill()

    def kill(self) -> None:
        _kill_group(self.proc.pid)
        self.cgroup.kill_all()

    def wait(self) -> tuple[ProcessResult, bytes]:
        """Block until the process ends (or is stopped); kill anything it left behind.
        Returns the result and what arrived on the status descriptor."""
        self.proc.wait()
        self.timer.cancel()
        timed_out = self.deadline_hit.is_set() and not self.over.is_set()
        self.cgroup.kill_all()  # anything that escaped the process group
        for t in self.pumps:
            t.join(timeout=5)
        over_flag = self.over.is_set()
        self.over.set()  # releases _stop_on_flood
        result = ProcessResult(
            returncode=self.proc.returncode,
            stdout=self.out.data.decode("utf-8", "replace"),
            stderr=self.err.data.decode("utf-8", "replace"),
            duration_s=time.monotonic() - self.started,
            timed_out=timed_out,
            output_exceeded=over_flag,
            memory_exceeded=self.cgroup.memory_exceeded(),
            processes_exceeded=self.cgroup.processes_exceeded(),
        )
        if not self.cgroup.active:
            result.notes.append(f"no cgroup ({self.cgroup.why_not}): limits rely on rlimits only")
        self.cgroup.close()
        return result, bytes(self.status.data)


def start_limited(
    argv: Sequence[str],
    *,
    cwd: str | None,
    env: Mapping[str, str],
    limits: Limits,
    pass_fds: Sequence[int] = (),
    close_after_start: Sequence[int] = (),
    status_fd: int | None = None,
) -> Running:
    """Start `argv` in its own session with rlimits and (if possible) a cgroup; it is stopped
    at the deadline or when its output passes the cap, and everything it started is killed.
    The descriptors in `close_after_start` (passed to the child) are closed here once it has
    started; `status_fd` (a pipe's read end) is drained like the output."""
    cgroup = _Cgroup(limits)

    def preexec() -> None:
        _set_rlimits(limits, nproc=not cgroup.active)
        if cgroup.active:
            cgroup.join_self()

    started = time.monotonic()
    try:
        proc = subprocess.Popen(
            list(argv),
            cwd=cwd,
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
            pass_fds=tuple(pass_fds),
            preexec_fn=preexec,
        )
    except OSError as exc:
        cgroup.close()
        if status_fd is not None:
            os.close(status_fd)
        raise SandboxUnavailableError(f"cannot start {argv[0]}: {exc}") from exc
    finally:
        for fd in close_after_start:
            os.close(fd)
    return Running(proc, cgroup, limits, started, status_fd)


def run_limited(
    argv: Sequence[str],
    *,
    cwd: str | None,
    env: Mapping[str, str],
    limits: Limits,
    pass_fds: Sequence[int] = (),
) -> ProcessResult:
    return start_limited(argv, cwd=cwd, env=env, limits=limits, pass_fds=pass_fds).wait()[0]


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


def _data_pipe(data: bytes) -> int:
    """A pipe holding `data` (small: it must fit the pipe buffer); returns the read end."""
    r, w = os.pipe()
    try:
        os.write(w, data)
    finally:
        os.close(w)
    return r


# ---------------------------------------------------------------- runners


class _StartThenWait:
    """`run` as `start` then `wait`, for the runners below."""

    def start(
        self,
        argv: Sequence[str],
        *,
        mounts: Sequence[Mount],
        cwd: str,
        env: Mapping[str, str],
        limits: Limits,
        pass_fds: Sequence[int] = (),
        exe: str | None = None,
        scratch: Path | None = None,
    ) -> Started:
        raise NotImplementedError

    def run(
        self,
        argv: Sequence[str],
        *,
        mounts: Sequence[Mount],
        cwd: str,
        env: Mapping[str, str],
        limits: Limits,
        pass_fds: Sequence[int] = (),
        exe: str | None = None,
        scratch: Path | None = None,
    ) -> ProcessResult:
        return self.start(
            argv,
            mounts=mounts,
            cwd=cwd,
            env=env,
            limits=limits,
            pass_fds=pass_fds,
            exe=exe,
            scratch=scratch,
        ).wait()


class BubblewrapRunner(_StartThenWait):
    """The default: untrusted code sees a read-only /usr, the mounts it is given, a small
    private /tmp, no network, no /proc and none of the host's environment."""

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
        self.as_root = os.geteuid() == 0
        self.drop_to: tuple[int, int] | None = NOBODY if self.as_root else None

    def path(self, mount: Mount) -> str:
        return mount.sandbox

    def argv(
        self,
        argv: Sequence[str],
        *,
        mounts: Sequence[Mount],
        cwd: str,
        env: Mapping[str, str],
        limits: Limits,
        environ_fd: int,
        status_fd: int,
        exe: str | None,
    ) -> list[str]:
        args = [self.bwrap]
        if self.as_root:
            # No user namespace: the child is real root with only these two capabilities,
            # which the helper spends on becoming an unprivileged user.
            args += ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts"]
            args += ["--unshare-cgroup-try", "--cap-drop", "ALL"]
            args += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
        else:
            args += ["--unshare-all", "--unshare-user", "--cap-drop", "ALL"]
        args += ["--die-with-parent", "--new-session", "--clearenv", "--hostname", "sandbox"]
        args += ["--json-status-fd", str(status_fd)]
        args += ["--ro-bind", "/usr", "/usr"]
        for top in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
            host = Path("/") / top
            if host.is_symlink():
                args += ["--symlink", str(host.readlink()), f"/{top}"]
            elif host.is_dir():
                args += ["--ro-bind", str(host), f"/{top}"]
        for etc in ("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d"):
            args += ["--ro-bind-try", etc, etc]
        for path in self.extra_ro:
            args += ["--ro-bind", str(path), str(path)]
        args += ["--dev", "/dev"]
        args += ["--size", str(limits.tmp_bytes), "--perms", "1777", "--tmpfs", "/tmp"]
        made = {"/", "/tmp", "/dev", "/usr", "/proc"}
        for m in mounts:
            # bubblewrap would make missing parents root-only; the child may not be root
            for parent in reversed(Path(m.sandbox).parents):
                if str(parent) not in made:
                    args += ["--perms", "0755", "--dir", str(parent)]
                    made.add(str(parent))
            args += ["--bind" if m.writable else "--ro-bind", str(m.host), m.sandbox]
        # a fake /proc/self: GORACE for the race runtime, and what it calls its executable
        args += ["--perms", "0755", "--dir", "/proc", "--perms", "0755", "--dir", "/proc/self"]
        args += ["--perms", "0444", "--ro-bind-data", str(environ_fd), "/proc/self/environ"]
        if exe is not None:
            args += ["--symlink", exe, "/proc/self/exe"]
        args += ["--chdir", cwd]
        for key, value in env.items():
            args += ["--setenv", key, value]
        return [*args, "--", *argv]

    def start(
        self,
        argv: Sequence[str],
        *,
        mounts: Sequence[Mount],
        cwd: str,
        env: Mapping[str, str],
        limits: Limits,
        pass_fds: Sequence[int] = (),
        exe: str | None = None,
        scratch: Path | None = None,
    ) -> _BubblewrapStarted:
        environ = b"".join(f"{k}={v}".encode() + b"\0" for k, v in env.items())
        environ_fd = _data_pipe(environ)
        status_r, status_w = os.pipe()
        full = self.argv(
            argv,
            mounts=mounts,
            cwd=cwd,
            env=env,
            limits=limits,
            environ_fd=environ_fd,
            status_fd=status_w,
            exe=exe,
        )
        running = start_limited(
            full,
            cwd=None,
            env={"PATH": "/usr/bin:/bin"},
            limits=limits,
            pass_fds=(*pass_fds, environ_fd, status_w),
            close_after_start=(environ_fd, status_w),
            status_fd=status_r,
        )
        return _BubblewrapStarted(running)


class _BubblewrapStarted:
    def __init__(self, running: Running) -> None:
        self.running = running

    def kill(self) -> None:
        self.running.kill()

    def wait(self) -> ProcessResult:
        result, status = self.running.wait()
        # bubblewrap reports the child's pid once the sandbox is set up; without it, the
        # failure is bubblewrap's (whatever the stderr, which a child could also write)
        started = any("child-pid" in line for line in _json_lines(status))
        if not started and not result.timed_out:
            raise SandboxUnavailableError(
                f"bubblewrap failed to start the sandbox: {result.stderr.strip()[:2000]}"
            )
        return result


def _json_lines(data: bytes) -> list[dict[str, object]]:
    out = []
    for line in data.decode("utf-8", "replace").splitlines():
        with contextlib.suppress(ValueError):
            value = json.loads(line)
            if isinstance(value, dict):
                out.append(value)
    return out


class PlainRunner(_StartThenWait):
    """No isolation: limits and the given environment only. Used only when the user passes
    --unsafe-no-sandbox, for code they trust (their own)."""

    name = "unsandboxed"
    drop_to: tuple[int, int] | None = None

    def path(self, mount: Mount) -> str:
        return str(mount.host)

    def start(
        self,
        argv: Sequence[str],
        *,
        mounts: Sequence[Mount],
        cwd: str,
        env: Mapping[str, str],
        limits: Limits,
        pass_fds: Sequence[int] = (),
        exe: str | None = None,
        scratch: Path | None = None,
    ) -> _PlainStarted:
        by_child = {m.sandbox: m.host for m in mounts}
        host_cwd = by_child.get(cwd) or (scratch if cwd == "/tmp" and scratch else Path(cwd))
        running = start_limited(argv, cwd=str(host_cwd), env=env, limits=limits, pass_fds=pass_fds)
        return _PlainStarted(running)


class _PlainStarted:
    def __init__(self, running: Running) -> None:
        self.running = running

    def kill(self) -> None:
        self.running.kill()

    def wait(self) -> ProcessResult:
        return self.running.wait()[0]


def make_runner(*, unsafe_no_sandbox: bool = False, extra_ro: Sequence[Path] = ()) -> Runner:
    if unsafe_no_sandbox:
        return PlainRunner()
    return BubblewrapRunner(extra_ro=extra_ro)
