"""Split an unnumbered answer key into one entry per quiz question.

People write the key as paragraphs and code blocks in quiz order, but an entry is often more
than one paragraph (an explanation, then its code, then a remark). When the key has exactly
as many units as the quiz has questions they pair in order; otherwise the units are cut into
contiguous groups, one per question, choosing the cut that makes each group read most like
its question (a small dynamic programme over word overlap: the prose of a group as one text,
each code block on its own), and a group rarely starts with a code block or a "so / 所以"
remark. A question may get no entry when the key is short.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from gointerview.grading.text import analysis as ta

CONTINUES = re.compile(
    r"^\s*(?:所以|因此|因而|这样|另外|此外|也就是说|换句话说|注意|补充|so\b|thus\b|hence\b|"
    r"this way\b|that way\b|also\b|note\b|in other words\b)",
    re.IGNORECASE,
)
START_PENALTY = 0.25  # a group that starts with a continuing remark
CODE_PENALTY = 0.15  # ... or with code, unless its question asks for code
ASKS_CODE = re.compile(
    r"写|代码|程序|实现|\bwrite\b|\bcode\b|\bprogram\b|\bimplement", re.IGNORECASE
)
SKIP_PENALTY = 0.3  # a question left without an entry
CODE_WEIGHT = 0.5  # how much a code block's own likeness to a question counts
MAX_WORK = 400_000  # questions × units² beyond this: pair in order (hostile sizes)


@dataclass(frozen=True)
class Unit:
    text: str
    line: int
    code: bool


def _bag(text: str) -> Counter[str]:
    return Counter(t.text for t in ta.content_tokens(text, split_ids=True))


def _cosine(a: Counter[str], b: Counter[str]) -> float:
    if not a or not b:
        return 0.0
    dot = sum(v * b.get(k, 0) for k, v in a.items())
    return dot / (
        math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    )


def align(questions: list[str], units: list[Unit]) -> list[list[Unit]]:
    """One list of units per question, in order (possibly empty), covering every unit."""
    n, k = len(questions), len(units)
    if n == 0:
        return []
    if k == n or n * k * k > MAX_WORK or k == 0:
        return [[units[i]] if i < k else [] for i in range(n)] if k <= n else _in_order(n, units)
    asks = [_bag(q) for q in questions]
    wants_code = [bool(ASKS_CODE.search(q)) for q in questions]
    bags = [_bag(u.text) for u in units]
    neg = -1e9
    # best[i][j]: the first i questions hold the first j units
    best = [[neg] * (k + 1) for _ in range(n + 1)]
    back: list[list[int]] = [[-1] * (k + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    for i in range(1, n + 1):
        for j in range(k + 1):
            if best[i - 1][j] > neg and best[i - 1][j] - SKIP_PENALTY > best[i][j]:
                best[i][j], back[i][j] = best[i - 1][j] - SKIP_PENALTY, j  # no entry
            # the prose of a group is read as one text; each code block counts on its own
            # likeness to the question, so a long block neither dilutes its entry's words
            # nor is pulled to whichever neighbour it happens to dilute least
            prose: Counter[str] = Counter()
            code = 0.0
            for start in range(j - 1, -1, -1):  # the group is units[start:j]
                if units[start].code:
                    code += CODE_WEIGHT * _cosine(asks[i - 1], bags[start])
                else:
                    prose.update(bags[start])
                if best[i - 1][start] <= neg:
                    continue
                first = units[start]
                penalty = START_PENALTY if CONTINUES.match(first.text) else 0.0
                if first.code and not wants_code[i - 1]:
                    penalty = CODE_PENALTY
                value = best[i - 1][start] + _cosine(asks[i - 1], prose) + code - penalty
                if value > best[i][j]:
                    best[i][j], back[i][j] = value, start
    out: list[list[Unit]] = []
    j = k
    for i in range(n, 0, -1):
        start = back[i][j]
        out.append(units[start:j] if start < j else [])
        j = start
    out.reverse()
    return out


def _in_order(n: int, units: list[Unit]) -> list[list[Unit]]:
    """More units than questions and too many to weigh: the last question takes the rest."""
    groups = [[u] for u in units[: n - 1]]
    groups.append(units[n - 1 :])
    return groups
