"""Refinements of the offline grade by the optional back ends (embedder, LLM judge)."""

from __future__ import annotations

from gointerview.grading.text.embed import Embedder, EmbedderError, cosine
from gointerview.grading.text.grader import Evidence, PointGrade
from gointerview.grading.text.judge import Judge, JudgeError
from gointerview.grading.text.match import Document, squeeze
from gointerview.grading.text.rubric import Rubric

EMBED_PARTIAL = 0.6  # cosine between a point and an answer sentence that counts as a paraphrase


def apply_embedder(
    embedder: Embedder, doc: Document, rubric: Rubric, points: list[PointGrade], notes: list[str]
) -> bool:
    """A missed point whose wording is close in meaning to one answer sentence becomes partial,
    citing that sentence. Returns False (and notes why) if the embedder failed."""
    todo = [p for p in points if p.status == "missed"]
    sentences = doc.sentences
    if not todo or not sentences:
        return True
    texts = [doc.text[s.start : s.end] for s in sentences]
    try:
        vectors = embedder.embed([p.wording for p in todo] + texts)
    except EmbedderError as exc:
        notes.append(f"embedder unavailable, lexical grade stands: {exc}")
        return False
    point_vecs, sentence_vecs = vectors[: len(todo)], vectors[len(todo) :]
    for point, vec in zip(todo, point_vecs, strict=True):
        best, where = max(
            ((cosine(vec, sv), s) for sv, s in zip(sentence_vecs, sentences, strict=True)),
            key=lambda pair: pair[0],
        )
        if best >= EMBED_PARTIAL:
            point.status = "partial"
            point.coverage = max(point.coverage, 0.5)
            point.confidence = round(best, 2)
            point.evidence = [
                Evidence(start=where.start, end=where.end, text=doc.text[where.start : where.end])
            ]
    return True


def apply_judge(
    judge: Judge, doc: Document, rubric: Rubric, points: list[PointGrade], notes: list[str]
) -> float | None:
    """Ask the judge; upgrade a point only when its quote really occurs in the answer. Returns
    the judge's score, or None (and a note) when it failed."""
    try:
        verdict = judge.judge(rubric, doc.text, lang=doc.lang)
    except JudgeError as exc:
        notes.append(f"judge failed, lexical grade stands: {exc}")
        return None
    squeezed = squeeze(doc.text)
    by_id = {p.id: p for p in points}
    rank = {"missed": 0, "partial": 1, "hit": 2}
    for pv in verdict.points:
        point = by_id[pv.id]
        if rank[pv.status] <= rank[point.status]:
            continue
        quote = squeeze(pv.quote)
        at = squeezed.find(quote) if quote.strip() else -1
        if at < 0:
            notes.append(f"judge claimed {pv.id} without a quote found in the answer: ignored")
            continue
        start = doc.text.lower().find(pv.quote.strip().lower())
        point.status = pv.status
        point.coverage = max(point.coverage, 1.0 if pv.status == "hit" else 0.5)
        if start >= 0:
            end = start + len(pv.quote.strip())
            point.evidence = [Evidence(start=start, end=end, text=doc.text[start:end])]
    return verdict.score
