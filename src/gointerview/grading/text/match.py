"""Find a rubric's terms in an answer, with evidence spans and polarity.

A key point's `terms` are synonym groups ("work stealing | 工作窃取 | runqsteal"). An alias is
found in the answer:
- Chinese (or mixed) aliases as substrings of the answer with whitespace next to Chinese
  characters ignored ("一个goroutine" matches "一个 goroutine");
- Latin aliases as sequences of stemmed tokens, against the answer's words and also against
  its identifiers split into parts ("max idle conns per host" matches MaxIdleConnsPerHost).

Polarity: an occurrence is negated when a negation cue (不是/没有/并不…, not/never/without…,
"rather than") precedes it in the same clause. The alias's own words never count (the 不 of
"不变式" is part of the term). The polarity a rubric *expects* is the alias's polarity in the
rubric's own text, so "does not block an M" is credited for a negative point and a plain
"blocks an M" is not.

Occurrences in questions are dropped, and in statements about older versions unless the point
itself is about history: they assert nothing about how things are.

Every look-up is linear in the answer: sentences, clauses and tokens are indexed once per
document and searched by bisection.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

from gointerview.grading.text import analysis as ta

NEGATION_WINDOW = 6  # tokens before the alias within the clause
CJK_GAP = 3  # characters allowed between the words of a Chinese alias
CJK_NEGATION_WINDOW = 6  # characters before a match searched for 不/没/无…
LATIN_SLACK = 1  # extra tokens allowed around a reordered English alias
_LITERAL = re.compile(r"[()\[\]*%=<>{}/+^]")  # aliases that are code or notation
_CLAUSE_MARK = re.compile(r"[,;:.!?，；：。！？]")
_CLAUSE_SPLIT = re.compile(
    r"[，,：:；;（）()]|\b(?:but|however|whereas|while|because|since|so|therefore)\b"
    r"|但是|但|而是|然而|因为|所以|因此|是因为",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Occurrence:
    alias: str
    start: int
    end: int
    negated: bool


class _Stream:
    """A token list with the positions of each token text, for look-ups without scanning."""

    def __init__(self, toks: list[ta.Token]) -> None:
        self.tokens = toks
        self.texts = [t.text for t in toks]
        self.starts = [t.start for t in toks]
        self.at: dict[str, list[int]] = defaultdict(list)
        for i, text in enumerate(self.texts):
            self.at[text].append(i)


class Document:
    """An answer (or a rubric text) prepared once for many look-ups."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.norm = ta.normalise(text)
        if len(self.norm) != len(text):  # keep offsets aligned with the original
            self.norm = "".join(ta.normalise(c)[:1] or c for c in text)
        self.lang = ta.language_of(text)

    @cached_property
    def sentences(self) -> list[ta.Span]:
        return ta.sentences(self.norm)

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [s.start for s in self.sentences]

    @cached_property
    def questions(self) -> list[ta.Span]:
        return ta.question_spans(self.norm, self.sentences)

    @cached_property
    def history(self) -> list[ta.Span]:
        return ta.history_spans(self.norm, self.sentences)

    @cached_property
    def _clause_marks(self) -> list[int]:
        return [m.end() for m in _CLAUSE_SPLIT.finditer(self.norm)]

    @cached_property
    def _words(self) -> _Stream:
        return _Stream(ta.tokens(self.norm))

    @cached_property
    def _parts(self) -> _Stream:
        return _Stream(ta.tokens(self.norm, split_ids=True))

    @property
    def words(self) -> list[ta.Token]:
        return self._words.tokens

    @cached_property
    def _squeezed(self) -> tuple[str, list[int]]:
        """Lower-cased text without whitespace next to CJK, and the map back to offsets."""
        chars: list[str] = []
        index: list[int] = []
        text = self.norm.lower()
        for i, c in enumerate(text):
            if c.isspace():
                prev = text[i - 1] if i else ""
                nxt = text[i + 1] if i + 1 < len(text) else ""
                if ta.has_cjk(prev) or ta.has_cjk(nxt) or (chars and chars[-1] == " "):
                    continue
                c = " "
            chars.append(c)
            index.append(i)
        return "".join(chars), index

    @cached_property
    def _flat(self) -> tuple[str, list[int]]:
        """The squeezed text without any whitespace, for code and notation."""
        squeezed, index = self._squeezed
        keep = [i for i, c in enumerate(squeezed) if not c.isspace()]
        return "".join(squeezed[i] for i in keep), [index[i] for i in keep]

    @cached_property
    def denying(self) -> bool:
        """An answer that mostly denies (most of its clauses carry a negation cue): there a
        denial reaches the whole clause, also what comes before it ("Session.Done() never
        fires", "IsOwner inside a Txn doesn't guard anything")."""
        marks = [self.sentence_of(0).start, *self._clause_marks, len(self.norm)]
        clauses = [self.norm[a:b] for a, b in itertools.pairwise(marks) if self.norm[a:b].strip()]
        if len(clauses) < DENYING_MIN_CLAUSES:
            return False
        denied = sum(1 for c in clauses if ta.has_negation(c))
        return denied / len(clauses) >= DENYING_SHARE

    def sentence_of(self, pos: int) -> ta.Span:
        i = bisect.bisect_right(self._sentence_starts, pos) - 1
        if i >= 0 and self.sentences[i].start <= pos < self.sentences[i].end:
            return self.sentences[i]
        return ta.Span(0, len(self.text))

    def sentence_index(self, pos: int) -> int:
        """The index of the sentence holding `pos`, or -1."""
        i = bisect.bisect_right(self._sentence_starts, pos) - 1
        return i if i >= 0 and pos < self.sentences[i].end else -1

    def in_question(self, pos: int) -> bool:
        return _inside(self.questions, pos)

    def in_history(self, pos: int) -> bool:
        return _inside(self.history, pos)

    def clause_start(self, pos: int) -> int:
        sentence = self.sentence_of(pos)
        i = bisect.bisect_right(self._clause_marks, pos) - 1
        mark = self._clause_marks[i] if i >= 0 else 0
        return max(sentence.start, mark)

    def find(self, alias: str, *, split_ids: bool = True) -> list[Occurrence]:
        """Occurrences of `alias`. With `split_ids` False, identifiers are matched only whole
        (claims in prose should not match inside `SetMaxThreads`)."""
        alias = alias.strip()
        if not alias:
            return []
        if _LITERAL.search(alias):
            spans = self._find_literal(alias)
        elif ta.has_cjk(alias):
            spans = self._find_cjk(alias)
        else:
            spans = self._find_latin(alias, split_ids=split_ids)
        own = frozenset(t.text for t in ta.tokens(alias)) | frozenset(
            t.text for t in ta.tokens(alias, split_ids=True)
        )
        return [Occurrence(alias, s, e, self.negated(s, e, own)) for s, e in spans]

    def _find_literal(self, alias: str) -> list[tuple[int, int]]:
        """Code and notation (`O(N)`, `count(*)`, `PauseNs[NumGC]`, `100%`) match verbatim,
        ignoring case and spaces."""
        flat, flat_index = self._flat
        needle = re.sub(r"\s+", "", squeeze(alias))
        return [
            (flat_index[m.start()], flat_index[m.end() - 1] + 1)
            for m in re.finditer(re.escape(needle), flat)
        ]

    def _find_cjk(self, alias: str) -> list[tuple[int, int]]:
        squeezed, index = self._squeezed
        needle = squeeze(alias)
        out = [
            (index[m.start()], index[m.end() - 1] + 1)
            for m in re.finditer(re.escape(needle), squeezed)
        ]
        if out:
            return out
        # the alias's words in order with a little in between ("提前就结束了" for "提前结束")
        words = [w for w in (t.text.lower() for t in ta.tokens(alias)) if w.strip()]
        if len(words) < 2:
            return []
        gap = f".{{0,{CJK_GAP}}}?"
        pattern = gap.join(re.escape(squeeze(w)) for w in words)
        return [(index[m.start()], index[m.end() - 1] + 1) for m in re.finditer(pattern, squeezed)]

    def _find_latin(self, alias: str, *, split_ids: bool) -> list[tuple[int, int]]:
        out: list[tuple[int, int]] = []
        streams = [(self._words, False)] + ([(self._parts, True)] if split_ids else [])
        for stream, split in streams:
            needle = [t.text for t in ta.tokens(alias, split_ids=split)]
            if not needle:
                continue
            texts, toks = stream.texts, stream.tokens
            n = len(needle)
            for i in stream.at.get(needle[0], ()):
                if texts[i : i + n] == needle:
                    span = (toks[i].start, toks[i + n - 1].end)
                    if span not in out:
                        out.append(span)
            if out or n < 2 or any(len(t) < 3 for t in needle):
                continue
            # the same words in any order, close together, within one clause
            # ("ends the range early" for "range ends early")
            want = set(needle)
            width = n + LATIN_SLACK
            candidates = sorted(i for w in want for i in stream.at.get(w, ()))
            for i in candidates:
                window = texts[i : i + width]
                if want <= set(window):
                    last = max(j for j, t in enumerate(window) if t in want)
                    start, end = toks[i].start, toks[i + last].end
                    if not _CLAUSE_MARK.search(self.norm, start, end):
                        out.append((start, end))
                        break
        return out

    def clause_end(self, pos: int) -> int:
        sentence = self.sentence_of(pos)
        i = bisect.bisect_right(self._clause_marks, pos)
        mark = self._clause_marks[i] - 1 if i < len(self._clause_marks) else len(self.norm)
        return min(sentence.end, mark)

    def negated(
        self, start: int, end: int | None = None, own: frozenset[str] = frozenset()
    ) -> bool:
        """A negation cue in the same clause as the match. The alias's own words are not
        searched ("不变式" or "non-blocking" name a thing, they deny nothing), but a word that
        a reordered match spans is ("maps never shrink" for "map shrinks")."""
        if NEGATION_SCOPE == "clause" and end is not None:
            return self._negated_clause(start, end, own)
        clause = self.clause_start(start)
        words = self._words
        lo = bisect.bisect_left(words.starts, clause)
        hi = bisect.bisect_left(words.starts, start)
        for i in range(max(lo, hi - NEGATION_WINDOW), hi):
            token = words.tokens[i]
            if token.cjk or token.end > start:
                continue
            following = words.tokens[i + 1] if i + 1 < len(words.tokens) else None
            if ta.is_negation(token, following):
                return True
        # Chinese by cue words in the characters before, not by the segmenter's words (which
        # may swallow the cue)
        window = self.norm[max(clause, start - CJK_NEGATION_WINDOW) : start]
        return ta.has_cjk_negation(window)

    def _negated_clause(self, start: int, end: int, own: frozenset[str]) -> bool:
        """A negation cue anywhere before the match in its clause ("并不会增加往返", "does not
        let a cache serve"), right after it ("Session.Done() never fires", "lag 不是…"), or
        inside a match whose words are not all the alias's own."""
        clause, stop = self.clause_start(start), self.clause_end(end)
        words = self._words
        lo = bisect.bisect_left(words.starts, clause)
        hi = bisect.bisect_left(words.starts, end)
        after = words.tokens[hi : bisect.bisect_left(words.starts, stop)]
        reach, reach_cjk = (
            (len(after), stop - end) if self.denying else (AFTER_WINDOW, AFTER_WINDOW_CJK)
        )
        window = [t for t in after if not t.cjk][:reach]
        for i, token in [*((i, words.tokens[i]) for i in range(lo, hi))]:
            inside = token.start >= start and token.end <= end
            if token.cjk or (inside and token.text in own):
                continue
            following = words.tokens[i + 1] if i + 1 < len(words.tokens) else None
            if ta.is_negation(token, following):
                return True
        for k, token in enumerate(window):
            # "X without Y" / "X rather than Y" deny Y, not X
            if token.text in _AFTER_EXEMPT_EN:
                break
            # "X is not Y" denies that X is Y, not X ("GOMAXPROCS is not the thread cap")
            if token.text in _COPULA_NEGATIONS or (
                token.text == "not" and k and window[k - 1].text in _COPULA
            ):
                break
            following = window[k + 1] if k + 1 < len(window) else None
            if ta.is_negation(token, following):
                return True
        # inside a match only characters of no alias word (the gap of "提前不结束")
        gap = "".join(c for c in self.norm[start:end] if not any(c in w for w in own))
        # words such as 不同 are masked before the window is cut, so that its edge never
        # leaves a bare 不
        right = ta.mask_not_negating(
            _AFTER_EXEMPT_ZH.sub(lambda m: "#" * len(m.group()), self.norm[end:stop])
        )
        # a denial after the next 、 belongs to the next item ("比较失败、写入不生效" does not
        # deny 比较失败) unless it sums the list up ("A、B 都不会…") or the answer denies throughout
        item, sep, rest = right.partition("、")
        if sep and not self.denying and not _SUMMING_DENIAL.search(rest):
            right = item
        # a denial inside a modifier does not reach the noun it modifies: in "未提交的数据"
        # 未 denies 提交, not 数据
        left = self.norm[clause:start]
        left = left[left.rfind("的") + 1 :]
        return any(ta.has_cjk_negation(part) for part in (left, gap, right[:reach_cjk]))


NEGATION_SCOPE = "clause"
DENYING_SHARE = 0.6  # correct answers stay below 0.45 of clauses denied; denials run at 0.8
DENYING_MIN_CLAUSES = 4
AFTER_WINDOW = 5  # tokens after a match that may deny it ("X never fires")
AFTER_WINDOW_CJK = 5  # characters, likewise ("X 不是…", "X 并不会…")
# cues that, after a match, deny what follows them instead: "X without Y", "X 而不是 Y"
_AFTER_EXEMPT_EN = frozenset({"without", "rather", "instead"})
_AFTER_EXEMPT_ZH = re.compile(
    r"而不是|而非|(?<!反)而不|无需|无须|不用|不必|并不是|不是|并非|不等于"
)
_SUMMING_DENIAL = re.compile(r"[都均全皆也][不没未无非]")
_COPULA = frozenset({"is", "are", "was", "were", "be", "been"})
_COPULA_NEGATIONS = frozenset({"isnt", "arent", "wasnt", "werent"})


def squeeze(text: str) -> str:
    return Document(text)._squeezed[0]


@dataclass
class GroupMatch:
    group: str
    occurrences: list[Occurrence] = field(default_factory=list)

    @property
    def matched(self) -> bool:
        return bool(self.occurrences)


def expected_polarity(alias_group: Sequence[str], rubric_texts: Sequence[str]) -> bool:
    """True when the rubric states the concept negatively ("不会阻塞", "does not block")."""
    for text in rubric_texts:
        doc = Document(text)
        for alias in alias_group:
            hits = doc.find(alias)
            if hits:
                return hits[0].negated
    return False


def _inside(spans: Sequence[ta.Span], pos: int) -> bool:
    i = bisect.bisect_right([s.start for s in spans], pos) - 1
    return i >= 0 and pos < spans[i].end


def match_group(
    doc: Document,
    aliases: Sequence[str],
    *,
    negative: bool,
    split_ids: bool = True,
    history: bool = False,
) -> GroupMatch:
    """Occurrences of any alias whose polarity is the one the rubric expects, outside the
    answer's questions and — unless `history` (the point is about older versions) — outside
    its statements about older versions."""
    found = GroupMatch(" | ".join(aliases))
    for alias in aliases:
        for occ in doc.find(alias, split_ids=split_ids):
            if occ.negated != negative or doc.in_question(occ.start):
                continue
            if not history and doc.in_history(occ.start):
                continue
            found.occurrences.append(occ)
    found.occurrences.sort(key=lambda o: o.start)
    return found
