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
from functools import cache, lru_cache
from typing import Any

_CJK = r"\u3400-\u9fff"
_CJK_RE = re.compile(f"[{_CJK}]")
# "?" inside a URL ("profile?seconds=30") ends nothing
_SENTENCE_END = re.compile(
    r"(?<=[。！？；])|(?<=[\w\u3400-\u9fff)\]\"'`][!?;])(?=\s|$|[\u3400-\u9fff])"
    r"|(?<=\.)(?=\s)|\n+"
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


_LIST_START = re.compile(r"\s*(?:[-*+•>#|]|\d+[.)、]|```|[（(]?\d+[)）])")
WRAPPED_LINE = 50  # a line this long that ends mid-sentence was wrapped, not finished


def _soft_wrap(text: str, newline: int) -> bool:
    """A single line break inside a sentence that an editor wrapped ("…the value\nescapes…"):
    the line before is long and ends without punctuation, the next is not a list item."""
    line_start = text.rfind("\n", 0, newline) + 1
    before = text[line_start:newline].rstrip()
    if len(before) < WRAPPED_LINE or before[-1:] in ".。!！?？;；:：":
        return False
    return not _LIST_START.match(text, newline + 1)


def sentences(text: str) -> list[Span]:
    """Sentence spans (Chinese and English punctuation, line breaks), trimmed of whitespace. A
    line break ends a sentence unless it only wraps a long line."""
    spans = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if m.group() == "\n" and _soft_wrap(text, m.start()):
            continue
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
    all spanning the identifier). The same answer is read by several signals: segmenting it
    once is enough."""
    return list(_tokens(text, split_ids))


@lru_cache(maxsize=512)
def _tokens(text: str, split_ids: bool) -> tuple[Token, ...]:
    out: list[Token] = []
    pos = 0
    for m in re.finditer(f"[{_CJK}]+", text):
        out.extend(_latin_tokens(text, pos, m.start(), split_ids))
        out.extend(_cjk_tokens(text, m.start(), m.end()))
        pos = m.end()
    out.extend(_latin_tokens(text, pos, len(text), split_ids))
    return tuple(out)


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


# Chinese words that start like a negation but do not negate what follows: the 不 of 不变式 or
# the 无 of 无锁 belongs to the word. Negation is read from cue words (不是/不会/没有/并不/…),
# never from the character alone.
_NOT_NEGATING_ZH = frozenset(
    """不同 不断 不仅 不但 不过 不管 不论 不久 不少 不止 不只 不妨 不如 不然 不由得 非常 非得
    未来 无论 无限 无数 无穷 没错 不到 不超过 不低于 不少于 不大于 不小于 不高于 不多于 不足
    非阻塞 不变 不变式 不变量 不可变 不可变性 不透明 无锁 无缓冲 无状态 无界 无序 无主 非零 非空
    非公平 非缓冲 非导出 未导出 未初始化 非常规 非指针 非接口 非法 无效 无用 非易失 非确定性
    不确定性 不可重入 不可中断 不定长 不定 别的 别人 别处 别名 特别 区别 差别 分别 类别 级别
    识别 不停 不时 未读 未读数 无论如何 个别 无指针 不可抢占 不安全点
    有没有 是不是 会不会 能不能 要不要 对不对 可不可以
    有无 是否""".split()
)
NEGATION_CHARS_ZH = "不没未无非别勿"
_NOT_NEGATING_RE = re.compile("|".join(sorted(_NOT_NEGATING_ZH, key=len, reverse=True)))
# "not only X but also Y" does not deny X
_NOT_NEGATING_NEXT_EN = frozenset({"onli", "just", "mere", "necessarili"})
_CONTRAST_EN = {"rather": "than", "instead": "of"}  # "X rather than Y": Y is denied


def is_negation(token: Token, following: Token | None = None) -> bool:
    """A negation cue. A Chinese word is one when, after masking words that only start like a
    negation, a cue character is left in it; English uses the cue words and the contrast pairs
    "rather than" / "instead of"."""
    if token.cjk:
        return has_cjk_negation(token.text)
    nxt = following.text if following is not None and not following.cjk else ""
    if token.text in _CONTRAST_EN:
        return nxt == _CONTRAST_EN[token.text]
    if token.text in _negations_en_stemmed():
        return nxt not in _NOT_NEGATING_NEXT_EN
    return False


def has_negation(text: str) -> bool:
    """A negation cue anywhere in `text`, in either language."""
    toks = tokens(text)
    following: list[Token | None] = [*toks[1:], None] if toks else []
    return has_cjk_negation(text) or any(
        is_negation(t, nxt) for t, nxt in zip(toks, following, strict=True) if not t.cjk
    )


def mask_not_negating(text: str) -> str:
    """`text` with words like 不变式 / 不同 / 无锁 / 不到 (that only start like a negation)
    replaced by # of the same length."""
    return _NOT_NEGATING_RE.sub(lambda m: "#" * len(m.group()), text)


def has_cjk_negation(text: str) -> bool:
    """A Chinese negation cue in `text`, ignoring words like 不变式 / 不同 / 无锁 / 不到 that
    only start like one."""
    return any(c in NEGATION_CHARS_ZH for c in mask_not_negating(text))


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


# ---------------------------------------------------------------- what a sentence asserts

# a placeholder ("WHERE id = ?") is not a question mark
_QUESTION_END = re.compile(r"(?:(?<![=(,\s])[?]|？|[吗呢][。.!！]?)\s*$")
_HISTORICAL = re.compile(
    r"\b(?:before|prior\s+to|until|up\s+to|pre)[\s-]*(?:go\s*)?1\.\d+"
    r"|\bgo\s*1\.\d+\s+and\s+(?:earlier|before|older)\b"
    r"|\bin\s+(?:older|earlier|old|previous|past)\s+(?:versions?|releases?|go)\b"
    r"|\b(?:used\s+to|historically|originally)\b"
    r"|\bgo\s*1\.\d+\s+or\s+(?:earlier|older)\b"
    r"|(?:go\s*)?1\.\d+\s*(?:版本)?\s*(?:及|或)?\s*(?:之前|以前|更早)"
    r"|\b(?:before|prior\s+to|until)\s+(?:redis|mysql|kafka|etcd|kubernetes|k8s|linux|java)"
    r"\s*\d+(?:\.\d+)*"
    r"|\b(?:redis|mysql|kafka|etcd|kubernetes|k8s|linux|java)\s*\d+(?:\.\d+)*\s*"
    r"(?:及|或)?\s*(?:之前|以前|更早|and\s+earlier|or\s+earlier)"
    r"|(?:go|redis|mysql|kafka)\s*的?\s*(?:旧版本?|老版本?)|(?:旧|老)版本的?\s*(?:go|redis|mysql|kafka)"
    r"|早期版本|早期的\s*go|以前的版本|之前的版本|曾经|过去的?实现|早先"
    r"|^(?:在)?(?:以前|早期|过去)",
    re.IGNORECASE,
)
# what comes after one of these is the present again ("…, but since Go 1.24 it is …")
_PRESENT_AGAIN = re.compile(
    r"\b(?:but|now|today|nowadays|since\s+go|from\s+go|as\s+of\s+go)\b"
    r"|现在|如今|目前|而\s*go\s*1\.|从\s*go\s*1\.\d+\s*(?:开始|起)|自\s*go|go\s*1\.\d+\s*(?:开始|起|之后|以后)",
    re.IGNORECASE,
)


def question_spans(text: str, spans: list[Span]) -> list[Span]:
    """Sentences that ask rather than assert ("does it steal half?")."""
    return [s for s in spans if _QUESTION_END.search(text[s.start : s.end])]


def history_spans(text: str, spans: list[Span]) -> list[Span]:
    """Statements about older versions ("before Go 1.24 sync.Map used a dirty map"), up to
    where the sentence turns back to the present ("…, but since Go 1.24 …")."""
    out = []
    for s in spans:
        sentence = text[s.start : s.end]
        m = _HISTORICAL.search(sentence)
        if m is None or _QUESTION_END.search(sentence):
            continue
        back = _PRESENT_AGAIN.search(sentence, m.end())
        # history is told up to the marker too ("the old read/dirty design, before Go 1.24, …")
        out.append(Span(s.start, s.start + back.start() if back else s.end))
    return out


_ABOUT_HISTORY = re.compile(
    r"\b(?:history|historically|evolution|evolved|originally|used\s+to|was\s+replaced|"
    r"replaced|why\s+did|older|earlier\s+versions?|segmented)\b"
    r"|历史|演进|演变|最初|早期|以前|之前的版本|旧版|为什么(?:从|改成|放弃|换成)|分段栈",
    re.IGNORECASE,
)


def about_history(text: str) -> bool:
    """A question or key point that is itself about how things used to be: there a statement
    about older versions is the answer, not a digression."""
    return bool(_HISTORICAL.search(text) or _ABOUT_HISTORY.search(text))


_LIST_SPLIT = re.compile(r"[,，、;；/|+]|\band\b|和|与|及")
_LIST_HEADER = re.compile(r"(?:keywords?|key\s*words|tags|关键词|关键字|要点|术语)\s*[:：]?", re.I)
BARE_FRAGMENT_TOKENS = 3


def _is_function_word(token: Token) -> bool:
    return token.text in (ZH_STOP if token.cjk else EN_STOP) or is_negation(token)


def _bare(fragment: str) -> bool:
    """A fragment that names things without saying anything about them: a few content words,
    no verb-bearing function word (is / 是 / 会 / the …)."""
    toks = tokens(fragment)
    if not toks:
        return True
    return len(toks) <= BARE_FRAGMENT_TOKENS and not any(_is_function_word(t) for t in toks)


def list_share(text: str, spans: list[Span]) -> float:
    """The share of an answer's content words that sit in bare term lists ("GMP, work stealing,
    runnext, global queue"). Near 1 for a keyword list; low for prose, even prose with lists."""
    listed = total = 0
    for s in spans:
        sentence = _LIST_HEADER.sub(" ", text[s.start : s.end]).strip(" -*•#>\t")
        words = len(content_tokens(sentence))
        if not words:
            continue
        total += words
        fragments = [f for f in _LIST_SPLIT.split(sentence) if f.strip()]
        bare = [f for f in fragments if _bare(f)]
        if len(bare) >= max(1, 0.6 * len(fragments)):
            listed += words
    return listed / total if total else 0.0


_SEPARATOR = re.compile(r"[,，、;；/|]")
_FENCED = re.compile(r"```.*?(?:```|$)", re.S)
LIST_SEPARATORS_PER_TOKEN = 0.3  # prose stays below 0.25; term lists run at 0.33 and above
LIST_SHARE = 0.7


def is_keyword_list(text: str, spans: list[Span]) -> bool:
    """A bare list of terms rather than an explanation: most of its words in bare fragments, or
    a separator every few words (code blocks aside)."""
    prose = _FENCED.sub(" ", text)
    toks = tokens(prose)
    separators = len(_SEPARATOR.findall(prose))
    if len(toks) >= 4 and separators >= 3 and separators / len(toks) >= LIST_SEPARATORS_PER_TOKEN:
        return True
    return list_share(text, spans) >= LIST_SHARE
