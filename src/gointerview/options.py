"""Repeatable `N=VALUE` command-line options (`grade doc --match 3=ID`, `kit score --set 3=80`):
one splitter, so every such option rejects a malformed value the same way."""

from __future__ import annotations

from gointerview.errors import GointerviewError


def numbered(raw: str, where: str, expected: str) -> tuple[int, str]:
    """`raw` ("3=lang.chan.who-closes") as (3, "lang.chan.who-closes"); otherwise an error that
    starts with `where` (the option as the command's other errors name it) and gives the
    `expected` form ("N=ID, e.g. --match 3=lang.chan.who-closes")."""
    number, sep, value = (x.strip() for x in raw.partition("="))
    if not sep or not number.isdigit() or not value:
        raise GointerviewError(f"{where}: expected {expected}")
    return int(number), value
