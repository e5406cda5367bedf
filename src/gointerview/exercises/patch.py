"""Apply a unified diff (`diff -u`, `git diff`) to in-memory files, strictly: every hunk must
match the file exactly where it says. Mutants are stored as patches against the reference
solution, so a change to the solution that a mutant's patch no longer fits is caught when
the catalogue loads, instead of a stale full copy silently testing old code.

    diff -u --label a/lru.go --label b/lru.go solution/lru.go wrong-lru.go > mutants/ID.patch
"""

from __future__ import annotations

import re

_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


class PatchError(ValueError):
    """The patch is malformed or does not fit the files; the message says where."""


def _name(header: str) -> str:
    path = header[4:].split("\t", 1)[0].strip()
    return path[2:] if path.startswith(("a/", "b/")) else path


def apply_patch(files: dict[str, str], patch: str) -> dict[str, str]:
    """The files after `patch`; only files that exist may be changed (no creation, deletion
    or rename: a mutant is a wrong version of the candidate's files)."""
    out = dict(files)
    lines = patch.splitlines()
    i = 0
    while i < len(lines):
        if not lines[i].startswith("--- "):
            i += 1
            continue
        if i + 1 >= len(lines) or not lines[i + 1].startswith("+++ "):
            raise PatchError(f"line {i + 1}: '---' without '+++'")
        old, new = _name(lines[i]), _name(lines[i + 1])
        if old != new or old not in out:
            raise PatchError(f"line {i + 1}: the patch must change an existing file, not {old!r}")
        i, out[old] = _apply_file(out[old], lines, i + 2, old)
    if out == files:
        raise PatchError("the patch changes nothing")
    return out


def _apply_file(text: str, lines: list[str], i: int, name: str) -> tuple[int, str]:
    source = text.split("\n")
    final_newline = text.endswith("\n")
    if final_newline:
        source.pop()
    result: list[str] = []
    at = 0  # next source line (0-based) not yet copied
    while i < len(lines) and (m := _HUNK.match(lines[i])):
        start = int(m.group(1)) - (0 if m.group(2) == "0" else 1)
        if start < at:
            raise PatchError(f"line {i + 1}: hunks of {name} overlap or are out of order")
        result += source[at:start]
        at = start
        i += 1
        while i < len(lines) and not lines[i].startswith(("@@", "--- ")):
            line = lines[i]
            tag, body = line[:1], line[1:]
            if tag == "\\":  # "\ No newline at end of file", about the line before it
                final_newline = lines[i - 1].startswith("-")
            elif tag in (" ", "-"):
                if at >= len(source) or source[at] != body:
                    raise PatchError(f"line {i + 1}: does not match {name}:{at + 1}")
                if tag == " ":
                    result.append(body)
                at += 1
            elif tag == "+":
                result.append(body)
            elif line == "":
                raise PatchError(f"line {i + 1}: an empty line inside a hunk (lost a space?)")
            else:
                raise PatchError(f"line {i + 1}: unexpected {line[:20]!r}")
            i += 1
    result += source[at:]
    return i, "\n".join(result) + ("\n" if final_newline else "")
