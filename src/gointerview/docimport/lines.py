"""Reading a Markdown document line by line: fences, headings, numbered items and the labels
people put in interview notes (面试官 / 候选人回答 / Q: / A: / 参考答案 ...).

Only what the importer needs; a full Markdown parser would not help much, because half of
what people write (`1) title`, `A: ...`, code pasted without a fence) is plain paragraphs to
CommonMark, and the one thing that matters — never reading inside a fenced block as structure —
is simple to get right here, including a fence that is never closed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t#]*$")
# "1) ...", "1. ...", "1、...", "Q1: ...", "Q1. ...", "**1. ...**" — a number that starts a line
NUMBERED = re.compile(
    r"^(?P<indent>[ \t]*)(?:\*\*)?(?P<q>Q|q|问题|题目|Question\s*)?(?P<num>\d{1,3})"
    r"(?P<delim>[.．)、）:：]|\s*[-—–]\s)(?!\d)\s*(?P<rest>.*)$"
)
# heading text that names a question: "Q1: ...", "第 3 题：...", "Question 2 — ...", "1. ..."
HEADING_NUMBER = re.compile(
    r"^(?:\*\*)?(?:(?:Q|Question|问题|题目)\s*(?P<a>\d{1,3}|[一二三四五六七八九十]{1,3})|"
    r"(?P<d>[一二三四五六七八九十]{1,3})(?=\s*[、.．])|第\s*(?P<b>\d{1,3}|[一二三四五六七八九十]{1,3})"
    r"\s*[题问]|(?P<c>\d{1,3})(?=[.．)、）:：]|\s*[-—–]\s|\s))\s*[.．)、）:：\-—–]?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
CN_ORDINAL = re.compile(r"^\s*[一二三四五六七八九十]{1,3}\s*[、.．]")
CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九", start=0)}
QUESTION_END = re.compile(r"[?？]\s*(?:\*\*)?\s*$")
TAG_PREFIX = re.compile(r"^\s*[（(\[【]\s*([^）)\]】]{1,30}?)\s*[）)\]】]\s*(.+)$")
PART_LINE = re.compile(
    r"^\s*(?:part\s+\d+\b|第\s*[一二三四五六七八九十\d]+\s*部分|[一二三四五六七八九十]{1,3}\s*[、.．])",
    re.IGNORECASE,
)
EMPHASIS = re.compile(r"\*\*|__")
# control characters no text document means (and YAML cannot hold); tabs and line ends stay
CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


def cn_number(text: str) -> int | None:
    """ "3" -> 3, "十二" -> 12 (enough for question numbers)."""
    if text.isdigit():
        return int(text)
    if not text or any(c not in CN_DIGITS and c != "十" for c in text):
        return None
    if "十" not in text:
        return CN_DIGITS[text] if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    return (CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (CN_DIGITS.get(ones, 0) if ones else 0)


@dataclass(frozen=True)
class Line:
    no: int  # 1-based line number in the file
    text: str  # without the line ending, trailing whitespace removed
    fence: int | None  # the fenced block this line is in (marker lines included), else None
    marker: bool = False  # an opening or closing fence line

    @property
    def blank(self) -> bool:
        return not self.text.strip()

    @property
    def structural(self) -> bool:
        """Outside any fenced block: may be a heading, label or numbered item."""
        return self.fence is None


@dataclass(frozen=True)
class Scan:
    lines: list[Line]
    unclosed_fence_line: int | None  # a fence opened here and never closed


def scan(text: str) -> Scan:
    """Split into lines (any line ending), marking fenced blocks; an unclosed fence runs to
    the end of the file, as CommonMark says."""
    text = CONTROL.sub("", text.lstrip("\ufeff"))
    out: list[Line] = []
    fence_char, fence_len, fence_id, opened_at = "", 0, 0, None
    for index, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        match = FENCE.match(line)
        if opened_at is None:
            if match and not (match.group(1)[0] == "`" and "`" in match.group(2)):
                fence_char, fence_len = match.group(1)[0], len(match.group(1))
                fence_id += 1
                opened_at = index
                out.append(Line(index, line, fence_id, marker=True))
            else:
                out.append(Line(index, line, None))
            continue
        closes = (
            match is not None
            and match.group(1)[0] == fence_char
            and len(match.group(1)) >= fence_len
            and not match.group(2).strip()
        )
        out.append(Line(index, line, fence_id, marker=closes))
        if closes:
            opened_at = None
    return Scan(out, opened_at)


@dataclass(frozen=True)
class Heading:
    level: int
    text: str


def heading(line: Line) -> Heading | None:
    if not line.structural:
        return None
    match = HEADING.match(line.text)
    if match is None:
        return None
    return Heading(len(match.group(1)), strip_emphasis(match.group(2) or ""))


@dataclass(frozen=True)
class Numbered:
    number: int
    delim: str  # the style: ")", ".", "、", "Q", ... (answer lists rarely share the question's)
    indent: int
    rest: str


def numbered(line: Line) -> Numbered | None:
    if not line.structural:
        return None
    match = NUMBERED.match(line.text)
    if match is None or not match.group("rest").strip():
        return None
    style = "Q" if match.group("q") else match.group("delim").strip() or "-"
    rest = match.group("rest").rstrip()
    if rest.endswith("**"):
        rest = rest[:-2].rstrip()
    return Numbered(int(match.group("num")), style, len(match.group("indent").expandtabs(4)), rest)


MAX_QUESTION_NUMBER = 999


def heading_number(text: str) -> tuple[int, str] | None:
    """The question number a heading's text starts with, and the rest of it."""
    match = HEADING_NUMBER.match(text.strip())
    if match is None:
        return None
    raw = match.group("a") or match.group("b") or match.group("c") or match.group("d")
    number = cn_number(raw) if raw else None
    # collections of 500 questions exist; a heading starting with a year is not one of them
    if number is None or number > MAX_QUESTION_NUMBER:
        return None
    return number, match.group("rest").strip()


def strip_emphasis(text: str) -> str:
    return EMPHASIS.sub("", text).strip()


def asks(text: str) -> bool:
    """Reads as a question: ends with a question mark."""
    return bool(QUESTION_END.search(text))


# how a heading asks without a question mark: "Tell me about a time you …", "讲一次线上事故：…"
ASKING_LEAD = re.compile(
    r"^(?:what|why|how|when|where|which|who|explain|describe|compare|tell\s+(?:me|us)|"
    r"walk\s+(?:me|us)\s+through|write\s+(?:a|an|the)\b|design\s+(?:a|an|the)\b|"
    r"为什么|怎么|怎样|如何|哪些|是否|说说|谈谈|简述|解释|介绍|讲讲|讲一下|讲一次|讲一个|聊聊|说一下|"
    r"描述|比较|写一个|设计一个|实现一个)",
    re.IGNORECASE,
)
# further openings that ask when a short line (a bullet) starts with them: "Is …", "Can …", "什么 …"
ASKING_AUX = re.compile(r"^(?:(?:is|are|can|does|do|should)\b|什么)", re.IGNORECASE)


def heading_asks(text: str) -> bool:
    """A heading reads as a question: it ends with a question mark, or it is too long for a
    section title and starts by asking or by setting a task."""
    text = strip_emphasis(text).strip()
    return asks(text) or (len(text) > SECTION_TITLE_MAX and ASKING_LEAD.match(text) is not None)


def split_tag(text: str) -> tuple[str | None, str]:
    """ "（channel） What does ...?" -> ("channel", "What does ...?")."""
    match = TAG_PREFIX.match(text)
    if match is None:
        return None, text.strip()
    return match.group(1).strip(), match.group(2).strip()


# ---------------------------------------------------------------- labels

_LABEL_TAIL = r"\s*(?:\*\*)?\s*(?:[(（][^)）]{0,20}[)）])?\s*(?:\*\*)?\s*[:：]\s*(?:\*\*)?"
LABELS: dict[str, re.Pattern[str]] = {
    "prompt_en": re.compile(r"^\s*(?:\*\*)?\s*EN" + _LABEL_TAIL, re.IGNORECASE),
    "prompt": re.compile(
        r"^\s*(?:\*\*)?\s*(?:面试官|考官|提问|问题描述|题目|问|Q|Interviewer|Question|Prompt)"
        + _LABEL_TAIL,
        re.IGNORECASE,
    ),
    "reference": re.compile(
        r"^\s*(?:\*\*)?\s*(?:参考答案|标准答案|参考回答|正确答案|答案解析|答案|解答|解析|"
        r"Reference(?:\s+answer)?|Model\s+answer|Correct\s+answers?|Solution|Explanation|"
        r"Expected(?:\s+answer)?)" + _LABEL_TAIL,
        re.IGNORECASE,
    ),
    "answer": re.compile(
        r"^\s*(?:\*\*)?\s*(?:候选人回答区域?|候选人作答区域?|候选人回答|候选人|我的回答|我的答案|回答区域?|作答区域?|回答|作答|答|"
        r"Candidate(?:'s)?(?:\s+answer)?|My\s+answer|Your\s+answer|Answer\s+(?:area|box|space)|"
        r"Answer|Response|A)" + _LABEL_TAIL,
        re.IGNORECASE,
    ),
    "topic": re.compile(
        r"^\s*(?:\*\*)?\s*(?:考点|考察点|知识点|Topics?|Concepts?|Tests?)" + _LABEL_TAIL,
        re.IGNORECASE,
    ),
    "notes": re.compile(
        r"^\s*(?:\*\*)?\s*(?:要点|重点|总结|Key\s+points?|Notes?|Takeaways?)" + _LABEL_TAIL,
        re.IGNORECASE,
    ),
    "comment": re.compile(
        r"^\s*(?:\*\*)?\s*(?:点评|评分|评价|面试官点评|面试官备注|备注|Feedback|Score|Rating|"
        # what `grade doc --fill` wrote: "**Review (gointerview)**:", "**综合（gointerview）**："
        r"Interviewer\s+notes?|(?:Review|Overall|综合)(?=\s*[(（]gointerview[)）]))" + _LABEL_TAIL,
        re.IGNORECASE,
    ),
}


def label(line: Line) -> tuple[str, str] | None:
    """("answer", "text after the label") for "**候选人回答区域**: ..." and its kin."""
    if not line.structural:
        return None
    for kind in ("prompt_en", "reference", "answer", "topic", "notes", "comment", "prompt"):
        match = LABELS[kind].match(line.text)
        if match is not None:
            return kind, line.text[match.end() :].strip()
    return None


# ---------------------------------------------------------------- sections and placeholders

_KEY_WORDS = r"(?:(?:answer\s*)?key|answers|参考答案|答案(?:与解析)?|解答|标准答案)"
SECTION_TITLE_MAX = 30  # characters: a section title is short
SECTION_KINDS: dict[str, re.Pattern[str]] = {
    # "答案", "Answer key", and bilingual "答案 / Key"
    "key": re.compile(
        rf"^{_KEY_WORDS}(?:\s*[/|｜]\s*{_KEY_WORDS})?\s*[:：]?\s*$",
        re.IGNORECASE,
    ),
    "quiz": re.compile(
        r"quiz|测验|小测|自测|自检|自查|self[- ](?:test|check)|练习题|test yourself|check yourself|"
        # a heading that only says "questions" heads a list of them
        r"^(?:题目|习题|练习|问题列表|面试题|questions|exercises)$",
        re.IGNORECASE,
    ),
    "meta": re.compile(
        r"基本信息|面试评价|评价|总结|面试总结|评分|备注|反馈|个人信息|"
        r"^\s*(?:summary|feedback|evaluation|scorecard|overall|verdict|info(?:rmation)?|"
        r"notes|background|candidate\s+info)\b",
        re.IGNORECASE,
    ),
}


def section_kind(title: str) -> str | None:
    """What a section heading announces: an answer key, a quiz, meta (not questions)."""
    title = strip_emphasis(title).strip(" ·:：-—")
    # a long heading that asks is a question that happens to say 反馈 or 测验 ("…上线后有用户
    # 反馈导出的 PDF 串了，哪里错了？"), not a section named by that word
    long_question = len(title) > SECTION_TITLE_MAX and asks(title)
    for kind, pattern in SECTION_KINDS.items():
        if pattern.search(title) if kind != "key" else pattern.match(title):
            return None if long_question else kind
    return None


def section_line(line: Line, *, standalone: bool) -> str | None:
    """A plain line that heads a section: "Part 2 · Quick quiz", "二、小测验", or — standing
    alone between blank lines — "Quick quiz" / "Answer key" / "参考答案"."""
    if not line.structural or len(line.text) > 60 or asks(line.text):
        return None
    text = strip_emphasis(line.text).strip()
    kind = section_kind(text)
    if PART_LINE.match(text):
        return kind or "part"
    if standalone and kind in ("quiz", "key"):
        # short, or says so up front: "Quick quiz — one or two lines each, key at the bottom"
        up_front = SECTION_KINDS[kind].search(text[:16]) if kind == "quiz" else None
        if len(text) <= 40 or up_front:
            return kind
    return None


PLACEHOLDER = re.compile(
    r"^[\s\[【(（<{「_*]*(?:请在此处?(?:作答|回答|填写)|在此(?:处)?(?:作答|回答)|此处(?:作答|回答)|"
    r"待补充|待填写|待完善|待整理|待续|未完待续|未作答|未回答|略|无|空|面试官填写|候选人填写|"
    r"your\s+answer(?:\s+here)?|answer\s+here|write\s+here|tbd|todo|n/?a|none|empty|"
    r"coming\s+soon|to\s+be\s+(?:written|added|continued)|wip|"
    r"\.{2,}|…+|—+|-+|_+|\?+)[\s\]】)）>}」。.!！_*]*$",
    re.IGNORECASE,
)


# "(skipped, ran out of time)", "（没来得及答）": a remark in brackets instead of an answer
REMARK = re.compile(
    r"^[(（\[【][^)）\]】]{0,40}(?:skip|no answer|not answered|ran out of time|later|come back|"
    r"跳过|未答|没答|没来得及|来不及|没时间|没有回答|不会|没看懂|回头|再看|以后补|再写|再补|下期|稍后|后续补)[^)）\]】]{0,40}[)）\]】]\s*[.。]?$",
    re.IGNORECASE,
)


def is_placeholder(text: str) -> bool:
    """Nothing but a placeholder such as "[请在此处回答]", "TODO", "（略）" or "..."."""
    meaningful = [ln for ln in text.splitlines() if ln.strip() and not FENCE.match(ln)]
    return bool(meaningful) and all(
        PLACEHOLDER.match(ln.strip()) or REMARK.match(ln.strip()) for ln in meaningful
    )
