"""What the trusted side of a run says: the harness's signed report, the runtime's crash
output, the race detector's log.

The harness writes one record per line, `<hex HMAC-SHA256> <json>`, keyed with the run's
secret and numbered from 0 (see content/exercises/internal/harness). A record that does not
verify, a gap or repeat in the numbering, a test that starts twice or ends without starting,
makes the report invalid: the run cannot pass, whatever else it printed.

The crash output is what the Go runtime writes, while dying, to the descriptor the harness
gave debug.SetCrashOutput. Only the runtime writes there once the process is dying, and in
its text every line a program could influence (a panic value) starts with a tab, so its
first line and the crashing goroutine's first frame are trustworthy.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from dataclasses import dataclass, field
from typing import Literal

MAX_REPORT_BYTES = 1 << 20


@dataclass
class TestRecord:
    name: str
    status: str | None = None  # pass | fail | skip once it ended
    ms: float | None = None
    race: bool = False
    leak: str | None = None
    scratch_full: bool = False


@dataclass
class Timeout:
    running: list[str]
    stacks: str


@dataclass
class Done:
    code: int
    leak: str | None
    scratch_full: bool


@dataclass
class TrustedReport:
    tests: dict[str, TestRecord] = field(default_factory=dict)  # in the order they started
    declared: list[str] | None = None  # from the hello record
    timeout: Timeout | None = None
    done: Done | None = None
    problem: str | None = None  # why the report cannot be trusted (then nothing after counts)

    @property
    def valid(self) -> bool:
        return self.problem is None and self.declared is not None

    @property
    def scratch_full(self) -> bool:
        return any(t.scratch_full for t in self.tests.values()) or bool(
            self.done and self.done.scratch_full
        )


def sign(key: bytes, body: bytes) -> str:
    return hmac.new(key, body, hashlib.sha256).hexdigest()


def read_report(data: bytes, key: bytes) -> TrustedReport:
    report = TrustedReport()
    if len(data) > MAX_REPORT_BYTES:
        report.problem = "the report is larger than any honest run writes"
        return report
    lines = data.split(b"\n")
    partial = lines.pop()  # b"" when the last record is complete
    for seq, line in enumerate(lines):
        mac, _, body = line.partition(b" ")
        if not hmac.compare_digest(mac.decode("ascii", "replace"), sign(key, body)):
            report.problem = (
                f"record {seq} of the report does not verify: it was not written by the harness"
            )
            return report
        try:
            record = json.loads(body)
        except ValueError:
            report.problem = f"record {seq} of the report is not JSON"
            return report
        if not isinstance(record, dict) or record.get("seq") != seq:
            report.problem = f"record {seq} of the report is out of sequence"
            return report
        problem = _apply(report, record, seq)
        if problem:
            report.problem = problem
            return report
    if partial:
        report.problem = "the report ends in the middle of a record"
    return report


def _apply(report: TrustedReport, record: dict[str, object], seq: int) -> str | None:
    event = record.get("ev")
    if seq == 0:
        tests = record.get("tests")
        if event != "hello" or not isinstance(tests, list):
            return "the report does not start with the harness's hello"
        report.declared = [str(t) for t in tests]
        return None
    if report.done is not None or report.timeout is not None:
        return "the report goes on after its last record"
    name = str(record.get("test", ""))
    declared = report.declared or []
    if event == "start":
        if name not in declared or name in report.tests:
            return f"test {name} started twice or was never declared"
        report.tests[name] = TestRecord(name)
    elif event == "end":
        test = report.tests.get(name)
        if test is None or test.status is not None:
            return f"test {name} ended twice or without starting"
        status = record.get("status")
        if status not in ("pass", "fail", "skip"):
            return f"test {name} ended with an unknown status"
        test.status = str(status)
        ms = record.get("ms")
        test.ms = float(ms) if isinstance(ms, int | float) else None
        test.race = record.get("race") is True
        test.scratch_full = record.get("scratch_full") is True
        leak = record.get("leak")
        test.leak = str(leak) if leak else None
    elif event == "timeout":
        running = record.get("running")
        report.timeout = Timeout(
            running=[str(r) for r in running] if isinstance(running, list) else [],
            stacks=str(record.get("stacks", "")),
        )
    elif event == "done":
        code = record.get("code")
        leak = record.get("leak")
        report.done = Done(
            code=code if isinstance(code, int) else -1,
            leak=str(leak) if leak else None,
            scratch_full=record.get("scratch_full") is True,
        )
    else:
        return f"unknown record {event!r} in the report"
    return None


# ---------------------------------------------------------------- crash output

CrashKind = Literal["panic", "map", "deadlock", "fatal", "bubble_leak", "bubble_deadlock"]
_GOROUTINE = re.compile(r"^goroutine \d+ \[([^\]]*)\]:$")


@dataclass
class Crash:
    kind: CrashKind
    header: str  # the panic line, or "" for a fatal error (its message goes to stderr only)
    bubble: str = ""  # for a synctest bubble left with blocked goroutines: their stacks


def read_crash(text: str) -> Crash | None:
    """Classify the runtime's crash output. A panic starts with `panic: `. A fatal error
    (throw) has no header here — the runtime prints it before it counts as dying — so it is
    told apart by the crashing goroutine's first frame: the map implementation's fatal means
    concurrent map misuse; no running goroutine at all means the scheduler found a deadlock.
    A panic raised by testing/synctest itself (the frame that called panic is the runtime's
    internal/synctest.Run, which no submission can name) reports goroutines left blocked in
    a bubble: a leak when the test function had returned, a deadlock when it had not."""
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), None)
    if first is None:
        return None
    blocks = _goroutine_blocks(lines)
    if first.startswith("panic: "):
        crashing = blocks[0][1] if blocks else []
        if _panicked_in(crashing) == "internal/synctest.Run":
            bubble = "\n\n".join(
                "\n".join([header, *frames])
                for header, frames in blocks[1:]
                if "synctest bubble" in header
            )
            if "main bubble goroutine has exited" in first:
                return Crash("bubble_leak", first[:300], bubble)
            return Crash("bubble_deadlock", first[:300], bubble)
        return Crash("panic", first[:300])
    running = [(h, f) for h, f in blocks if "[running" in h]
    if running:
        frames = running[0][1]
        function = frames[0].split("(", 1)[0] if frames else ""
        if function.startswith(("internal/runtime/maps.", "runtime.map")):
            return Crash("map", "")
        return Crash("fatal", "")
    if blocks:
        return Crash("deadlock", "")
    return Crash("fatal", "")


def _goroutine_blocks(lines: list[str]) -> list[tuple[str, list[str]]]:
    """Each `goroutine N [state]:` header with its frame lines, in order."""
    blocks: list[tuple[str, list[str]]] = []
    for line in lines:
        if _GOROUTINE.match(line):
            blocks.append((line, []))
        elif blocks and line.strip():
            blocks[-1][1].append(line)
        elif blocks and not line.strip() and blocks[-1][1]:
            blocks.append(("", []))  # a blank line ends a block
    return [b for b in blocks if b[0]]


def _panicked_in(frames: list[str]) -> str:
    """The function that called panic in a goroutine's frames (function and file lines
    alternate; the innermost call comes first)."""
    for i, line in enumerate(frames):
        if line.startswith("panic(") and i + 2 < len(frames):
            return frames[i + 2].split("(", 1)[0]
    return ""
