"""Find the bank question a document's question asks, when there is one.

TF-IDF over the bank's prompts, Chinese and English kept apart, with the same tokens the
grader uses (jieba words, stemmed English, split Go identifiers). A document question matches
the bank question with the highest cosine in either language when that cosine reaches
MATCH_AT; bank questions within BUNDLE of it are graded too and the best grade stands (a
document question often bundles two or three bank questions); otherwise it is graded
against the document's own reference answer, or not at all. The thresholds were chosen with
benchmarks/doc_match.py on the hand-labelled documents in tests/data/docs/ (README figures).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from functools import cached_property

from gointerview.bank import Bank, Question
from gointerview.docimport.parse import DocQuestion
from gointerview.grading.text import analysis as ta

MATCH_AT = 0.32
BUNDLE = 0.15  # bank questions this close to the best match are graded too (max BUNDLE_MAX)
BUNDLE_MAX = 3
RELATED_AT = 0.2  # close enough to borrow the bank question's dimensions for the report


@dataclass(frozen=True)
class Candidate:
    question: Question
    similarity: float


@dataclass(frozen=True)
class MatchResult:
    ranked: list[Candidate]  # the nearest bank questions, best first

    @property
    def best(self) -> Candidate | None:
        return self.ranked[0] if self.ranked else None

    @property
    def matched(self) -> Question | None:
        return self.matched_at(MATCH_AT)

    def matched_at(self, threshold: float) -> Question | None:
        if self.best is None or self.best.similarity < threshold:
            return None
        return self.best.question

    @property
    def bundle(self) -> list[Candidate]:
        """The matched question and near-ties: a document question often asks in one go
        what the bank asks as two or three questions."""
        if self.matched is None or self.best is None:
            return []
        floor = max(MATCH_AT, self.best.similarity - BUNDLE)
        return [c for c in self.ranked[:BUNDLE_MAX] if c.similarity >= floor]

    @property
    def related(self) -> Question | None:
        """The nearest question when it is at least on the same topic."""
        if self.best is None or self.best.similarity < RELATED_AT:
            return None
        return self.best.question


def query_text(question: DocQuestion) -> str:
    """What a document question asks, in every wording it gives."""
    return "\n".join(t for t in (question.title, question.prompt, question.prompt_en) if t)


def _counts(text: str) -> Counter[str]:
    return Counter(t.text for t in ta.content_tokens(text, split_ids=True))


class BankIndex:
    def __init__(self, bank: Bank) -> None:
        self.questions = bank.questions

    @cached_property
    def _idf(self) -> dict[str, float]:
        documents = len(self._sides) or 1
        frequency: Counter[str] = Counter()
        for zh, en in self._sides:
            frequency.update(set(zh) | set(en))
        return {t: math.log((1 + documents) / (1 + df)) + 1 for t, df in frequency.items()}

    @cached_property
    def _sides(self) -> list[tuple[Counter[str], Counter[str]]]:
        return [(_side(q, "zh"), _side(q, "en")) for q in self.questions]

    @cached_property
    def _vectors(self) -> list[tuple[dict[str, float], dict[str, float]]]:
        return [(self._weigh(zh), self._weigh(en)) for zh, en in self._sides]

    def _weigh(self, counts: Counter[str]) -> dict[str, float]:
        vector = {t: (1 + math.log(c)) * self._idf.get(t, 1.0) for t, c in counts.items()}
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        return {t: v / norm for t, v in vector.items()}

    def ranked(self, text: str) -> list[Candidate]:
        """Every bank question, nearest first."""
        vectors = self._vectors
        query = self._weigh(Counter({t: c for t, c in _counts(text).items() if t in self._idf}))
        if not query:
            return []
        return sorted(
            (
                Candidate(q, max(_cosine(query, zh), _cosine(query, en)))
                for q, (zh, en) in zip(self.questions, vectors, strict=True)
            ),
            key=lambda c: -c.similarity,
        )

    def match(self, text: str) -> MatchResult:
        return MatchResult(self.ranked(text)[:BUNDLE_MAX])


_INDEXES: dict[int, tuple[Bank, BankIndex]] = {}


def index_for(bank: Bank) -> BankIndex:
    """One index per loaded bank (building it tokenises every prompt)."""
    cached = _INDEXES.get(id(bank))
    if cached is None or cached[0] is not bank:
        cached = (bank, BankIndex(bank))
        _INDEXES[id(bank)] = cached
    return cached[1]


def _side(q: Question, lang: str) -> Counter[str]:
    # The prompt alone: key points and tags add words of the answer, which blur the match
    # (benchmarks/doc_match.py measured both).
    return _counts(getattr(q.prompt, lang))


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())
