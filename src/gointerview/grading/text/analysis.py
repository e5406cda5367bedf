"""Text analysis for grading: normalisation, sentences and clauses with offsets, tokens for
Chinese (jieba), English (stemmed) and Go identifiers (split), and negation cues.

Every span is a (start, end) pair of character offsets into the *original* answer, so evidence
can be quoted exactly.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

_CJK = r"\u3400-\u9fff"
_CJK_RE = re.compile(f"[{_CJK}]")
_SENTENCE_END = re.compile(r"(?<=[。！？!?；;])|(?<=\.)(?=\s)|\n+")
_CLAUSE_SPLIT = re.compile(
    r"[，,、：:；;（）()]|\b(?:but|however|whereas|while)\b|但是|但|而是|然而"
)
_LATIN_TOKEN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:'[a-z]+)?|\d+(?:\.\d+)?")
_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")

EN_STOP = frozenset(
    """a an the and or of to in on at for from by with as is are was were be been being it its
    this that these those there here which who whom what when where why how than then so
    such can could will would shall should may might must do does did done have has had
    having i you he she we they them their our your my me us his her if else into out up
    down over under about after before again also any all each few more most other some same
    only own very just s t use used using one two""".split()
)
ZH_STOP = frozenset(
    """的 了 是 在 和 与 及 或 就 都 也 而 并 又 把 被 让 给 对 从 向 到 为 以 于 之 其 这
    那 这个 那个 一个 一种 一些 有 会 能 可以 可 要 还 则 即 等 等等 如 如果 因为 所以
    但是 但 然后 我们 你 我 他 它 它们 他们 时 时候 里 中 上 下 个 种 些 么 吗 呢 吧 啊
    着 过 得 地 很 更 最 所 通过 进行 使用 用 需要 一样 什么 怎么 如何 为什么""".split()
)
NEGATIONS_ZH = frozenset(
    """不 没 没有 未 无 非 别 勿 不会 不是 不能 不要 不用 无需 无须 不需要 不必 并不 并非
    从不 从未 决不 绝不 不可 不可以 毫无 不再 不该 不应 不应该 不存在 不能够 不一定 未必""".split()
)
NEGATIONS_EN = frozenset(
    """not no never without neither nor none cannot cant dont doesnt didnt isnt arent wasnt
    werent wont wouldnt shouldnt couldnt mustnt hasnt havent hadnt nothing nobody""".split()
)


def normalise(text: str) -> str:
    """NFKC (full-width → half-width), unify quotes; same length is NOT guaranteed, so spans
    are always computed on the original text."""
    return unicodedata.normalize("NFKC", text)


def has_cjk(text: str) -> bool:
    return bool(_CJK_RE.search(text))


def language_of(text: str) -> str:
    """'zh' when Chinese characters make up a real share of the letters, else 'en'."""
    cjk = len(_CJK_RE.findall(text))
    latin = len(re.findall(r"[A-Za-z]", text))
    return "zh" if cjk >= 0.15 * max(1, latin) and cjk > 0 else "en"


@dataclass(frozen=True)
class Span:
    start: int
    end: int


def sentences(text: str) -> list[Span]:
    """Sentence spans (Chinese and English punctuation, line breaks), trimmed of whitespace."""
    spans = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        spans.append(Span(start, m.start() if m.group() else m.end()))
        start = m.end()
    spans.append(Span(start, len(text)))
    out = []
    for s in spans:
        a, b = s.start, s.end
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            out.append(Span(a, b))
    return out


def clause_start(text: str, sentence: Span, pos: int) -> int:
    """Start of the clause that holds `pos` (negation does not cross a comma or a 'but')."""
    start = sentence.start
    for m in _CLAUSE_SPLIT.finditer(text, sentence.start, pos):
        start = m.end()
    return start


# ---------------------------------------------------------------- tokens

_stemmer_lock = threading.Lock()


@cache
def _stemmer() -> Any:
    import snowballstemmer  # type: ignore[import-untyped]

    return snowballstemmer.stemmer("english")


@cache
def stem(word: str) -> str:
    with _stemmer_lock:
        return str(_stemmer().stemWord(word))


def split_identifier(word: str) -> list[str]:
    """`MaxIdleConnsPerHost` → max idle conns per host; `run_queue` → run queue."""
    parts: list[str] = []
    for piece in word.split("_"):
        parts.extend(p.lower() for p in _CAMEL.findall(piece))
    return parts


@dataclass(frozen=True)
class Token:
    text: str  # normalised form: stemmed lower-case Latin, or a Chinese word
    start: int
    end: int
    cjk: bool


_jieba_lock = threading.Lock()


@cache
def _jieba() -> Any:
    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()
    return jieba


def tokens(text: str, *, split_ids: bool = False) -> list[Token]:
    """Content-bearing tokens with spans. Latin words are lower-cased and stemmed; with
    `split_ids`, identifiers are split into their camelCase/snake_case parts (one token each,
    all spanning the identifier)."""
    out: list[Token] = []
    pos = 0
    for m in re.finditer(f"[{_CJK}]+", text):
        out.extend(_latin_tokens(text, pos, m.start(), split_ids))
        out.extend(_cjk_tokens(text, m.start(), m.end()))
        pos = m.end()
    out.extend(_latin_tokens(text, pos, len(text), split_ids))
    return out


def _latin_tokens(text: str, start: int, end: int, split_ids: bool) -> Iterable[Token]:
    for m in _LATIN_TOKEN.finditer(text, start, end):
        word = m.group()
        word = word.replace("'", "") if word.lower().endswith("n't") else word.split("'")[0]
        parts = split_identifier(word) if split_ids else [word.lower()]
        for part in parts or [word.lower()]:
            yield Token(stem(part), m.start(), m.end(), False)


def _cjk_tokens(text: str, start: int, end: int) -> Iterable[Token]:
    jieba = _jieba()
    offset = start
    with _jieba_lock:
        words = list(jieba.cut(text[start:end], HMM=True))
    for word in words:
        yield Token(word, offset, offset + len(word), True)
        offset += len(word)


def is_stopword(token: Token) -> bool:
    return token.text in (ZH_STOP if token.cjk else EN_STOP)


@cache
def _negations_en_stemmed() -> frozenset[str]:
    return NEGATIONS_EN | {stem(w) for w in NEGATIONS_EN}


# Chinese words that start like a negation but do not negate what follows.
_NOT_NEGATING_ZH = frozenset(
    """不同 不断 不仅 不但 不过 不管 不论 不久 不少 不止 不只 不妨 不如 不然 不由得 非常 非得
    未来 无论 无限 无数 无穷 无关 没错 不到 不超过 不低于 不少于 不大于 不小于 不高于 不多于 不足
    非阻塞""".split()
)
_NEGATION_PREFIXES_ZH = tuple(sorted(NEGATIONS_ZH, key=len, reverse=True))


def is_negation(token: Token) -> bool:
    """A negation cue. Chinese words are checked by prefix too, because the segmenter may
    keep a learned phrase such as 不会丢数据 whole."""
    if token.cjk:
        if token.text in _NOT_NEGATING_ZH:
            return False
        return token.text in NEGATIONS_ZH or token.text.startswith(_NEGATION_PREFIXES_ZH)
    return token.text in _negations_en_stemmed()


def content_tokens(text: str, *, split_ids: bool = False) -> list[Token]:
    return [
        t
        for t in tokens(text, split_ids=split_ids)
        if not is_stopword(t)
        and not is_negation(t)
        and (t.cjk or len(t.text) > 1 or t.text.isdigit())
        and not (t.cjk and len(t.text) == 1 and not _CJK_RE.match(t.text))
    ]


_DONT_KNOW = re.compile(
    r"^\s*(?:i\s+)?(?:don'?t|do not|dont)\s+know\.?\s*$"
    r"|^\s*(?:no idea|not sure|pass|skip|idk)\.?\s*$"
    r"|^\s*(?:我)?(?:不知道|不会|不清楚|不了解|没学过|跳过)[。.!！]?\s*$",
    re.IGNORECASE,
)


def is_dont_know(text: str) -> bool:
    """'I don't know' / '不会' and the like: an honest pass, graded as zero without penalty."""
    return bool(_DONT_KNOW.match(normalise(text)))


_NEGATION_ZH_RE = re.compile("|".join(sorted(NEGATIONS_ZH, key=len, reverse=True)))
_NOT_NEGATING_RE = re.compile("|".join(sorted(_NOT_NEGATING_ZH, key=len, reverse=True)))


def has_cjk_negation(text: str) -> bool:
    """A Chinese negation cue in `text`, ignoring words like 不同 / 非常 / 不到 that only start
    like one."""
    masked = _NOT_NEGATING_RE.sub(lambda m: "#" * len(m.group()), text)
    return bool(_NEGATION_ZH_RE.search(masked))
