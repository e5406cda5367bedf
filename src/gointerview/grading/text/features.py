"""Signals the final score is built from. Each is a number in [0, 1] (or a small count);
`calibration.py` turns them into a score with weights fitted on human-graded data.

    kp_credit     weighted share of the rubric's terms found with the right polarity
    kp_hit        weighted share of key points fully covered
    ref_recall    share of the reference's content words the answer uses (question words removed)
    ans_precision share of the answer's content words found in the reference or question
    cos_words     cosine of content-word counts, answer vs reference (question words removed)
    cos_chars     cosine of character bigrams, answer vs reference (robust to segmentation)
    length_ratio  answer content words / reference content words, capped at 1.5
    short         1 when the answer has fewer than 3 content words
    char_recall   share of the reference's character bigrams (question removed) in the answer
    char_recall3  the same for character trigrams (phrases rather than words)
    symbols       share of the reference's numbers and notations (O(n), 2^(n-1)…) in the answer
    verdict       for true/false questions: 1 when the answer's verdict agrees with the
                  reference's, 0 when it contradicts it, 0.5 when either gives none
    log_ans       log(1 + number of content words in the answer)
    sqrt_*, len1, loglen, kp_x_*   transforms and products of the above (see with_transforms)
    misconceptions  number of misconceptions stated (bank rubrics only)
"""

from __future__ import annotations

import math
import re
from collections import Counter

from gointerview.grading.text import analysis as ta

FEATURES = (
    "kp_credit",
    "kp_hit",
    "ref_recall",
    "ans_precision",
    "cos_words",
    "cos_chars",
    "length_ratio",
    "short",
    "misconceptions",
    "char_recall",
    "char_recall3",
    "symbols",
    "verdict",
    "log_ans",
    # non-linear views of the above: the score is not linear in coverage or length
    "sqrt_recall",
    "sqrt_kp",
    "sqrt_char",
    "len1",
    "loglen",
    "kp_x_verdict",
    "kp_x_len",
)


def _cosine(a: Counter[str], b: Counter[str]) -> float:
    if not a or not b:
        return 0.0
    dot = sum(v * b.get(k, 0) for k, v in a.items())
    na = math.sqrt(sum(v * v for v in a.values()))
    nb = math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb) if na and nb else 0.0


def _char_ngrams(text: str, n: int = 2) -> Counter[str]:
    clean = re.sub(r"\s+", " ", ta.normalise(text).lower())
    clean = re.sub(r"[^\w\u3400-\u9fff ]", "", clean)
    return Counter(clean[i : i + n] for i in range(len(clean) - n + 1) if clean[i : i + n].strip())


def _char_bigrams(text: str) -> Counter[str]:
    return _char_ngrams(text, 2)


_EXPR = re.compile(r"[0-9a-z_^+\-*/().=<>]+")
_OPERATOR = re.compile(r"[0-9^+*/=<>]")


def _symbols(text: str) -> set[str]:
    """Numbers, formulas and notations: 2^(n-1), n/2, O(1), 256. Words are left out."""
    flat = re.sub(r"\s+", "", ta.normalise(text).lower())
    found = set()
    for m in _EXPR.finditer(flat):
        expr = m.group().strip("().-")
        if expr and _OPERATOR.search(expr) and not expr.isalpha():
            found.add(expr)
    return found


_VERDICT_LEAD = r"^(?:答[:：]?)?\s*(?:这种叙述|该叙述|这句话|此说法|该说法)?\s*(?:是)?\s*"
_VERDICT_NO = re.compile(
    _VERDICT_LEAD
    + r"(?:错误|不正确|不对|错|不成立|否|不是(?=[，,。.！!\s])|false\b|incorrect\b|wrong\b|no\b)",
    re.IGNORECASE,
)
_VERDICT_YES = re.compile(
    _VERDICT_LEAD + r"(?:正确|对(?=[，,。.！!\s]|$)|成立|是的|true\b|correct\b|yes\b)",
    re.IGNORECASE,
)


def verdict(text: str) -> int:
    """+1 / -1 when a text opens with a true/false verdict (判断题), else 0."""
    head = ta.normalise(text).strip()[:20]
    if _VERDICT_NO.match(head):
        return -1
    if _VERDICT_YES.match(head):
        return 1
    return 0


def _recall(part: Counter[str], whole: Counter[str]) -> float:
    return sum(1 for k in whole if k in part) / len(whole) if whole else 0.0


def _verdict_agreement(reference: str, answer: str) -> float:
    ref, ans = verdict(reference), verdict(answer)
    if ref == 0 or ans == 0:
        return 0.5
    return 1.0 if ref == ans else 0.0


def lexical_features(*, question: str, reference: str, answer: str) -> dict[str, float]:
    qset = {t.text for t in ta.content_tokens(question)}
    ref = [t.text for t in ta.content_tokens(reference) if t.text not in qset]
    ans_all = [t.text for t in ta.content_tokens(answer)]
    ans = [t for t in ans_all if t not in qset]
    ref_set, ans_set = set(ref), set(ans_all)
    recall = len(ref_set & ans_set) / len(ref_set) if ref_set else 0.0
    precision = (
        sum(1 for t in ans_all if t in ref_set or t in qset) / len(ans_all) if ans_all else 0.0
    )
    q_chars = _char_bigrams(question)
    a_chars = Counter({k: v for k, v in _char_bigrams(answer).items() if k not in q_chars})
    r_chars = Counter({k: v for k, v in _char_bigrams(reference).items() if k not in q_chars})
    q3 = _char_ngrams(question, 3)
    a3 = _char_ngrams(answer, 3)
    r3 = Counter({k: v for k, v in _char_ngrams(reference, 3).items() if k not in q3})
    ref_symbols = _symbols(reference) - _symbols(question)
    return {
        "char_recall": _recall(a_chars, r_chars),
        "char_recall3": _recall(a3, r3),
        "symbols": len(ref_symbols & _symbols(answer)) / len(ref_symbols) if ref_symbols else 0.5,
        "verdict": _verdict_agreement(reference, answer),
        "log_ans": math.log1p(len(ans_all)),
        "ref_recall": recall,
        "ans_precision": precision,
        "cos_words": _cosine(Counter(ans), Counter(ref)),
        "cos_chars": _cosine(a_chars, r_chars),
        "length_ratio": min(1.5, len(ans_all) / max(1, len(ref))),
        "short": 1.0 if len(ans_all) < 3 else 0.0,
    }


def with_transforms(values: dict[str, float]) -> dict[str, float]:
    """Add the non-linear views the linear calibration needs (coverage saturates; a short
    answer that covers the reference is worth more than a long one that rambles)."""
    out = dict(values)
    out["sqrt_recall"] = math.sqrt(values.get("ref_recall", 0.0))
    out["sqrt_kp"] = math.sqrt(values.get("kp_credit", 0.0))
    out["sqrt_char"] = math.sqrt(values.get("char_recall", 0.0))
    length = values.get("length_ratio", 0.0)
    out["len1"] = min(1.0, length)
    out["loglen"] = math.log1p(length)
    out["kp_x_verdict"] = values.get("kp_credit", 0.0) * values.get("verdict", 0.5)
    out["kp_x_len"] = values.get("kp_credit", 0.0) * min(1.0, length)
    return out
