"""Read a candidate's files from a directory without trusting it.

Everything here runs on the host, before any sandbox, so nothing is read through a link or
read past a cap: the directory is opened once and every file is opened relative to it with
O_NOFOLLOW (a symbolic link is refused, never followed), O_NONBLOCK (a FIFO cannot stall the
grader), checked with fstat to be a regular file with one link and a size under the cap, and
only then read — at most the cap plus one byte. The bytes are copied into the sandbox; the
sandbox never sees the candidate's directory.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path

MAX_FILES = 20
MAX_FILE_BYTES = 256 * 1024
MAX_DIR_ENTRIES = 1000
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*\.go$")
# files the go command would hand to an assembler, a C compiler or the linker
_FOREIGN = {
    ".s", ".S", ".sx", ".c", ".cc", ".cxx", ".cpp", ".c++", ".h", ".hh", ".hpp", ".hxx",
    ".m", ".f", ".F", ".for", ".f90", ".syso", ".swig", ".swigcxx",
}  # fmt: skip


class SubmissionError(Exception):
    """The submission cannot be graded as given (missing file, too big, a link): reported as
    data, with the file's name."""


def collect_submission(required: list[str], directory: Path) -> dict[str, bytes]:
    """The candidate's Go files: every top-level .go file except *_test.go (the hidden tests
    decide) and the names the go command ignores (starting with `_` or `.`); the `required`
    ones must be there."""
    try:
        dfd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except FileNotFoundError:
        raise SubmissionError(f"{directory} does not exist") from None
    except NotADirectoryError:
        raise SubmissionError(f"{directory} is not a directory") from None
    except OSError as exc:
        raise SubmissionError(f"cannot open {directory}: {exc.strerror}") from None
    try:
        names = _go_files(dfd, directory)
        missing = [name for name in required if name not in names]
        if missing:
            raise SubmissionError(f"missing file(s) {', '.join(missing)} in {directory}")
        if len(names) > MAX_FILES:
            raise SubmissionError(f"too many .go files ({len(names)} > {MAX_FILES})")
        return {name: _read_one(dfd, name) for name in sorted(names)}
    finally:
        os.close(dfd)


def _go_files(dfd: int, directory: Path) -> list[str]:
    names = []
    with os.scandir(dfd) as entries:
        for count, entry in enumerate(entries):
            if count >= MAX_DIR_ENTRIES:
                raise SubmissionError(f"{directory} has more than {MAX_DIR_ENTRIES} entries")
            name = entry.name
            suffix = Path(name).suffix
            if suffix in _FOREIGN:
                raise SubmissionError(
                    f"{name}: assembly, C and object files are not accepted; write Go only"
                )
            if not name.endswith(".go") or name.endswith("_test.go") or name[0] in "._":
                continue
            if not _NAME.match(name):
                raise SubmissionError(f"{name!r}: use plain file names (letters, digits, _ . -)")
            names.append(name)
    return names


def _read_one(dfd: int, name: str) -> bytes:
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    try:
        fd = os.open(name, flags, dir_fd=dfd)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise SubmissionError(
                f"{name} is a symbolic link: submit the file itself, links are not followed"
            ) from None
        raise SubmissionError(f"cannot open {name}: {exc.strerror}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise SubmissionError(f"{name} is not a regular file")
        if info.st_nlink != 1:
            raise SubmissionError(f"{name} has {info.st_nlink} hard links: submit a plain copy")
        if info.st_size > MAX_FILE_BYTES:
            raise SubmissionError(f"{name} is larger than {MAX_FILE_BYTES // 1024} KiB")
        data = b""
        while len(data) <= MAX_FILE_BYTES and (chunk := os.read(fd, MAX_FILE_BYTES + 1)):
            data += chunk
        if len(data) > MAX_FILE_BYTES:
            raise SubmissionError(f"{name} is larger than {MAX_FILE_BYTES // 1024} KiB")
        return data
    finally:
        os.close(fd)
