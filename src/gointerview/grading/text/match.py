"""Find a rubric's terms in an answer, with evidence spans and polarity.

A key point's `terms` are synonym groups ("work stealing | 工作窃取 | runqsteal"). An alias is
found in the answer:
- Chinese (or mixed) aliases as substrings of the answer with whitespace next to Chinese
  characters ignored ("一个goroutine" matches "一个 goroutine");
- Latin aliases as sequences of stemmed tokens, against the answer's words and also against
  its identifiers split into parts ("max idle conns per host" matches MaxIdleConnsPerHost).

Polarity: an occurrence is negated when a negation cue (不/没有/无需…, not/never/without…)
precedes it in the same clause. The polarity a rubric *expects* is the alias's polarity in the
rubric's own text, so "does not block an M" is credited for a negative point and a plain
"blocks an M" is not.
"""

from __future__ import annotations

import re
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


@dataclass(frozen=True)
class Occurrence:
    alias: str
    start: int
    end: int
    negated: bool


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
    def words(self) -> list[ta.Token]:
        return ta.tokens(self.norm)

    @cached_property
    def parts(self) -> list[ta.Token]:
        return ta.tokens(self.norm, split_ids=True)

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

    def sentence_of(self, pos: int) -> ta.Span:
        for s in self.sentences:
            if s.start <= pos < s.end:
                return s
        return ta.Span(0, len(self.text))

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
        return [Occurrence(alias, s, e, self.negated(s, e)) for s, e in spans]

    def _find_literal(self, alias: str) -> list[tuple[int, int]]:
        """Code and notation (`O(N)`, `count(*)`, `PauseNs[NumGC]`, `100%`) match verbatim,
        ignoring case and spaces."""
        squeezed, index = self._squeezed
        needle = re.sub(r"\s+", "", squeeze(alias))
        flat = "".join(c for c in squeezed if not c.isspace())
        flat_index = [index[i] for i, c in enumerate(squeezed) if not c.isspace()]
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
        streams = [(self.words, False)] + ([(self.parts, True)] if split_ids else [])
        for stream, split in streams:
            needle = [t.text for t in ta.tokens(alias, split_ids=split)]
            if not needle:
                continue
            texts = [t.text for t in stream]
            n = len(needle)
            for i in range(len(texts) - n + 1):
                if texts[i : i + n] == needle:
                    span = (stream[i].start, stream[i + n - 1].end)
                    if span not in out:
                        out.append(span)
            if out or n < 2 or any(len(t) < 3 for t in needle):
                continue
            # the same words in any order, close together, within one clause
            # ("ends the range early" for "range ends early")
            want = set(needle)
            width = n + LATIN_SLACK
            for i in range(len(texts)):
                window = texts[i : i + width]
                if texts[i] in want and want <= set(window):
                    last = max(j for j, t in enumerate(window) if t in want)
                    start, end = stream[i].start, stream[i + last].end
                    if not _CLAUSE_MARK.search(self.norm, start, end):
                        out.append((start, end))
                        break
        return out

    def negated(self, start: int, end: int | None = None) -> bool:
        """A negation cue shortly before the match in the same clause, or inside it (a
        reordered match can hold "is never freed"; an alias can be "不会阻塞")."""
        sentence = self.sentence_of(start)
        clause = ta.clause_start(self.norm, sentence, start)
        stop = start if end is None else end
        before = [t for t in self.words if clause <= t.start and t.end <= start and not t.cjk]
        inside = [t for t in self.words if start <= t.start and t.end <= stop and not t.cjk]
        if any(ta.is_negation(t) for t in before[-NEGATION_WINDOW:] + inside):
            return True
        # Chinese by characters, not by the segmenter's words (which may swallow the cue)
        window = self.norm[max(clause, start - CJK_NEGATION_WINDOW) : stop]
        return ta.has_cjk_negation(window)


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


def match_group(
    doc: Document, aliases: Sequence[str], *, negative: bool, split_ids: bool = True
) -> GroupMatch:
    """Occurrences of any alias whose polarity is the one the rubric expects."""
    found = GroupMatch(" | ".join(aliases))
    for alias in aliases:
        for occ in doc.find(alias, split_ids=split_ids):
            if occ.negated == negative:
                found.occurrences.append(occ)
    found.occurrences.sort(key=lambda o: o.start)
    return found
