"""Build and vet a code answer that is a complete Go file (it has a `package` clause), in the
same bubblewrap sandbox and with the same prepared toolchain as the coding exercises — no
network, no module downloads, limits on time and memory — and report the compiler's and
vet's messages with their lines. A fragment (no package clause) is not built: it is graded
as text like any answer.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel, Field

from gointerview.grading.code.build import BUILD_LIMITS
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
    """`compile` then `vet` from the prepared toolchain, against the prepared standard-library
    archives (the ones the exercises build with), in the sandbox: no go command, no module
    downloads, nothing of the answer ever runs."""
    prepared = toolchain.require()
    with tempfile.TemporaryDirectory(prefix="gointerview-doc-") as tmp:
        src = Path(tmp) / "src"
        src.mkdir()
        m_src = Mount(src, "/work/src")
        m_pkg = Mount(toolchain.pkg_dir, "/opt/gointerview/pkg")
        m_tools = Mount(prepared.tools, "/opt/gointerview/tools")
        packages = _importcfg(toolchain.importcfg, runner.path(m_pkg))
        (src / FILE).write_text(source, encoding="utf-8")
        (src / "importcfg").write_text(
            "".join(f"packagefile {p}={f}\n" for p, f in packages.items()), encoding="utf-8"
        )
        inside = runner.path(m_src)
        vet_config = {
            "ID": "main",
            "Compiler": "gc",
            "Dir": inside,
            "ImportPath": "main",
            "GoFiles": [f"{inside}/{FILE}"],
            "NonGoFiles": [],
            "IgnoredFiles": [],
            "ImportMap": {p: p for p in packages},
            "PackageFile": packages,
            "Standard": dict.fromkeys(packages, True),
            "PackageVetx": {},
            "VetxOnly": False,
            "VetxOutput": "/tmp/vet.out",
            "SucceedOnTypecheckFailure": False,
            "GoVersion": prepared.lang,
        }
        (src / "vet.cfg").write_text(json.dumps(vet_config), encoding="utf-8")
        for path in src.iterdir():
            path.chmod(0o644)
        env = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "TMPDIR": "/tmp",
               "GOROOT": str(prepared.goroot), **prepared.build_env}  # fmt: skip
        mounts = [m_src, m_pkg, m_tools]
        tools = runner.path(m_tools)

        def run(*argv: str) -> tuple[int, str, bool]:
            done = runner.run(list(argv), mounts=mounts, cwd=inside, env=env, limits=BUILD_LIMITS)
            return (
                done.returncode,
                done.stderr + "\n" + done.stdout,
                done.timed_out or done.limit_hit,
            )

        code, output, limited = run(
            f"{tools}/compile", "-o", "/tmp/main.a", "-p", "main", "-importcfg",
            f"{inside}/importcfg", f"-lang={prepared.lang}", "-complete", "-race", "-pack",
            f"{inside}/{FILE}",
        )  # fmt: skip
        if limited:
            return CodeCheck(built=False, note="the build exceeded its time or memory limits")
        if code != 0:
            errors = _messages(output)
            if any("could not import" in e for e in errors):
                return CodeCheck(
                    built=False,
                    note="not built: it imports a package the exercises do not prepare",
                    errors=errors,
                )
            return CodeCheck(built=False, errors=errors or [output.strip()[:500]])
        code, output, _ = run(f"{tools}/vet", f"{inside}/vet.cfg")
        return CodeCheck(built=True, vet_ok=code == 0, vet=_messages(output) if code else [])


def _importcfg(prepared: Path, inside: str) -> dict[str, str]:
    """import path -> archive as the sandbox sees it, from the prepared importcfg (whose
    archive paths are relative to its folder)."""
    packages = {}
    for line in prepared.read_text(encoding="utf-8").splitlines():
        path, sep, file = line.removeprefix("packagefile ").partition("=")
        if line.startswith("packagefile ") and sep:
            packages[path] = file if file.startswith("/") else f"{inside}/{file}"
    return packages


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
