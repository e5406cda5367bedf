"""Split a composite prompt into the questions it bundles.

"写一个程序：用 sync.Once 初始化……；另外说说 Mutex 和 RWMutex 的实现原理" asks two things that the
bank asks as two questions; each part is matched and graded on its own. A prompt splits
only at a word that announces another request (另外 / 此外 / 然后说说 / 写完讲讲 / "；然后" /
"。还有，" / also / additionally / after that / while you're at it / a separate thing: / and
then explain) or at the later ordinals of a prompt that numbers its parts (第一，… 第二，…),
never inside code, and each part must be long enough to stand alone. "；同时" does not split:
it as often adds a constraint to the same question ("…；同时主键要对 MySQL 友好").
"""

from __future__ import annotations

import re

# what announces a request to talk about something: 说说 / 说一下 / explain / tell me
_TALK = (
    r"(?:说说|讲讲|谈谈|解释|介绍|说明|聊聊|回答|说一下|讲一下|聊一下|谈一下|"
    r"explain|describe|tell\s+me)"
)
SEPARATOR = re.compile(
    r"[；;。.!！]?\s*(?:另外|此外|除此之外|再|同时|顺便|最后|并且|然后)\s*(?:再|也)?\s*"
    + _TALK
    + r"|[；;。.!！]?\s*写完(?:之后|以后|后)?[，,]?\s*(?:再|也)?"
    + _TALK
    + r"|[；;]\s*(?:另外|此外|除此之外|然后)[，,]?"
    r"|[。.!！?？]\s*(?:另外|此外|除此之外|还有)\s*[，,：:]"
    r"|[。.!！?？；;]\s*(?:另外|此外|还有|再问)\s*(?:一个|一)?\s*(?:个)?问题\s*[，,：:]"
    r"|(?:[;.]\s+|[。；]\s*)(?:also|additionally|then|finally|separately|after\s+that|afterwards)\b,?"
    r"|(?:[;.?]\s+)(?:and\s+)?while\s+you(?:'re|\s+are)\s+at\s+it\b"
    r"|(?:[;.?]\s+)(?:a\s+)?separate\s+(?:thing|question|topic)\s*[:：]"
    r"|,?\s+and\s+(?:then\s+|also\s+)?(?:explain|describe|discuss)\b",
    re.IGNORECASE,
)
# "第一，…。第二，…": a prompt that numbers its parts splits at each later ordinal
FIRST = re.compile(r"第一\s*[，,、：:]|\b(?:first|firstly)\s*,", re.IGNORECASE)
LATER = re.compile(
    r"[。；;.]?\s*(?:第[二三四五]\s*[，,、：:]|\b(?:second|secondly|third|thirdly)\s*,)",
    re.IGNORECASE,
)
MIN_PART = 8  # characters


def split_parts(prompt: str) -> list[str]:
    """The parts of a composite prompt, or [prompt] when it asks one thing."""
    text = prompt.split("```", 1)[0].strip()  # a code block shown with the prompt stays whole
    cuts = list(SEPARATOR.finditer(text))
    if FIRST.search(text):
        cuts = sorted([*cuts, *LATER.finditer(text)], key=lambda c: c.start())
    if not cuts:
        return [prompt]
    parts: list[str] = []
    start = 0
    for cut in cuts:
        head = text[start : cut.start()].strip(" ，,；;。.")
        if len(head) >= MIN_PART:
            parts.append(head)
            start = cut.start()
    tail = text[start:].strip(" ，,；;。.")
    if len(tail) >= MIN_PART:
        parts.append(tail)
    return parts if len(parts) > 1 else [prompt]


# "Mutex 和 RWMutex 分别怎么实现": one request about two things the bank asks apart. The matcher
# reads such a part once per name ("Mutex 分别怎么实现", "RWMutex 分别怎么实现") and splits it only
# when each reading finds its own bank question; a comparison ("X 和 Y 的区别") stays one
PAIR = re.compile(
    r"(?<![\w.`])(`?[A-Za-z][\w.]*`?)\s*(?:和|与|以及|及|跟|、|\s+and\s+)\s*(`?[A-Za-z][\w.]*`?)(?![\w.])"
)
COMPARES = re.compile(
    r"区别|不同|差异|对比|比较|怎么选|选哪|哪个|优劣|\bvs\.?\b|versus|differ|compare|which|trade-?off",
    re.IGNORECASE,
)


def split_pair(part: str) -> list[str] | None:
    """The part read once per name of its one "A 和 B" pair of names, or None."""
    pairs = list(PAIR.finditer(part))
    if len(pairs) != 1 or COMPARES.search(part):
        return None
    pair = pairs[0]
    first, second = pair.group(1), pair.group(2)
    names = (first, second)
    if first.strip("`").lower() == second.strip("`").lower() or not (
        all(_code(w) or w[0].isupper() for w in names) and any(map(_code, names))
    ):
        return None
    head, tail = part[: pair.start()], part[pair.end() :]
    return [f"{head}{first}{tail}", f"{head}{second}{tail}"]


def _code(word: str) -> bool:
    """`ctx`, sync.Once, RWMutex, GOGC: a name from code, not an English word."""
    bare = word.strip("`")
    return word.startswith("`") or "." in bare or any(c.isupper() for c in bare[1:])
