"""Learning from every answer: after :idk, :skip or a weak answer (below 65), the reference
answer and the key points in the session's language — in the terminal after the 点评 and in
the report."""

from __future__ import annotations

from pydantic import BaseModel, Field

from gointerview.bank import Bank
from gointerview.errors import NotFoundError
from gointerview.interview.engine import Item
from gointerview.levels import points

WEAK = 65.0


class KeyPointNote(BaseModel):
    wording: str
    status: str | None = None  # hit | partial | missed, when the answer was graded


class ReferenceNote(BaseModel):
    question: str
    kind: str  # question | follow_up
    prompt: str
    why: str  # dont_know | skipped | weak
    score: float | None = None
    reference: str
    key_points: list[KeyPointNote] = Field(default_factory=list)


def needs_reference(item: Item) -> str | None:
    """Why this item's reference answer should be shown, or None."""
    if item.kind == "exercise":
        return None
    if item.status == "dont_know":
        return "dont_know"
    if item.status == "skipped":
        return "skipped"
    if item.status == "graded" and item.score is not None and item.score < WEAK:
        return "weak"
    return None


def reference_note(bank: Bank, item: Item, lang: str) -> ReferenceNote | None:
    """The reference answer and key points for `item` (None when none is due or the bank no
    longer has the question). A follow-up shows its own expected answer and points when the
    bank gives them, else the parent's answer and the point it probes."""
    from gointerview.interview.service import follow_up_index

    why = needs_reference(item)
    if why is None:
        return None
    try:
        q = bank.get(item.ref)
    except NotFoundError:
        return None
    statuses = {p.get("id"): p.get("status") for p in (item.grade or {}).get("points", [])}
    reference = q.reference_answer.get(lang)
    kps = [(kp.id, kp.text(lang)) for kp in q.key_points]
    if item.kind == "follow_up":
        index = follow_up_index(q, item)
        f = q.follow_ups[index] if index is not None else None
        if f is not None and f.key_points and f.answer is not None:
            reference = f.answer.get(lang)
            kps = [(kp.id, kp.text(lang)) for kp in f.key_points]
        elif item.target_point:
            kps = [(i, w) for i, w in kps if i == item.target_point]
    return ReferenceNote(
        question=q.id,
        kind=item.kind,
        prompt=(item.prompt.get(lang) or item.prompt.get("en", "")).strip().splitlines()[0][:160]
        if item.prompt
        else "",
        why=why,
        score=item.score,
        reference=reference.strip(),
        key_points=[KeyPointNote(wording=w, status=statuses.get(i)) for i, w in kps],
    )


WHY = {
    "zh": {"dont_know": "不会", "skipped": "跳过", "weak": "得分 {}"},
    "en": {"dont_know": "don't know", "skipped": "skipped", "weak": "scored {}"},
}
MARK = {"hit": "✓", "partial": "~", "missed": "✗", None: "•"}


def note_markdown(note: ReferenceNote, lang: str, *, heading: str = "###") -> list[str]:
    """The note as Markdown lines (the report's section and the terminal panel)."""
    zh = lang == "zh"
    why = WHY[lang][note.why].format(points(note.score or 0.0))
    out = [
        f"{heading} `{note.question}` {note.prompt} ({why})" if heading else "",
        "",
        ("**参考答案**" if zh else "**Reference answer**"),
        "",
        *note.reference.splitlines(),
        "",
        ("**要点**" if zh else "**Key points**"),
        "",
        *(f"- {MARK.get(k.status, '•')} {k.wording}" for k in note.key_points),
        "",
    ]
    return out if heading else out[2:]
