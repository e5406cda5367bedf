"""Grade a whole Markdown interview document: each answered question against the bank
question it asks (when one is close enough), else against the document's own reference
answer, else not at all — and say which, per question. The graded answers then make the
same evaluation report a session gets."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pydantic import BaseModel, Field, computed_field

from gointerview.bank import Bank, Question
from gointerview.bank.schema import Dimension
from gointerview.docimport import choice
from gointerview.docimport.gocheck import Checker, CodeCheck, go_program
from gointerview.docimport.match import (
    BUNDLE_MAX,
    BankIndex,
    Candidate,
    MatchResult,
    PartMatch,
    answer_text,
    index_for,
    match_question,
    query_text,
)
from gointerview.docimport.parse import DocQuestion, Notice, ParsedDoc
from gointerview.errors import GointerviewError
from gointerview.exercises.catalog import Catalog
from gointerview.grading.text import analysis as ta
from gointerview.grading.text.grader import TextGrade, grade_rubric, grade_text, level_for
from gointerview.grading.text.rubric import derive
from gointerview.levels import LEVEL_EN
from gointerview.report.evaluate import (
    Evidence,
    Report,
    Scored,
    StudyItem,
    assemble,
    whole_line,
)


def _level_en(level: str | None) -> str | None:
    """精通/熟练/了解/欠缺 in English; `level` itself stays the key scripts compare."""
    return LEVEL_EN.get(level) if level else None


class PartItem(BaseModel):
    """One part of a composite question, graded against its own bank question."""

    text: str
    bank_question: str | None
    similarity: float | None
    score: float | None = None
    level: str | None = None
    hit: list[str] = Field(default_factory=list)
    partial: list[str] = Field(default_factory=list)  # said in part
    missed: list[str] = Field(default_factory=list)
    misconceptions: list[str] = Field(default_factory=list)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def level_en(self) -> str | None:
        return _level_en(self.level)


class DocItem(BaseModel):
    index: int
    number: int | None
    line: int
    section: str | None
    title: str
    answered: bool
    unanswered: str | None  # empty | placeholder | no answer
    answer_line: int | None
    has_reference: bool
    graded_by: str | None  # bank | reference | choice; None: not graded
    bank_question: str | None  # the bank question it was matched to
    similarity: float | None  # to the nearest bank question
    nearest: str | None  # the nearest bank question, matched or not
    chosen_by_user: bool = False  # the bank question (or none) was given with --match
    also_considered: list[str] = Field(default_factory=list)  # near-ties graded too
    ungradable: str | None = None  # why an answered question was not graded
    score: float | None = None
    level: str | None = None
    hit: list[str] = Field(default_factory=list)
    partial: list[str] = Field(default_factory=list)  # said in part
    missed: list[str] = Field(default_factory=list)
    misconceptions: list[str] = Field(default_factory=list)
    feedback: str | None = None
    parts: list[PartItem] = Field(default_factory=list)  # a composite question, part by part
    quotes: dict[str, list[str]] = Field(default_factory=dict)  # hit point -> the words quoted
    code: CodeCheck | None = None  # a complete Go program in the answer: built and vetted
    end_line: int | None = None  # the last line of the question in the document

    @computed_field  # type: ignore[prop-decorator]
    @property
    def level_en(self) -> str | None:
        return _level_en(self.level)


class DocReport(BaseModel):
    source: str
    title: str | None
    questions: int
    answered: int
    unanswered: int
    graded: int
    ungradable: int
    items: list[DocItem]
    notices: list[Notice]
    report: Report


def document_lang(doc: ParsedDoc) -> str:
    text = "\n".join(q.prompt + "\n" + (q.answer or "") for q in doc.questions)
    return ta.language_of(text) if text.strip() else "en"


def grade_document(
    doc: ParsedDoc,
    bank: Bank,
    catalog: Catalog | None,
    *,
    level: str = "mid",
    lang: str | None = None,
    backends: dict[str, Any] | None = None,
    progress: Callable[[], None] | None = None,
    code_checker: Checker | None = None,
    overrides: Mapping[int, str | None] | None = None,
) -> DocReport:
    """`progress` is called once per question graded (for a progress bar); `code_checker`
    builds and vets an answer that is a complete Go program (None: not built); `overrides`
    maps a question's position in the document to the bank question the user says it asks
    (None: none of them), in place of the matcher's choice."""
    overrides = overrides or {}
    lang = lang or document_lang(doc)
    index = index_for(bank)
    items: list[DocItem] = []
    scored: list[Scored] = []
    for question in doc.questions:
        if progress is not None:
            progress()
        if question.index in overrides:
            told = overrides[question.index]
            decisions = _user_match(index, question, bank.get(told) if told else None)
        else:
            decisions = match_question(index, question, agrees=_agrees)
        item = _item(question, decisions)
        item.chosen_by_user = question.index in overrides
        items.append(item)
        if question.answer is None:
            continue
        source = go_program(question.answer) if code_checker is not None else None
        if source is not None and code_checker is not None:
            item.code = _check_code(source, code_checker)
        if question.choice is not None:
            scored.extend(_grade_choice(question, decisions[0].result, item, lang))
            continue
        if len(decisions) > 1:
            scored.extend(_grade_parts(question, decisions, item, lang, backends or {}))
            continue
        match, bundle = decisions[0].result, decisions[0].chosen
        grade, dims, ref = _grade(question, match, bundle, lang, backends or {})
        if grade is None:
            item.ungradable = _why_ungradable(match, lang, question.index)
            continue
        item.score, item.level = grade.score, grade.level
        item.graded_by = "reference" if ref.startswith("doc:") else "bank"
        if item.graded_by == "bank":
            item.bank_question = ref
            item.similarity = next(
                round(c.similarity, 3) for c in match.ranked if c.question.id == ref
            )
            item.also_considered = [c.question.id for c in bundle if c.question.id != ref]
        item.hit = [p.wording for p in grade.points if p.status == "hit"]
        item.partial = [p.wording for p in grade.points if p.status == "partial"]
        item.missed = [p.wording for p in grade.points if p.status == "missed"]
        item.misconceptions = [m.claim for m in grade.misconceptions]
        item.quotes = _quotes(grade)
        item.feedback = grade.feedback
        scored.append(
            Scored(
                Evidence(
                    question=ref,
                    kind="question",
                    prompt=whole_line(question.title, 160),
                    score=grade.score,
                    level=grade.level,
                    hit=item.hit,
                    missed=item.missed,
                    misconceptions=item.misconceptions,
                ),
                dims,
            )
        )
    report = assemble(
        scored,
        ident=doc.source,
        plan="document",
        level=level,
        lang=lang,
        asked=len(doc.questions),
        seen={i.bank_question for i in items if i.bank_question},
        bank=bank,
        catalog=catalog,
    )
    report.study_plan[:0] = _unanswered_study(items, bank, lang)
    return DocReport(
        source=doc.source,
        title=doc.title,
        questions=len(doc.questions),
        answered=len(doc.answered),
        unanswered=len(doc.unanswered),
        graded=sum(1 for i in items if i.score is not None),
        ungradable=sum(1 for i in items if i.ungradable),
        items=items,
        notices=doc.notices,
        report=report,
    )


def _check_code(source: str, checker: Checker) -> CodeCheck:
    try:
        return checker(source)
    except GointerviewError as exc:  # the sandbox cannot start here: say so, grade the text
        return CodeCheck(built=False, note=str(exc))


def _quotes(grade: TextGrade) -> dict[str, list[str]]:
    """The candidate's own words that earned each key point (in full or in part)."""
    return {
        p.wording: [e.text for e in p.evidence[:2]]
        for p in grade.points
        if p.status in ("hit", "partial")
    }


def _grade_choice(
    question: DocQuestion, match: MatchResult, item: DocItem, lang: str
) -> list[Scored]:
    """A multiple-choice question is graded by its letters against the document's key."""
    assert question.choice is not None
    picked, correct = question.choice.picked, question.choice.correct
    if not correct or picked is None:
        item.ungradable = (
            ("文档没有给出正确选项" if lang == "zh" else "the document gives no correct letter")
            if not correct
            else ("回答里没有选项字母" if lang == "zh" else "the answer picks no letter")
        )
        return []
    item.score = choice.score(picked, correct)
    item.level = level_for(item.score)
    item.graded_by = "choice"
    mark = "、".join(correct) if lang == "zh" else ", ".join(correct)
    item.feedback = (
        f"选了 {'、'.join(picked)}，正确答案 {mark}"
        if lang == "zh"
        else f"picked {', '.join(picked)}; correct: {mark}"
    )
    (item.hit if item.score == 100.0 else item.missed).append(item.feedback)
    related = match.related
    dims = tuple(related.dimensions) if related is not None else ()
    evidence = Evidence(
        question=f"doc:{question.index}",
        kind="question",
        prompt=whole_line(question.title, 160),
        score=item.score,
        level=item.level,
        hit=item.hit,
        missed=item.missed,
    )
    return [Scored(evidence, dims)]


def _grade_parts(
    question: DocQuestion,
    decisions: list[PartMatch],
    item: DocItem,
    lang: str,
    backends: dict[str, Any],
) -> list[Scored]:
    """A composite question: the whole answer graded against each part's bank question (the
    best of its near-ties); the question's score is the mean of its parts."""
    assert question.answer is not None
    scored: list[Scored] = []
    for part in decisions:
        graded = [
            (grade_text(c.question, question.answer, reply_lang=lang, **backends), c)
            for c in part.chosen
        ]
        entry = PartItem(
            text=part.text,
            bank_question=part.chosen_id,
            similarity=round(part.chosen[0].similarity, 3) if part.chosen else None,
        )
        item.parts.append(entry)
        if not graded:
            continue
        grade, chosen = max(graded, key=lambda pair: pair[0].score)
        entry.bank_question = chosen.question.id
        entry.score, entry.level = grade.score, grade.level
        entry.hit = [p.wording for p in grade.points if p.status == "hit"]
        entry.partial = [p.wording for p in grade.points if p.status == "partial"]
        entry.missed = [p.wording for p in grade.points if p.status == "missed"]
        entry.misconceptions = [m.claim for m in grade.misconceptions]
        item.quotes.update(_quotes(grade))
        scored.append(
            Scored(
                Evidence(
                    question=chosen.question.id,
                    kind="question",
                    prompt=f"{whole_line(question.title, 80)} · {whole_line(part.text, 80)}",
                    score=grade.score,
                    level=grade.level,
                    hit=entry.hit,
                    missed=entry.missed,
                    misconceptions=entry.misconceptions,
                ),
                tuple(chosen.question.dimensions),
            )
        )
    done = [p for p in item.parts if p.score is not None]
    if done:
        item.score = sum(p.score or 0.0 for p in done) / len(done)
        item.level = level_for(item.score)
        item.graded_by = "bank"
        item.bank_question = done[0].bank_question
        for p in done:
            item.hit += p.hit
            item.partial += p.partial
            item.missed += p.missed
            item.misconceptions += p.misconceptions
    else:
        item.ungradable = _why_ungradable(decisions[0].result, lang, question.index)
    return scored


def _item(question: DocQuestion, decisions: list[PartMatch]) -> DocItem:
    match, bundle = decisions[0].result, decisions[0].chosen
    matched = bundle[0].question if bundle else None
    return DocItem(
        index=question.index,
        number=question.number,
        line=question.line,
        section=question.section,
        title=question.title,
        answered=question.answered,
        unanswered=question.unanswered,
        answer_line=question.answer_line,
        has_reference=question.reference is not None,
        graded_by=None,
        bank_question=matched.id if matched else None,
        similarity=round(match.best.similarity, 3) if match.best else None,
        nearest=match.best.question.id if match.best else None,
        end_line=question.end_line,
    )


def _grade(
    question: DocQuestion,
    match: MatchResult,
    bundle: list[Candidate],
    lang: str,
    backends: dict[str, Any],
) -> tuple[TextGrade | None, tuple[Dimension, ...], str]:
    """The grade, the dimensions it evidences, and the id the report cites."""
    assert question.answer is not None
    # the report's language, not the answer's: `--lang en` on a Chinese record reads English
    graded = [
        (grade_text(c.question, question.answer, reply_lang=lang, **backends), c) for c in bundle
    ]
    if graded:
        grade, chosen = max(graded, key=lambda pair: pair[0].score)
        return grade, tuple(chosen.question.dimensions), chosen.question.id
    if question.reference:
        rubric = derive(
            question=query_text(question),
            reference={ta.language_of(question.reference): question.reference},
        )
        related = match.related
        dims = tuple(related.dimensions) if related is not None else ()
        grade = grade_rubric(rubric, question.answer, lang=lang, reply_lang=lang)
        return grade, dims, f"doc:{question.index}"
    return None, (), ""


def _agrees(candidate: Question, reference: str | None) -> bool:
    """A bank question whose wording looks like the document's question but whose rubric the
    document's own reference answer does not touch at all asks something else ("When is
    sync.Once the right tool?" is not "When is sync/atomic the right tool?")."""
    if not reference:
        return True
    grade = grade_text(candidate, reference)
    return any(p.status != "missed" for p in grade.points)


def _user_match(index: BankIndex, question: DocQuestion, told: Question | None) -> list[PartMatch]:
    """The match the user gave with --match: that bank question, whatever its score (kept
    for the report), or none of them (the document's reference grades it, if it has one)."""
    ask = query_text(question)
    ranked = index.ranked(ask, answer_text(question))
    if told is None:
        return [PartMatch(ask, MatchResult(ranked[:BUNDLE_MAX], accepted=False, by_user=True))]
    score = next((c.similarity for c in ranked if c.question.id == told.id), 0.0)
    pick = Candidate(told, score)
    return [PartMatch(ask, MatchResult([pick], accepted=True, by_user=True), [pick])]


def _why_ungradable(match: MatchResult, lang: str, position: int) -> str:
    """Why an answer was not graded, and — when a bank question came near — the option that
    grades it with that one if the user sees it asks the same thing."""
    zh = lang == "zh"
    if match.by_user:  # the user said it asks no bank question
        if zh:
            return "按 --match 不对应题库题目，文档里也没有参考答案，无法评分"
        return "--match says no bank question asks it, and the document has no reference answer"
    if match.best is None:
        return "题库为空，文档里也没有参考答案，无法评分" if zh else "the bank is empty: not graded"
    best = match.best.question.id
    nearest, option = f"{best} ({match.best.similarity:.2f})", f"--match {position}={best}"
    if zh:
        return (
            f"题库中没有足够接近的题目（最接近：{nearest}），文档里也没有参考答案，无法评分；"
            f"若问的就是这道题，加 {option} 重新评分"
        )
    return (
        f"no bank question is close enough (nearest: {nearest}) and the document has no "
        f"reference answer: not graded; if it asks that one, grade it with {option}"
    )


def _unanswered_study(items: list[DocItem], bank: Bank, lang: str) -> list[StudyItem]:
    """Bank questions the document left unanswered come first in the study plan."""
    out = []
    for item in items:
        if item.answered or item.bank_question is None:
            continue
        q = bank.get(item.bank_question)
        out.append(
            StudyItem(
                kind="question",
                id=q.id,
                title=whole_line(q.prompt.get(lang), 100),
                why="文档中未作答" if lang == "zh" else "left unanswered in the document",
            )
        )
    return out
