"""Parse the output of a Go test binary run with `-test.v=test2json`, the mode `go test -json`
uses, to show each test's output and first failure line.

Display only: candidate code shares stdout with the testing package and can print anything,
including the ^V-marked framing lines. Which tests passed comes from the harness's signed
report (report.py), never from here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MARKER = "\x16"
_RUN = re.compile(r"^=== (RUN|PAUSE|CONT|NAME)\s+(\S*)\s*$")
_RESULT = re.compile(r"^\s*--- (PASS|FAIL|SKIP): (\S+) \((\d+(?:\.\d+)?)s\)\s*$")


@dataclass
class ParsedTest:
    name: str
    action: str = "run"  # run | pass | fail | skip
    duration_s: float | None = None
    output: list[str] = field(default_factory=list)


@dataclass
class ParsedRun:
    tests: dict[str, ParsedTest] = field(default_factory=dict)  # in the order they started
    final: str | None = None  # "PASS" or "FAIL" from the binary's last framing line
    loose_output: list[str] = field(default_factory=list)  # output outside any test

    def test(self, name: str) -> ParsedTest:
        if name not in self.tests:
            self.tests[name] = ParsedTest(name)
        return self.tests[name]

    @property
    def top_level(self) -> list[ParsedTest]:
        return [t for t in self.tests.values() if "/" not in t.name]


def parse_test_output(stdout: str) -> ParsedRun:
    run = ParsedRun()
    current: str | None = None
    for raw in stdout.splitlines():
        if raw.startswith(MARKER):
            line = raw[1:]
            if m := _RUN.match(line):
                verb, name = m.groups()
                current = name or None
                if verb == "RUN" and name:
                    run.test(name)
                continue
            if m := _RESULT.match(line):
                verb, name, secs = m.groups()
                test = run.test(name)
                test.action = verb.lower()
                test.duration_s = float(secs)
                current = None
                continue
            if line.strip() in ("PASS", "FAIL") or line.startswith("FAIL"):
                run.final = "PASS" if line.strip() == "PASS" else "FAIL"
                current = None
                continue
            raw = line  # a marked line we do not know: keep it as output
        if current is not None:
            run.test(current).output.append(raw)
        else:
            run.loose_output.append(raw)
    return run


_TEST_FUNC = re.compile(r"^func (Test[A-Z_0-9]\w*)\(\s*\w+\s+\*testing\.T\s*\)", re.MULTILINE)


def declared_tests(source: str) -> list[str]:
    """Top-level test names declared in a _test.go file, in file order. A fallback for hidden
    tests `prepare` has not seen (it records them with the Go parser)."""
    return _TEST_FUNC.findall(source)
