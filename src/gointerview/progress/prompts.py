"""The front of a review card: a key point asked as a short question, in zh and en.

In order of preference:
  1. the bank's own follow-up on that point (`when_missed`), which authors wrote as a question
     ("GOMAXPROCS 到底限制的是什么？");
  2. a cloze: the question's first line, then the point's wording with its key terms blanked
     ("它是 ____，限制____ Go 代码的线程数") — the terms are what the grader listens for;
  3. the question's first line and "what about: <point wording>?" when no term can be blanked.
A misconception card quotes the wrong claim and asks whether it holds and why.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from gointerview.report.evaluate import whole_line

BLANK = "____"
LANGS = ("zh", "en")
TITLE_CHARS = 90
_LEAD = {
    "zh": "填空并用一两句话解释：",
    "en": "Fill in the blanks and explain in a sentence or two: ",
}
_WHAT_ABOUT = {"zh": "关于这一点：{}——请解释。", "en": "What about this: {}? Explain."}
_CLAIM = {
    "zh": "有人说：“{}”。这对吗？为什么？",
    "en": 'Someone says: "{}". Is that right? Why?',
}


def _pick(texts: Mapping[str, str], lang: str) -> str:
    return (texts.get(lang) or next((t for t in texts.values() if t), "")).strip()


def cloze(wording: str, groups: Iterable[Sequence[str]]) -> str | None:
    """The wording with every alias of the point's term groups that occurs in it blanked;
    None when nothing could be blanked or nothing but blanks would remain."""
    spans: list[tuple[int, int]] = []
    for group in groups:
        for alias in sorted(group, key=len, reverse=True):
            alias = alias.strip()
            if len(alias) < 2:
                continue
            pattern = re.escape(alias)
            if alias.isascii():  # whole words only: "P" must not blank the P of "Ps"
                pattern = rf"(?<![A-Za-z0-9]){pattern}(?![A-Za-z0-9])"
            spans += [(m.start(), m.end()) for m in re.finditer(pattern, wording, re.IGNORECASE)]
    if not spans:
        return None
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    out, at = [], 0
    for start, end in merged:
        out += [wording[at:start], BLANK]
        at = end
    out.append(wording[at:])
    text = "".join(out)
    kept = sum(1 for c in text.replace(BLANK, "") if c.isalnum())
    if kept < max(3, sum(1 for c in wording if c.isalnum()) // 4):
        return None
    return text


def point_prompt(
    *,
    question: Mapping[str, str],
    wording: Mapping[str, str],
    groups: Sequence[Sequence[str]],
    follow_up: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """The card's question in both languages (falling back to whichever text exists)."""
    out = {}
    for lang in LANGS:
        if follow_up and _pick(follow_up, lang):
            out[lang] = _pick(follow_up, lang)
            continue
        title = whole_line(_pick(question, lang), TITLE_CHARS)
        point = _pick(wording, lang)
        blanked = cloze(point, groups)
        body = _LEAD[lang] + blanked if blanked else _WHAT_ABOUT[lang].format(point)
        out[lang] = f"{title}\n{body}" if title else body
    return out


def misconception_prompt(claim: Mapping[str, str]) -> dict[str, str]:
    return {lang: _CLAIM[lang].format(_pick(claim, lang)) for lang in LANGS}
