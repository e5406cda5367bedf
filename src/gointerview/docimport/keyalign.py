"""Split an unnumbered answer key into one entry per quiz question.

People write the key as paragraphs, lists and code blocks in quiz order, but an entry is often
more than one of them (an explanation, its code, a remark; a bold restatement of the question,
then the answer). The units are cut into contiguous groups, one per question in order (a
question may get none when the key is short), by a small dynamic programme that adds up:

- each unit's likeness to the question of its group: the words of that question it holds,
  each weighted by how few other questions use it (a word every question uses tells
  nothing), shared out among the questions it names, so every paragraph votes on its own,
  at most once, and a long entry is not penalised for being long;
- how an entry starts: a unit that opens the way the key's entries open (after a `---` rule,
  with a bold or topic-prefixed restatement of the question, with "答：") when most entries
  open so; a unit that reads as a continuation (a "so / 注意 / but" remark, a code block its
  question does not ask for, a list, a paragraph sharing its words with the one before)
  rarely starts one;
- entries of about the same number of units, and a question left without an entry only
  when it must be (the key is short) or no unit names it.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from dataclasses import dataclass

from gointerview.docimport import lines as ln
from gointerview.grading.text import analysis as ta

CONTINUES = re.compile(
    r"^\s*(?:所以|因此|因而|这样|另外|此外|也就是说|换句话说|注意|补充|但是?|不过|而且|"
    r"so\b|thus\b|hence\b|but\b|this way\b|that way\b|also\b|note\b|in other words\b|"
    r"in practice\b|remember\b|otherwise\b|however\b)",
    re.IGNORECASE,
)
LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,2}[.)])\s+")
# a bold line of its own ("**Graceful shutdown?**"), or a bold question leading the paragraph
BOLD_TITLE = re.compile(r"^\s*\*\*[^*\n]{1,120}\*\*\s*[:：]?\s*(?:$|\n)")
BOLD_ASKS = re.compile(r"^\s*\*\*[^*\n]{1,120}[?？]\s*\*\*")
ASKS_CODE = re.compile(
    r"写|代码|程序|实现|\bwrite\b|\bcode\b|\bprogram\b|\bimplement", re.IGNORECASE
)
INLINE_CODE = re.compile(r"`[^`\n]+`")
START_PENALTY = 0.25  # a group that starts with a continuing remark
CODE_PENALTY = 0.15  # ... or with code, unless its question asks for code
LIST_PENALTY = 0.1  # ... or with a list
MARK_BONUS = 0.6  # a group that starts the way the key's entries start
UNMARKED_PENALTY = 0.6  # ... or not, in a key whose entries all start so
TOPIC_BONUS = 0.4  # a unit whose topic prefix is its question's topic
LENGTH_WEIGHT = 0.08  # per squared unit an entry is longer or shorter than the mean
SKIP_PENALTY = 0.6  # a question left without an entry (0.5-0.8 pair alike on the tuning keys)
COHESION = 0.5  # a unit that shares its words with the one before rarely starts an entry
EVIDENCE_FLOOR = 1.0  # one distinctive word gives a unit half a vote
CODE_WEIGHT = 0.5  # a code block's words count half (identifiers repeat, keywords abound)
MISPLACED = 0.5  # per unit of likeness another question has over this one
# a code block that uses what the paragraph right before quotes (`search_after`) is that
# paragraph's code: it almost never starts the next entry
INTRODUCED_PENALTY = 0.5
MAX_WORK = 400_000  # questions × units² beyond this: pair in order (hostile sizes)


@dataclass(frozen=True)
class Unit:
    text: str
    line: int
    code: bool
    after_rule: bool = False  # a `---` rule stands between it and the unit before
    labelled: bool = False  # it opened with an answer label ("答：", "A:"), taken off


CJK_RUN = re.compile(r"[\u4e00-\u9fff]{3,}")


FENCE_LINE = re.compile(r"^\s*(?:```|~~~).*$", re.MULTILINE)


def _tokens(text: str) -> set[str]:
    """The content words, and the character pairs inside longer Chinese words, so that
    "连接池" in a question meets "连接" in its entry (a fence's "```go" is no word of it)."""
    out = {t.text for t in ta.content_tokens(FENCE_LINE.sub("", text), split_ids=True)}
    for word in [w for w in out if CJK_RUN.fullmatch(w)]:
        out.update(word[i : i + 2] for i in range(len(word) - 1))
    return out


TOPIC = re.compile(r"^\s*[（(\[【]\s*([^）)\]】\n]{1,30}?)\s*[）)\]】]")


def _topic(text: str) -> str | None:
    """The `（topic）` a line opens with, alone on its line or before the text."""
    match = TOPIC.match(ln.strip_emphasis(text.split("\n", 1)[0]))
    return match.group(1).strip().lower() if match else None


def _marks(units: list[Unit]) -> list[frozenset[str]]:
    """How each unit opens: after a rule, with a bold title, a restated question, a topic
    prefix or an answer label."""
    out: list[frozenset[str]] = []
    for i, u in enumerate(units):
        marks: set[str] = set()
        if u.after_rule or (i == 0 and any(x.after_rule for x in units)):
            marks.add("rule")
        if not u.code and (BOLD_TITLE.match(u.text) or BOLD_ASKS.match(u.text)):
            marks.add("bold")
        first = u.text.split("\n", 1)[0]
        if not u.code and "\n" in u.text and len(first) <= 80 and ln.asks(first):
            marks.add("asks")  # the question restated on a line of its own, then the answer
        if u.labelled:
            marks.add("label")
        if not u.code and _topic(u.text):
            marks.add("topic")
        out.append(frozenset(marks))
    return out


def _style(marks: list[frozenset[str]], n: int) -> set[str]:
    """The marks that open (nearly) every entry: one per question, give or take one."""
    counts = Counter(m for ms in marks for m in ms)
    return {m for m, c in counts.items() if n >= 2 and max(2, n - 1) <= c <= n + 1}


def _likeness(questions: list[str], units: list[Unit]) -> list[list[float]]:
    """like[i][u]: the words of question i that unit u holds, each weighted by how few other
    questions use it; 1.0 is one word that only this question uses."""
    asks = [_tokens(q) for q in questions]
    df = Counter(t for a in asks for t in a)
    n = len(questions)
    unit = math.log(n + 1)
    weight = [{t: math.log((n + 1) / df[t]) / unit for t in a} for a in asks]
    out = [[0.0] * len(units) for _ in questions]
    for j, u in enumerate(units):
        words = _tokens(u.text)
        raw = [sum(w for t, w in weight[i].items() if t in words) for i in range(n)]
        # a unit votes at most 1 in all, shared out by its evidence (a unit that names
        # several questions' words is split between them; one that names none, neutral)
        scale = (CODE_WEIGHT if u.code else 1.0) / (sum(raw) + EVIDENCE_FLOOR)
        for i in range(n):
            out[i][j] = scale * raw[i]
    # a unit that names another question more strongly is out of place here
    for j in range(len(units)):
        column = [out[i][j] for i in range(n)]
        for i in range(n):
            other = max((c for x, c in enumerate(column) if x != i), default=0.0)
            out[i][j] -= MISPLACED * max(0.0, other - column[i])
    return out


def _cohesion(units: list[Unit]) -> list[float]:
    """How much each unit shares with the one before (weighted cosine of their word sets,
    a word found in most units weighing little): an entry's paragraphs talk about the same
    things, the next entry moves on."""
    bags = [_tokens(u.text) for u in units]
    df = Counter(t for b in bags for t in b)
    k = len(units)
    idf = {t: math.log((k + 1) / c) for t, c in df.items()}
    out = [0.0]
    for a, b in itertools.pairwise(bags):
        shared = sum(idf[t] ** 2 for t in a & b)
        norm = math.sqrt(sum(idf[t] ** 2 for t in a) * sum(idf[t] ** 2 for t in b))
        out.append(shared / norm if norm else 0.0)
    return out


def _start_value(
    unit: Unit, marks: frozenset[str], style: set[str], wants_code: bool, topic_hit: bool
) -> float:
    value = 0.0
    if style:
        value += MARK_BONUS if marks & style else -UNMARKED_PENALTY
    elif marks - {"rule"}:
        value += MARK_BONUS / 2
    if topic_hit:
        value += TOPIC_BONUS
    if unit.code:
        value -= 0.0 if wants_code else CODE_PENALTY
    elif CONTINUES.match(ln.strip_emphasis(unit.text)):
        value -= START_PENALTY
    elif LIST_ITEM.match(unit.text):
        value -= LIST_PENALTY
    return value


def _start_values(questions: list[str], units: list[Unit]) -> list[list[float]]:
    """start[i][u]: how well unit u reads as the opening of question i's entry."""
    marks = _marks(units)
    style = _style(marks, len(questions))
    cohesion = _cohesion(units)
    u_topics = [_topic(u.text) if not u.code else None for u in units]
    introduced = [
        INTRODUCED_PENALTY if i > 0 and _introduced(units[i - 1], u) else 0.0
        for i, u in enumerate(units)
    ]
    out: list[list[float]] = []
    for q in questions:
        # a question that asks for code, or quotes some (`return &cfg`), may have its entry
        # open with a code block
        wants_code, topic = bool(ASKS_CODE.search(q) or INLINE_CODE.search(q)), _topic(q)
        out.append(
            [
                _start_value(u, m, style, wants_code, topic is not None and topic == t)
                - COHESION * c
                - x
                for u, m, t, c, x in zip(units, marks, u_topics, cohesion, introduced, strict=True)
            ]
        )
    return out


def _introduced(before: Unit, unit: Unit) -> bool:
    """A code block holding an identifier the paragraph before it quotes in backticks."""
    if not unit.code or before.code:
        return False
    quoted = {s.strip("`").strip() for s in INLINE_CODE.findall(before.text)}
    return any(len(s) >= 3 and s in unit.text for s in quoted)


def align(questions: list[str], units: list[Unit]) -> list[list[Unit]]:
    """One list of units per question, in order (possibly empty), covering every unit."""
    n, k = len(questions), len(units)
    if n == 0:
        return []
    if k == 0 or n * k * k > MAX_WORK:
        return [[units[i]] if i < k else [] for i in range(n)] if k <= n else _in_order(n, units)
    like = _likeness(questions, units)
    start = _start_values(questions, units)
    mean = k / n
    neg = -1e9
    # best[i][j]: the first i questions hold the first j units
    best = [[neg] * (k + 1) for _ in range(n + 1)]
    back: list[list[int]] = [[-1] * (k + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    for i in range(1, n + 1):
        row = like[i - 1]
        for j in range(k + 1):
            if best[i - 1][j] > neg and best[i - 1][j] - SKIP_PENALTY > best[i][j]:
                best[i][j], back[i][j] = best[i - 1][j] - SKIP_PENALTY, j  # no entry
            gained = 0.0
            for first in range(j - 1, -1, -1):  # the group is units[first:j]
                gained += row[first]
                if best[i - 1][first] <= neg:
                    continue
                size = LENGTH_WEIGHT * (j - first - mean) ** 2
                value = best[i - 1][first] + gained + start[i - 1][first] - size
                if value > best[i][j]:
                    best[i][j], back[i][j] = value, first
    out: list[list[Unit]] = []
    j = k
    for i in range(n, 0, -1):
        first = back[i][j]
        out.append(units[first:j] if first < j else [])
        j = first
    out.reverse()
    return out


def _in_order(n: int, units: list[Unit]) -> list[list[Unit]]:
    """More units than questions and too many to weigh: the last question takes the rest."""
    groups = [[u] for u in units[: n - 1]]
    groups.append(units[n - 1 :])
    return groups
