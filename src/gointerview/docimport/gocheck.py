"""Build and vet a code answer that is a complete Go file (it has a `package` clause), in the
same bubblewrap sandbox and with the same prepared toolchain as the coding exercises — no
network, no module downloads, limits on time and memory — and report the compiler's and
vet's messages with their lines. A fragment (no package clause) is not built: it is graded
as text like any answer.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel, Field

from gointerview.grading.code.check import BUILD_LIMITS
from gointerview.grading.code.sandbox import Mount, Runner
from gointerview.grading.code.toolchain import Toolchain

FENCED_GO = re.compile(r"^ {0,3}(`{3,}|~{3,})\s*go(?:lang)?\s*\n(.*?)^ {0,3}\1\s*$", re.M | re.S)
PACKAGE = re.compile(r"^\s*package\s+[A-Za-z_]\w*\s*$", re.M)
MESSAGE = re.compile(r"^(?:\./|.*/)?(main\.go):(\d+)(?::(\d+))?: (.+)$")
MAX_SOURCE = 64 * 1024
FILE = "main.go"


class CodeCheck(BaseModel):
    """What the Go toolchain said about a complete program in an answer."""

    built: bool
    vet_ok: bool | None = None  # None: not vetted (the build failed)
    errors: list[str] = Field(default_factory=list)  # "main.go:12:5: undefined: x"
    vet: list[str] = Field(default_factory=list)
    note: str = ""  # why it was not checked, when it was not


def go_program(answer: str) -> str | None:
    """The complete Go file in an answer: a fenced Go block (or the whole answer) that starts
    with a package clause; None for fragments."""
    blocks = [m.group(2) for m in FENCED_GO.finditer(answer)] or [answer]
    for block in blocks:
        if PACKAGE.search(block) and len(block) <= MAX_SOURCE:
            return block
    return None


Checker = Callable[[str], CodeCheck]


def sandbox_checker(runner: Runner, toolchain: Toolchain) -> Checker:
    def check(source: str) -> CodeCheck:
        return build_and_vet(source, runner=runner, toolchain=toolchain)

    return check


def build_and_vet(source: str, *, runner: Runner, toolchain: Toolchain) -> CodeCheck:
    with tempfile.TemporaryDirectory(prefix="gointerview-doc-") as tmp:
        work = Path(tmp)
        src, gocache = work / "src", work / "gocache"
        src.mkdir()
        version = ".".join(toolchain.version.removeprefix("go").split(".")[:2])
        (src / "go.mod").write_text(f"module answer\n\ngo {version}\n", encoding="utf-8")
        (src / FILE).write_text(source, encoding="utf-8")
        m_src = Mount(src, "/work/src")
        m_cache = Mount(gocache, "/work/gocache", writable=True, lower=toolchain.buildcache)
        m_root = Mount(toolchain.goroot, str(toolchain.goroot))
        env = {
            "PATH": f"{runner.path(m_root)}/bin:/usr/bin:/bin",
            "HOME": "/tmp",
            "GOROOT": runner.path(m_root),
            "GOCACHE": runner.path(m_cache),
            "GOPATH": "/tmp/gopath",
            "GOFLAGS": "-mod=mod",
            "GOPROXY": "off",
            "GOTOOLCHAIN": "local",
            "GOTELEMETRY": "off",
            "GOWORK": "off",
            "GOENV": "off",
            "CGO_ENABLED": "0",
            "GOTMPDIR": "/tmp",
        }
        mounts = [m_src, m_cache, m_root]

        def go(*args: str) -> tuple[int, str, bool]:
            run = runner.run(["go", *args], mounts=mounts, cwd=m_src, env=env, limits=BUILD_LIMITS)
            return run.returncode, run.stderr + "\n" + run.stdout, run.timed_out or run.limit_hit

        code, output, limited = go("build", "-o", "/dev/null", ".")
        if limited:
            return CodeCheck(built=False, note="the build exceeded its time or memory limits")
        if code != 0:
            errors = _messages(output)
            return CodeCheck(built=False, errors=errors or [output.strip()[:500]])
        code, output, _ = go("vet", ".")
        return CodeCheck(built=True, vet_ok=code == 0, vet=_messages(output) if code else [])


def _messages(output: str) -> list[str]:
    out: list[str] = []
    for line in output.splitlines():
        match = MESSAGE.match(line.strip())
        if match is not None:
            file, row, col, message = match.groups()
            where = f"{file}:{row}" + (f":{col}" if col else "")
            text = f"{where}: {message}"
            if text not in out:
                out.append(text)
    return out[:20]
