"""The live scorecard: what the interviewer heard, written into the kit's Markdown as it
happens — the same boxes and Score line a pen would fill, so `kit score` reads it back and a
crash loses at most the item being entered.

Pure functions over the kit text; the terminal loop is in cli/kit.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gointerview.kit.build import KitItem
from gointerview.kit.render import LEVELS
from gointerview.kit.scorecard import (
    CUE_LINE,
    ITEM_HEADING,
    ITEM_LIKE,
    SCORE_LINE,
    SECTION_HEADING,
    level_name,
)

_EMPTY_BOX = re.compile(r"\[\s*\]")
_NUMBER_BLANK = re.compile(r"(0\s*[–—-]\s*100\s*[:：]\s*)(_+|\S*)")


class EntryError(ValueError):
    """What the interviewer typed cannot be read; the message says what is expected."""


@dataclass
class Heard:
    points: list[str] = field(default_factory=list)  # key point ids
    flags: list[str] = field(default_factory=list)  # red flag ids

    @property
    def empty(self) -> bool:
        return not self.points and not self.flags


def parse_heard(entry: str, item: KitItem) -> Heard:
    """ "1 3 r2" → key points 1 and 3 and red flag 2 of the item (numbers as shown)."""
    heard = Heard()
    for token in re.split(r"[\s,，、]+", entry.strip()):
        if not token:
            continue
        flag = token.lower().startswith("r")
        number = token[1:] if flag else token
        if not number.isdigit():
            raise EntryError(f"{token!r}: type key point numbers, and r1, r2 … for red flags")
        index = int(number) - 1
        cues = item.red_flags if flag else item.key_points
        if not 0 <= index < len(cues):
            kind = "red flag" if flag else "key point"
            raise EntryError(f"{token!r}: item {item.seq} has no {kind} {number}")
        target = heard.flags if flag else heard.points
        if cues[index].id not in target:
            target.append(cues[index].id)
    return heard


def parse_score(entry: str) -> str | None:
    """A score 0–100 or a level name (either language); None for an empty entry."""
    entry = entry.strip()
    if not entry:
        return None
    if re.fullmatch(r"\d{1,3}(\.\d+)?", entry):
        if float(entry) > 100:
            raise EntryError(f"{entry}: a score is 0–100")
        return entry
    level = level_name(entry)
    if level is None:
        raise EntryError(f"{entry!r}: a score 0–100, or 精通/熟练/了解/欠缺 (expert …)")
    return level


def item_span(lines: list[str], seq: int) -> tuple[int, int]:
    """[start, end) of item `seq`'s lines."""
    start = next(
        (i for i, line in enumerate(lines) if (m := ITEM_HEADING.match(line)) and int(m[1]) == seq),
        None,
    )
    if start is None:
        raise EntryError(f"the kit has no item {seq}")
    end = next(
        (
            i
            for i in range(start + 1, len(lines))
            if ITEM_LIKE.match(lines[i]) or SECTION_HEADING.match(lines[i])
        ),
        len(lines),
    )
    return start, end


def record(text: str, seq: int, heard: Heard, score: str | None, lang: str) -> str:
    """The kit text with item `seq`'s boxes ticked and its score (a number, or a level as
    parse_score gives it) written in; boxes already ticked stay ticked."""
    lines = text.splitlines()
    start, end = item_span(lines, seq)
    wanted = {("kp", p) for p in heard.points} | {("mc", f) for f in heard.flags}
    for i in range(start, end):
        cue = CUE_LINE.match(lines[i])
        if cue and (cue[2], cue[3]) in wanted:
            lines[i] = _EMPTY_BOX.sub("[x]", lines[i], count=1)
        elif score is not None and SCORE_LINE.match(lines[i]):
            lines[i] = _with_score(lines[i], score, lang)
    return "\n".join(lines) + ("\n" if text.endswith("\n") else "")


def _with_score(line: str, score: str, lang: str) -> str:
    if score in LEVELS["zh"]:
        label = re.escape(LEVELS[lang][LEVELS["zh"].index(score)])
        return re.sub(r"\[\s*\](\s*" + label + ")", r"[x]\1", line, count=1)
    return _NUMBER_BLANK.sub(lambda m: m[1] + score, line, count=1)
