"""Recover the questions of a Markdown interview document: prompts, the written answers (prose
and code, across fences and sub-headings), unanswered questions, reference answers, choices.

The shapes people use (docs/documents.md; a fixture of each in tests/data/docs/): interview
records — numbered question headings, the interviewer's prompt, a candidate answer area that
may be empty or hold a placeholder, an evaluation template — and study notes — numbered items
with `EN:` / `A:` lines, bullet Q&A, question indexes, a quiz and its answer key, choice
questions, `<details>` answers. In short:

- what public notes wrap around their text (front matter, `<details>`, quoted labels, a
  compact choice key) is taken off first, line numbers unchanged (normalise.py);
- questions start at numbered headings (`### 1. ...`, `## Q2: ...`, `### 第 3 题`) or headings
  ending in `?` (one level up too, when numbered next or asking); without such headings, at
  numbered lines (`1) ...`, `Q1. ...`) that continue the numbering in the same style, or at
  top-level bullets when most of them ask;
- a question ends at the next question, or at a heading at its own level or above that is not
  part of the answer; a question-shaped heading inside an answer (a list restarting at 1, or in
  a labelled record one without labels) is part of it;
- labels split a question into prompt / answer / reference / topic / interviewer comment;
  without an answer label, what follows the prompt is the answer, except code the question
  shows before its labels; options `A:` `B:` make a choice question (choice.py);
- quiz sections hold one question per item of a question's shape; an answer key pairs its
  entries with the quiz before it (by number, else cut into one entry each, keyalign.py);
- sections such as 基本信息 / 面试评价 / Summary are not questions and are skipped, with a
  notice; so is anything else the parser could not place. It never raises on any text.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel

from gointerview.docimport import choice, keyalign
from gointerview.docimport import lines as ln
from gointerview.docimport.lines import Line
from gointerview.docimport.normalise import normalise
from gointerview.docimport.template import Template, find_template
from gointerview.errors import GointerviewError

MAX_BYTES = 4 * 1024 * 1024  # a Markdown document larger than this is not an interview record
RULE = re.compile(r"^\s{0,3}([-*_])(?:\s*\1){2,}\s*$")


class Notice(BaseModel):
    line: int
    severity: str  # info | warning
    message: str
    message_zh: str = ""

    def text(self, lang: str) -> str:
        return (self.message_zh or self.message) if lang == "zh" else self.message


class Choice(BaseModel):
    """A multiple-choice question: its options, the correct letters the document gives, and
    the letters the candidate picked (when the document holds an answer)."""

    options: dict[str, str]  # "A" -> the option's text
    correct: list[str] = []
    picked: list[str] | None = None


class DocQuestion(BaseModel):
    index: int  # 1-based position in the document
    number: int | None  # as written, when numbered
    line: int
    section: str | None = None
    quiz: bool = False  # an item of a quiz section
    tag: str | None = None
    title: str
    prompt: str  # everything the document asks, as written
    prompt_en: str | None = None  # an explicit `EN:` wording
    answer: str | None = None  # None: unanswered
    answer_line: int | None = None
    unanswered: str | None = None  # why: empty | placeholder | no answer
    reference: str | None = None
    reference_line: int | None = None
    choice: Choice | None = None
    end_line: int | None = None  # the last line of the question's own text

    @property
    def answered(self) -> bool:
        return self.answer is not None


class ParsedDoc(BaseModel):
    source: str
    title: str | None
    questions: list[DocQuestion]
    notices: list[Notice]
    template: Template | None = None  # the document's own evaluation template

    @property
    def answered(self) -> list[DocQuestion]:
        return [q for q in self.questions if q.answered]

    @property
    def unanswered(self) -> list[DocQuestion]:
        return [q for q in self.questions if not q.answered]


# ---------------------------------------------------------------- building blocks


@dataclass
class _Section:
    title: str
    kind: str | None  # quiz | key | meta | part | None
    line: int
    level: int  # heading level; 0 for a plain section line
    body: list[Line] = field(default_factory=list)


@dataclass
class _Draft:
    number: int | None
    line: int
    title: str
    section: str | None
    heading_level: int | None  # None: a numbered-line or labelled question
    tag: str | None = None
    by_label: bool = False  # started by a `Q:` / `问：` line
    body: list[Line] = field(default_factory=list)
    quiz: bool = False  # an item of a quiz section
    reference: tuple[str, int] | None = None  # from an answer key
    answer: tuple[str, int] | None = None  # a quiz answer found outside the body


def parse_markdown(text: str, source: str = "<text>") -> ParsedDoc:
    return _Parser(text, source).run()


def read_document(path: Path) -> ParsedDoc:
    """Parse a file: UTF-8 (with or without BOM), else GB18030, which many Chinese editors
    still save; a file in neither is an error, not a guess."""
    text, notice = read_text(path)
    doc = parse_markdown(text, str(path))
    if notice is not None:
        doc.notices.insert(0, notice)
    return doc


def read_text(path: Path) -> tuple[str, Notice | None]:
    """The text of a document file and, when it was not UTF-8, a notice saying so."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise GointerviewError(
                f"{path}: {size // 1024} KiB is more than a document holds "
                f"(limit {MAX_BYTES // 1024 // 1024} MiB)"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise GointerviewError(f"cannot read {path}: {exc.strerror}") from exc
    notice = None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        try:
            text = data.decode("gb18030")
            notice = Notice(
                line=1,
                severity="info",
                message="read as GB18030 (not UTF-8)",
                message_zh="按 GB18030 编码读取（不是 UTF-8）",
            )
        except UnicodeDecodeError:
            line = data[: exc.start].count(b"\n") + 1
            raise GointerviewError(
                f"{path}:{line}: not UTF-8 or GB18030 text (is it a Markdown file?)"
            ) from exc
    return text.lstrip("\ufeff"), notice


class _Parser:
    def __init__(self, text: str, source: str) -> None:
        normalised = normalise(text)
        scanned = ln.scan(normalised.text)
        self.lines = scanned.lines
        self.choice_key = normalised.choice_key
        self.source = source
        self.notices: list[Notice] = []
        if scanned.unclosed_fence_line is not None:
            self.notice(
                scanned.unclosed_fence_line,
                "code fence opened here is never closed; read it to the end of the file",
                "代码块从这里开始却没有结束，按读到文件末尾处理",
                "warning",
            )
        self.statements = self._statement_questions()
        self.question_level = self._question_heading_level()
        self.open_areas: set[int] = set()  # question lines whose answer area is left open
        self.labelled_blocks = self._labelled_blocks()
        self.bullet_qa = False
        self.bullets = self._bullet_questions() if self.question_level is None else {}
        self.bullet_mode = bool(self.bullets)
        self.drafts: list[_Draft] = []
        self.quizzes: list[tuple[int, list[_Draft]]] = []  # (section line, its questions)

    def notice(self, line: int, message: str, zh: str, severity: str = "info") -> None:
        self.notices.append(Notice(line=line, severity=severity, message=message, message_zh=zh))

    def _statement_questions(self) -> set[int]:
        """Lines of headings that tell a situation without asking ("After we put a cache in
        front of the table, even cache hits are slow."), in notes whose questions are headings
        without numbers that mostly ask: there such a heading is a question too. Not the
        document's first heading (its title), nor a short one or one that ends in a colon."""
        headings = [(line, h) for line in self.lines if (h := ln.heading(line)) is not None]
        # "## 一、并发" is a section; a "### 1." heading numbers the questions
        if any(
            ln.heading_number(h.text) is not None and not ln.CN_ORDINAL.match(h.text)
            for _, h in headings
        ):
            return set()
        asking = [h for _, h in headings if _names_question(h)]
        told = {
            line.no
            for line, h in headings[1:]
            if not _names_question(h) and _tells_a_situation(h.text)
        }
        return told if len(asking) >= 3 and len(asking) >= 2 * len(told) else set()

    def _names_question_here(self, h: ln.Heading, line: Line) -> bool:
        return _names_question(h) or line.no in self.statements

    def _question_heading_level(self) -> int | None:
        """The heading level numbered questions use (the most common one), if any."""
        counts: dict[int, float] = {}
        for line in self.lines:
            h = ln.heading(line)
            if h is not None and self._names_question_here(h, line):
                # "一、…" headings count half: they are as often sections as questions
                weight = 0.5 if ln.CN_ORDINAL.match(h.text) else 1.0
                counts[h.level] = counts.get(h.level, 0) + weight
        if not counts:
            return None
        return max(sorted(counts), key=lambda level: counts[level])

    # ------------------------------------------------------------ pass over the lines

    def run(self) -> ParsedDoc:
        section = _Section("", None, 1, 0)
        sections = [section]
        current: _Draft | None = None
        numbering: tuple[str, int] | None = None  # (style, last number) of line questions
        inner: tuple[str, int] | None = None  # a list inside the current answer
        for line in self.lines:
            h = ln.heading(line)
            if h is not None:
                starts = self._is_question_heading(h, line) and not self._inside_answer(
                    h, line, current
                )
                if starts or self._stray_question(h):
                    if section.kind in ("meta", "key"):  # a question ends such a section
                        section = _Section("", None, line.no, h.level - 1)
                        sections.append(section)
                    current = self._start(h, line, section)
                    continue
                if current is not None and (
                    _asks_after_placeholder(h, current) or self._next_lower_question(h, current)
                ):
                    current = self._start(h, line, section)  # a question, not a sub-heading
                    continue
                if current is not None and (
                    self._is_question_heading(h, line) or self._heading_in_answer(h, current)
                ):
                    current.body.append(line)
                    continue
                current = None
                numbering = inner = None
                section = _Section(h.text, ln.section_kind(h.text), line.no, h.level)
                sections.append(section)
                continue
            label = ln.label(line)
            if self._starts_labelled(label, current, section):
                assert label is not None
                current = _Draft(None, line.no, label[1], section.title or None, None)
                current.by_label = True
                self.drafts.append(current)
                continue
            if current is not None and label is not None:
                current.body.append(line)
                continue
            kind = ln.section_line(line, standalone=self._standalone(line))
            if kind == "key" and current is not None and current.heading_level is not None:
                current.body.append(line)  # "参考答案" alone under a question: its reference
                continue
            if kind is not None:
                current = None
                numbering = inner = None
                title = ln.strip_emphasis(line.text)
                section = _Section(
                    title, kind if kind == "key" else ln.section_kind(title), line.no, 0
                )
                sections.append(section)
                continue
            if current is not None and current.heading_level is not None:
                current.body.append(line)
                continue
            # a quiz section of bullets with their answers under them is read as bullet Q&A
            bullet_quiz = section.kind == "quiz" and self.bullet_qa
            if section.kind in ("meta", "key", "quiz") and not bullet_quiz:
                section.body.append(line)
                continue
            bullet = self.bullets.get(line.no)
            if bullet is not None:
                current = _Draft(None, line.no, bullet, section.title or None, None)
                self.drafts.append(current)
                numbering = inner = None
                continue
            by_lines = (
                self.question_level is None
                and not self.bullet_mode
                and not (current and current.by_label)
            )
            n = ln.numbered(line) if by_lines else None
            if n is not None and n.indent <= 3:
                if self._continues(n, numbering, inner):
                    numbering, inner = (n.delim, n.number), None
                    current = _Draft(n.number, line.no, n.rest, section.title or None, None)
                    self.drafts.append(current)
                    continue
                if current is not None and (inner is None or inner[0] == n.delim):
                    inner = (n.delim, n.number)
            if current is not None:
                current.body.append(line)
            else:
                section.body.append(line)
        for s in sections:
            if s.kind is None and _tagged_lines(s.body):
                s.kind = "quiz"  # "## Cards" holding "（Kafka） …？" lines: a quiz by its shape
        self._report_skipped(sections)
        for s in sections:
            if s.kind == "quiz" and not self.bullet_qa:
                self._quiz(s)
        self.drafts.sort(key=lambda d: d.line)
        for s in sections:
            if s.kind == "key":
                self._answer_key(s)
        questions = [self._finish(i, d) for i, d in enumerate(self.drafts)]
        if not questions:
            self.notice(
                1,
                "no questions found: expected numbered headings (### 1. ...), numbered items "
                "(1) ...), question headings ending in '?', or a quiz section",
                "没有找到题目：需要带编号的标题（### 1. ...）、编号条目（1) ...）、"
                "以问号结尾的标题或小测验",
                "warning",
            )
        self.notices.sort(key=lambda n: n.line)
        return ParsedDoc(
            source=self.source,
            title=self._title(),
            questions=questions,
            notices=self.notices,
            template=find_template(self.lines),
        )

    def _standalone(self, line: Line) -> bool:
        """Blank lines (or the file's edges) on both sides."""
        at = line.no - 1
        before = at == 0 or self.lines[at - 1].blank
        after = at + 1 >= len(self.lines) or self.lines[at + 1].blank
        return before and after

    def _starts_labelled(
        self, label: tuple[str, str] | None, current: _Draft | None, section: _Section
    ) -> bool:
        """In a document of bare `Q: … / A: …` pairs, a `Q:` line with its text starts the
        next question once the current one has its answer."""
        if label is None or label[0] != "prompt" or not label[1] or self.question_level:
            return False
        if section.kind in ("meta", "key", "quiz"):
            return False
        if current is None:
            return True
        answered = any(
            (lab := ln.label(x)) is not None and lab[0] == "answer" for x in current.body
        )
        return current.by_label and answered

    def _is_question_heading(self, h: ln.Heading, line: Line) -> bool:
        return h.level == self.question_level and self._names_question_here(h, line)

    def _next_lower_question(self, h: ln.Heading, current: _Draft) -> bool:
        """A heading that asks, at the level of a question written a level lower than the
        document's questions (see _asks_after_placeholder): the next such question."""
        lower = current.heading_level is not None and current.heading_level != self.question_level
        return (
            lower
            and h.level == current.heading_level
            and _names_question(h)
            and ln.asks(h.text)
            and ln.section_kind(h.text) is None
        )

    def _stray_question(self, h: ln.Heading) -> bool:
        """A question heading one level above the others ("#### 1." … "### 3." … "#### 4.",
        or a first question written as the H1): numbered next in the sequence, or asking
        when it has no number."""
        if self.question_level is None or h.level != self.question_level - 1:
            return False
        if not _names_question(h) or ln.section_kind(h.text) is not None:
            return False
        parsed = ln.heading_number(h.text)
        if parsed is None:
            return ln.heading_asks(h.text)
        last = next((d.number for d in reversed(self.drafts) if d.number is not None), 0)
        return parsed[0] == last + 1

    def _bullet_questions(self) -> dict[int, str]:
        """Questions written as top-level bullets ("- What is …?" with the answer on the next
        lines, or a question index of linked bullets), line -> question, when most top-level
        bullets ask. A bullet that does not ask is a question too when it has the shape of the
        asking ones around it — a link, or its answer indented under it — in a list (the
        bullets under one heading) where most ask; a link to a place in the document itself
        (`[运行时](#运行时)`) is a table of contents, never a question."""
        # per bullet: its line, the question it asks, whether it has the shape of a question
        # (a link to an answer page, or its answer indented under it), and whether it is a link
        # to an answer page whose text is a sentence
        groups: list[list[tuple[Line, str | None, bool, bool]]] = [[]]
        pages: list[bool] = []  # per link to an answer page: it asks
        for at, x in enumerate(self.lines):
            # a list ends at a heading or a rule ("---" then "相关链接：" and a reading list)
            if ln.heading(x) is not None or (x.structural and RULE.match(x.text)):
                groups.append([])
                continue
            if not x.structural or (match := TOP_BULLET.match(x.text)) is None:
                continue
            text = match.group("text").strip()
            if ANCHOR_LINK.match(text):
                continue
            nxt = self.lines[at + 1] if at + 1 < len(self.lines) else None
            indented = nxt is not None and not nxt.blank and nxt.text[:1] in (" ", "\t")
            link = LINK_ONLY.match(text)
            # a link to an answer page has the shape of a question; a link out to the web
            # that does not ask ("[Effective Go](https://go.dev/…)") is a reading list
            page = link is not None and not WEB_LINK.match(link.group("target"))
            question = _bullet_question(x)
            # longer than a page name or a section title
            sentence = page and len(_bullet_text(x)) > ln.SECTION_TITLE_MAX
            groups[-1].append((x, question, page or indented, sentence))
            if page:
                pages.append(question is not None)
        bullets = [b for g in groups for b in g]
        asking = sum(1 for _, q, _, _ in bullets if q is not None)
        if asking < 3 or asking < 0.5 * len(bullets):
            return {}
        out: dict[int, str] = {}
        # answers indented under their bullets: a bullet Q&A, even inside a "自测" section
        self.bullet_qa = sum(1 for _, _, shaped, _ in bullets if shaped) >= 2
        # a question index: links to answer pages that mostly ask, across the document — there
        # a link that tells a symptom in a sentence ("南方机房的考生改了手机号，刷新还是旧号码，
        # 要过好几分钟才变过来") is a question too, wherever it stands; a page name
        # ("贡献指南", "组内 Wiki：面试流程说明") is not
        index = len(pages) >= 3 and 2 * sum(pages) >= len(pages)
        for group in groups:
            mostly = 2 * sum(1 for _, q, _, _ in group if q is not None) >= len(group)
            for x, question, shaped, sentence in group:
                if question is None and ((mostly and shaped) or (index and sentence)):
                    question = _bullet_text(x)
                if question is not None:
                    out[x.no] = question
        return out

    def _inside_answer(self, h: ln.Heading, line: Line, current: _Draft | None) -> bool:
        """A question-shaped heading that belongs to the current answer: one whose number
        does not go forward (a list restarting at 1); in a document whose questions carry
        their labels (面试官 / 候选人回答区域 ...), also one whose own block has none, under a
        question whose answer area (a bare answer label) is still open."""
        if current is None or current.heading_level is None:
            return False
        parsed = ln.heading_number(h.text)
        if parsed is not None and current.number is not None and parsed[0] <= current.number:
            return True
        unlabelled = self.labelled_blocks is not None and line.no not in self.labelled_blocks
        return unlabelled and current.line in self.open_areas

    def _labelled_blocks(self) -> set[int] | None:
        """Lines of the question headings whose block (up to the next heading at their level
        or above) holds a prompt or answer label — when most question headings have one,
        else None (the document does not label its questions)."""
        if self.question_level is None:
            return None
        level = self.question_level
        # per heading at the question level or above: (line, names a question, labelled,
        # leaves a bare answer area open, ends an answer: a section or a higher heading)
        blocks: list[tuple[int, bool, bool, bool, bool]] = []
        body: list[Line] = []

        def close() -> None:
            if blocks:
                no, asks, _, _, ends = blocks[-1]
                labelled, open_area = _card_labels(body)
                blocks[-1] = (no, asks, labelled, open_area, ends)
            body.clear()

        for line in self.lines:
            h = ln.heading(line)
            if h is not None and h.level <= level:
                close()
                ends = h.level < level or ln.section_kind(h.text) is not None
                blocks.append((line.no, _names_question(h), False, False, ends))
                continue
            body.append(line)
        close()
        labelled_lines = {no for no, asks, labelled, _, _ in blocks if asks and labelled}
        self.open_areas = {no for no, asks, labelled, leaves_open, _ in blocks if leaves_open}
        # A question-shaped heading without labels right after a question whose answer area
        # is open (a bare `**候选人回答区域**:`) is a sub-heading of that answer, and does not
        # make the document look unlabelled.
        counted, open_area = 0, False
        for _, asks, labelled, leaves_open, ends in blocks:
            if not asks:
                open_area = open_area and not ends
                continue
            if labelled:
                counted += 1
                open_area = leaves_open
            elif not open_area:
                counted += 1
        if len(labelled_lines) < 3 or len(labelled_lines) < 0.6 * counted:
            return None
        return labelled_lines

    def _start(self, h: ln.Heading, line: Line, section: _Section) -> _Draft:
        parsed = ln.heading_number(h.text)
        number, title = parsed if parsed is not None else (None, h.text)
        draft = _Draft(number, line.no, title or h.text, section.title or None, h.level)
        self.drafts.append(draft)
        return draft

    @staticmethod
    def _heading_in_answer(h: ln.Heading, current: _Draft) -> bool:
        """A heading inside an answer: deeper than the question's, or at its level without
        naming a section; under a numbered-line question, only deep ones (#### and below)."""
        if current.heading_level is None:
            return h.level >= 4 and ln.section_kind(h.text) is None
        if h.level > current.heading_level:
            return True
        return (
            h.level == current.heading_level
            and ln.section_kind(h.text) is None
            and not ln.PART_LINE.match(h.text)
        )

    @staticmethod
    def _continues(
        n: ln.Numbered, numbering: tuple[str, int] | None, inner: tuple[str, int] | None
    ) -> bool:
        """A numbered line starts the next question when it continues the questions'
        numbering in their style and does not continue a list inside the current answer."""
        if numbering is None:
            return True
        style, last = numbering
        if n.delim != style or n.number != last + 1:
            return False
        return not (inner is not None and inner[0] == n.delim and n.number == inner[1] + 1)

    # ------------------------------------------------------------ sections

    def _report_skipped(self, sections: list[_Section]) -> None:
        has_h1 = any((h := ln.heading(x)) is not None and h.level == 1 for x in self.lines)
        first_line = next((x.no for x in self.lines if not x.blank), 0)
        for s in sections:
            text = [
                x
                for x in s.body
                if not x.blank
                and not RULE.match(x.text)
                and (has_h1 or x.no != first_line)  # the first line is the title then
            ]
            if s.kind == "meta":
                self.notice(
                    s.line,
                    f"section {s.title!r} is not a question: skipped",
                    f"「{s.title}」不是题目，已跳过",
                )
            elif s.kind not in ("quiz", "key") and text:
                first, last = text[0].no, text[-1].no
                # the notice carries its first line; the message names only a longer span
                span = f" (lines {first}-{last})" if last != first else ""
                where_zh = f"第 {first}–{last} 行" if last != first else f"第 {first} 行"
                self.notice(
                    first,
                    f"text outside any question{span}: skipped",
                    f"{where_zh}不属于任何题目，已跳过",
                )

    def _quiz(self, section: _Section) -> None:
        drafts: list[_Draft] = []
        for para in _split_at_numbers(_paragraphs(section.body)):
            first = para[0]
            n = ln.numbered(first)
            label = ln.label(first)
            text = "\n".join(x.text for x in para).strip()
            answers = label is not None and label[0] in ("answer", "notes")
            if answers and drafts and drafts[-1].answer is None and label is not None:
                drafts[-1].answer = (_join(label[1], para[1:]), first.no)
                continue
            asked = [x.text for x in para]
            at = next((i for i, x in enumerate(para) if _is_answer_label(x)), None)
            if at is not None:
                asked = asked[:at]
            if n is not None or (asked and _quiz_shaped(asked)):
                drafts.append(self._quiz_question(para, n, len(drafts) + 1, section.title))
                continue
            if drafts and drafts[-1].answer is None and not ln.is_placeholder(text):
                drafts[-1].answer = (text, first.no)  # a bare paragraph after a quiz question
                continue
            self.notice(
                first.no,
                "quiz text that is not a question: skipped",
                "测验中不是题目的文字，已跳过",
            )
        self.drafts.extend(drafts)
        self.quizzes.append((section.line, drafts))

    @staticmethod
    def _quiz_question(
        para: list[Line], n: ln.Numbered | None, position: int, section: str
    ) -> _Draft:
        """A quiz question paragraph, possibly with its answer on an `A:` line."""
        rest = para[1:]
        answer_at = next((i for i, x in enumerate(rest) if _is_answer_label(x)), None)
        asked = rest if answer_at is None else rest[:answer_at]
        head = n.rest if n is not None else ln.strip_emphasis(para[0].text)
        tag, title = ln.split_tag(" ".join([head, *(x.text.strip() for x in asked)]).strip())
        draft = _Draft(
            n.number if n else position, para[0].no, title, section, None, tag=tag, quiz=True
        )
        if answer_at is not None:
            lab = ln.label(rest[answer_at])
            assert lab is not None
            draft.answer = (_join(lab[1], rest[answer_at + 1 :]), rest[answer_at].no)
        return draft

    def _answer_key(self, section: _Section) -> None:
        entries = _key_entries(section.body)
        if not entries:
            self.notice(
                section.line,
                f"answer key {section.title!r} has no entries",
                f"答案部分「{section.title}」是空的",
                "warning",
            )
            return
        targets = self._key_targets(section.line)
        if all(number is not None for number, _, _ in entries):
            self._pair_by_number(entries, targets)
        else:
            self._pair_in_order(section, targets)

    def _pair_by_number(
        self, entries: list[tuple[int | None, str, int]], targets: list[_Draft]
    ) -> None:
        by_number = {d.number: d for d in targets}
        paired = 0
        for number, text, line in entries:
            draft = by_number.get(number)
            if draft is None or draft.reference is not None:
                self.notice(
                    line,
                    "answer-key entry matches no question",
                    "这条答案对不上任何题目",
                    "warning",
                )
                continue
            draft.reference = (text, line)
            paired += 1
        if paired != len(targets):
            self.notice(
                entries[0][2],
                f"the answer key pairs {paired} entries with {len(targets)} questions; "
                "the others have no reference answer",
                f"答案部分只配上了 {paired} 条（共 {len(targets)} 道题），其余题目没有参考答案",
                "warning",
            )

    def _pair_in_order(self, section: _Section, targets: list[_Draft]) -> None:
        """An unnumbered key: as many entries as the quiz has questions, in order."""
        units = _key_units(section.body)
        if len(units) < len(targets):  # a compact key: an entry per line or list item
            units = _key_units(section.body, by_line=True)
        if not targets:
            self.notice(
                units[0].line, "answer-key entry matches no question", "这条答案对不上任何题目",
                "warning",
            )  # fmt: skip
            return
        groups = keyalign.align([f"{d.title}\n{_text(d.body)}" for d in targets], units)
        for draft, group in zip(targets, groups, strict=True):
            if group:
                text = "\n\n".join(u.text for u in group).strip()
                draft.reference = (text, group[0].line)
        if len(units) != len(targets):
            empty = sum(1 for g in groups if not g)
            self.notice(
                section.line,
                f"the answer key has {len(units)} paragraphs and code blocks for "
                f"{len(targets)} questions: grouped by topic into {len(targets) - empty} "
                f"entries, in order"
                + (f"; {empty} question{'s have' if empty > 1 else ' has'} none" if empty else ""),
                f"答案部分有 {len(units)} 段（含代码块），题目有 {len(targets)} 道：按内容分成 "
                f"{len(targets) - empty} 条，按顺序配对"
                + (f"；{empty} 道题没有答案" if empty else ""),
                "warning",
            )

    def _key_targets(self, key_line: int) -> list[_Draft]:
        """The questions an answer key answers: the last quiz before it, else every question
        before it that has no reference yet."""
        quizzes = [qs for at, qs in self.quizzes if at < key_line and qs]
        pool = quizzes[-1] if quizzes else [d for d in self.drafts if d.line < key_line]
        return [d for d in pool if d.reference is None]

    # ------------------------------------------------------------ one question

    def _finish(self, index: int, draft: _Draft) -> DocQuestion:
        own = body = _before_closing_note(draft.body)
        options = choice.options_in(body)
        correct: list[str] = []
        if options:
            correct, body = choice.correct_in(body, after=max(options))
            correct = correct or self.choice_key.get(draft.number or -1, [])
        regions = _regions(body, draft.title, frozenset(options))
        for start in regions.comments:
            self.notice(
                start, "interviewer's comment kept out of the answer", "面试官的点评不计入回答"
            )
        prompt_parts = [draft.title, *regions.prompt]
        prompt = "\n".join(p for p in prompt_parts if p.strip()).strip()
        answer_text, answer_line = regions.answer, regions.answer_line
        if draft.answer is not None:
            answer_text, answer_line = draft.answer
        question = DocQuestion(
            index=index + 1,
            number=draft.number,
            line=draft.line,
            section=draft.section or None,
            quiz=draft.quiz,
            tag=draft.tag,
            title=ln.strip_emphasis(draft.title) or (prompt.splitlines() or ["?"])[0],
            prompt=prompt or draft.title,
            prompt_en=regions.prompt_en or None,
            end_line=next(
                (x.no for x in reversed(own) if not x.blank and not RULE.match(x.text)),
                draft.line,
            ),
        )
        reference = regions.reference or None
        reference_line = regions.reference_line
        if draft.reference is not None:
            reference, reference_line = draft.reference
        if reference is not None and (not _meaningful(reference) or ln.is_placeholder(reference)):
            reference, reference_line = None, None  # a key left for later: "**解答：** （待整理）"
        question.reference, question.reference_line = reference, reference_line
        stripped = _meaningful(answer_text)
        if not stripped:
            question.unanswered = "empty" if regions.answer_area else "no answer"
        elif ln.is_placeholder(answer_text):
            question.unanswered = "placeholder"
        else:
            question.answer, question.answer_line = answer_text.strip("\n"), answer_line
        if options:
            question.choice = Choice(
                options=dict(options.values()),
                correct=correct,
                picked=choice.picked(question.answer) if question.answer else None,
            )
        return question

    def _title(self) -> str | None:
        asked = {d.line for d in self.drafts}
        for line in self.lines:
            h = ln.heading(line)
            if h is not None and h.level == 1 and line.no not in asked:
                return h.text or None
        first = next((x for x in self.lines if not x.blank), None)
        if first is None or first.no in asked or ln.heading(first) is not None:
            return None
        return ln.strip_emphasis(first.text)[:120]


# ---------------------------------------------------------------- helpers


@dataclass
class _Regions:
    prompt: list[str] = field(default_factory=list)
    prompt_en: str = ""
    answer: str = ""
    answer_line: int | None = None
    answer_area: bool = False  # an answer label or fenced area was present
    reference: str = ""
    reference_line: int | None = None
    comments: list[int] = field(default_factory=list)  # lines of interviewer comments


def _regions(body: list[Line], title: str = "", options: frozenset[int] = frozenset()) -> _Regions:
    """Split a question's body by its labels. A label with text on its own line covers its
    paragraph; a bare label (`**候选人回答区域**:`) covers everything up to the next label.
    Unlabelled text before an answer label is more prompt; without any answer label it is the
    answer — except code that the question shows ("写出下面代码输出内容。" + a code block, then
    `**考点：**` / `**解答：**`), which is prompt. The lines of a choice question's options
    (`options`) are prompt, never labels; a `考点` (topic) paragraph is dropped."""
    labels = [lab[0] for x in body if x.no not in options and (lab := ln.label(x)) is not None]
    labelled = "answer" in labels
    shows_code = not labelled and _shows_code(body, title, labels)
    parts: dict[str, list[tuple[int, str]]] = {}
    region, paragraph_only = "unlabelled", False
    out = _Regions()
    for line in body:
        if line.structural and RULE.match(line.text):
            continue
        if line.no in options:
            parts.setdefault("options", []).append((line.no, line.text))
            continue
        lab = ln.label(line)
        if lab is None and line.structural and ln.section_kind(line.text) == "key":
            lab = ("reference", "")  # a bare "参考答案" / "Answer key" line
        if lab is not None and lab[0] == "notes" and region == "reference":
            lab = None  # "答案 / 要点：1. … 2. …": the key points of the reference, not an answer
        if lab is not None:
            region, rest = lab
            paragraph_only = bool(rest) and region in ("prompt", "prompt_en", "comment", "topic")
            if region == "comment":
                out.comments.append(line.no)
            if region in ("answer", "notes"):
                out.answer_area = True
            if rest:
                parts.setdefault(region, []).append((line.no, rest))
            else:
                parts.setdefault(region, [])
            continue
        if line.blank and paragraph_only:
            region, paragraph_only = "unlabelled", False
        if line.fence is not None and region in ("unlabelled",) and not labelled:
            out.answer_area = not shows_code
        parts.setdefault(region, []).append((line.no, line.text))
    unlabelled = parts.get("unlabelled", [])
    answer = [*parts.get("answer", []), *parts.get("notes", [])]
    if shows_code:
        out.prompt.extend(t for _, t in unlabelled if t.strip())
        unlabelled = []
    out.prompt.extend(t.strip() for _, t in parts.get("options", []))
    if not labelled and parts.get("reference"):
        # "## 秒杀怎么设计？ / 100 万人抢，每层怎么削峰？ / <details>答案…": a short paragraph
        # that asks, before the hidden answer, is the question going on
        first = _first_paragraph(unlabelled)
        text = " ".join(t.strip() for _, t in first)
        if first and len(text) <= 200 and ln.asks(text):
            out.prompt.extend(t for _, t in first if t.strip())
            unlabelled = unlabelled[len(first) :]
    if not labelled:
        answer = unlabelled + answer
        if any(t.strip() for _, t in unlabelled):
            out.answer_area = True
    else:
        out.prompt.extend(t for _, t in unlabelled if t.strip())
    out.prompt[:0] = [t for _, t in parts.get("prompt", []) if t.strip()]
    out.prompt_en = " ".join(t.strip() for _, t in parts.get("prompt_en", []) if t.strip())
    answer.sort()
    out.answer = textwrap.dedent("\n".join(t for _, t in answer))
    out.answer_line = next((no for no, t in answer if t.strip()), None)
    reference = parts.get("reference", [])
    out.reference = textwrap.dedent("\n".join(t for _, t in reference)).strip()
    out.reference_line = next((no for no, t in reference if t.strip()), None)
    return out


def _first_paragraph(rows: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """The rows up to and including the first paragraph (leading blank rows too)."""
    out: list[tuple[int, str]] = []
    for no, text in rows:
        if not text.strip() and any(t.strip() for _, t in out):
            break
        out.append((no, text))
    return out if any(t.strip() for _, t in out) else []


TOP_BULLET = re.compile(r"^[-*+]\s+(?P<text>\S.*)$")
# a link text may hold one level of brackets: "[`[]byte(s)` 何时拷贝？](…)", "[Pointer[T]](…)"
_LINK_TEXT = r"(?:[^\[\]]|\[[^\[\]]*\])+"
LINK_ONLY = re.compile(rf"^\[(?P<text>{_LINK_TEXT})\]\((?P<target>[^)]*)\)\s*$")
WEB_LINK = re.compile(r"^\s*<?(?:https?:)?//", re.IGNORECASE)
ANCHOR_LINK = re.compile(rf"^\[{_LINK_TEXT}\]\(#[^)]*\)\s*$")  # a table of contents entry


def _asks_after_placeholder(h: ln.Heading, current: _Draft) -> bool:
    """A deeper heading that asks, under a question whose answer is only a placeholder
    ("> **Answer:** _coming soon_"): an answer with nothing in it has no sub-headings, so the
    heading is the next question, written a level lower."""
    if current.heading_level is None or h.level <= current.heading_level:
        return False
    if not (_names_question(h) and ln.asks(h.text)) or ln.section_kind(h.text) is not None:
        return False
    answer = _regions(current.body, current.title).answer
    return bool(_meaningful(answer)) and ln.is_placeholder(answer)


def _bullet_text(line: Line) -> str:
    """What a top-level bullet says: its text, or a bare link's text (a question index)."""
    match = TOP_BULLET.match(line.text)
    text = match.group("text").strip() if match is not None else line.text.strip()
    link = LINK_ONLY.match(text)
    return ln.strip_emphasis(link.group("text") if link is not None else text)


def _bullet_question(line: Line) -> str | None:
    """The question a top-level bullet asks, or None: it ends in ? or starts like a question
    (a bare link's text too)."""
    if not line.structural or TOP_BULLET.match(line.text) is None:
        return None
    text = _bullet_text(line)
    starts = ln.ASKING_LEAD.match(text) or ln.ASKING_AUX.match(text)
    if ln.asks(text) or (starts and len(text) <= 200):
        return text
    return None


CODE_REFERENCE = re.compile(
    r"下面|以下|下列|如下|这段|这个程序|输出|打印|following|below|this\s+(?:code|program|snippet|function)|"
    r"\bprint|\boutput",
    re.IGNORECASE,
)


def _shows_code(body: list[Line], title: str, labels: list[str]) -> bool:
    """The question shows code before its labels: a fenced block first, then a reference or
    topic label, and a title that points at the code (or a topic label, which only notes of
    this shape use)."""
    first_label = next((i for i, x in enumerate(body) if ln.label(x) is not None), None)
    if first_label is None or not ({"reference", "topic"} & set(labels)):
        return False
    lead = body[:first_label]
    if not any(x.fence is not None for x in lead):
        return False
    return "topic" in labels or bool(CODE_REFERENCE.search(title))


STATEMENT_MIN = 40  # characters: a heading that tells a whole situation, not a topic


def _tells_a_situation(text: str) -> bool:
    text = ln.strip_emphasis(text).strip()
    return (
        len(text) > STATEMENT_MIN
        and not text.endswith((":", "："))
        and ln.section_kind(text) is None
    )


def _names_question(h: ln.Heading) -> bool:
    """A heading that asks: numbered, or ending in a question mark, and no section name."""
    if ln.section_kind(h.text) in ("meta", "key"):
        return False
    return ln.heading_number(h.text) is not None or ln.heading_asks(h.text)


def _tagged_lines(body: list[Line]) -> bool:
    """A section of one-line items with a topic prefix ("（Kafka） 消费者组里…？"), at least
    three and most of its lines: a quiz whatever its heading says ("Cards", "复习")."""
    lines = [x for x in body if not x.blank and x.fence is None]
    tagged = sum(1 for x in lines if ln.split_tag(ln.strip_emphasis(x.text))[0] is not None)
    return tagged >= 3 and 2 * tagged > len(lines)


def _quiz_shaped(asked: list[str]) -> bool:
    """A quiz item by its shape: it asks (ends in ?), or it is one line that carries a topic
    prefix `（并发）` or a question mark inside ("…？举一个例子。"), whatever its last mark."""
    text = "\n".join(asked).strip()
    if ln.asks(text):
        return True
    if len(asked) != 1 or len(text) > 200:
        return False
    tag, rest = ln.split_tag(ln.strip_emphasis(text))
    return bool(rest) and (tag is not None or "？" in rest or "?" in rest)


def _card_labels(body: list[Line]) -> tuple[bool, bool]:
    """(the block carries a question's labels, it ends inside a bare answer area). A question
    card is labelled by its prompt, answer, reference or topic label, by a correct-answer
    heading (`### 正确答案：C`) or by its choice options (`A: ...` lines are options there, not
    answers)."""
    options = choice.options_in(body)
    labelled, open_area = bool(options), False
    for line in body:
        if line.no in options:
            continue
        h = ln.heading(line)
        lab = ln.label(Line(line.no, h.text, None)) if h is not None else ln.label(line)
        if lab is None:
            continue
        if lab[0] in ("prompt", "answer", "reference", "topic"):
            labelled = True
        open_area = lab[0] == "answer" and not lab[1] if h is None else open_area
    return labelled, open_area


def _is_answer_label(line: Line) -> bool:
    lab = ln.label(line)
    return lab is not None and lab[0] == "answer"


def _meaningful(text: str) -> str:
    return "\n".join(x for x in text.splitlines() if x.strip() and not ln.FENCE.match(x)).strip()


def _join(first: str, rest: list[Line]) -> str:
    return "\n".join([first, *(x.text for x in rest)]).strip()


# "---" then "**Overall**: strong on caching…" / "面试评价：…" / "Closing note from the
# interviewer: …" / "_Prep notes from the platform team, autumn 2026._": the closing note
CLOSING_LABEL = re.compile(
    r"^(?:overall|evaluation|summary|verdict|feedback|"
    r"(?:[\w'-]+\s+){1,2}(?:notes?|remarks?)(?:\s+(?:from|by|for)\s+[^:：\n]{1,60})?|"
    r"debrief|总结|总评|整体评价|"
    r"面试评价|面试总结|面试官评价|综合评价|结论)\s*(?:[(（][^)）]*[)）])?\s*[:：]"
    r"|^(?:[\w'-]+\s+){0,2}notes?\s+(?:from|by|for)\s",
    re.IGNORECASE,
)


def _before_closing_note(body: list[Line]) -> list[Line]:
    """The question's lines up to a separator that opens the document's closing note: a rule
    whose next paragraph starts with a label such as "Overall:" or "面试评价：" ends the last
    answer. Without the rule, such a line is the candidate's own and stays."""
    for at, line in enumerate(body):
        if not (line.structural and RULE.match(line.text)):
            continue
        following = next((x for x in body[at + 1 :] if not x.blank), None)
        if (
            following is not None
            and following.structural
            and CLOSING_LABEL.match(ln.strip_emphasis(following.text))
        ):
            return body[:at]
    return body


def _paragraphs(body: list[Line]) -> list[list[Line]]:
    """Runs of non-blank lines; a fenced block stays in one paragraph, blank lines and all."""
    out: list[list[Line]] = []
    current: list[Line] = []
    for line in body:
        if line.blank and line.fence is None:
            if current:
                out.append(current)
                current = []
            continue
        if line.structural and RULE.match(line.text):
            continue
        current.append(line)
    if current:
        out.append(current)
    return out


def _split_at_numbers(paragraphs: list[list[Line]]) -> list[list[Line]]:
    """A quiz written as consecutive numbered lines, or as consecutive lines that each carry
    a topic prefix (`（MySQL） …`), is one question per line."""
    out: list[list[Line]] = []
    for para in paragraphs:
        chunk: list[Line] = []
        tagged = len(para) > 1 and all(
            x.structural and ln.split_tag(ln.strip_emphasis(x.text))[0] is not None for x in para
        )
        for line in para:
            n = ln.numbered(line)
            if chunk and (tagged or (n is not None and n.indent <= 3)):
                out.append(chunk)
                chunk = []
            chunk.append(line)
        out.append(chunk)
    return out


def _key_entries(body: list[Line]) -> list[tuple[int | None, str, int]]:
    """(number or None, text, line) per answer-key entry: numbered items when it has them,
    else one entry per paragraph (a fenced block joins the entry before it)."""
    paragraphs = _paragraphs(body)
    if _numbered_key(paragraphs):
        entries: list[tuple[int | None, str, int]] = []
        for line in (x for p in paragraphs for x in p):
            n = ln.numbered(line)
            if n is not None and n.indent <= 3:
                entries.append((n.number, n.rest, line.no))
            elif entries:
                number, text, at = entries[-1]
                entries[-1] = (number, text + "\n" + line.text, at)
        return entries
    return [(None, u.text, u.line) for u in _key_units(body)]


def _key_units(body: list[Line], *, by_line: bool = False) -> list[keyalign.Unit]:
    """The paragraphs and fenced blocks of an unnumbered key, a leading label dropped; a
    remark written right under a code block, with no blank line, stays with the block, and
    a code block stays with the paragraph that introduces it ("…原子地删除："). `by_line`:
    each top-level line or list item of a paragraph on its own (a compact key)."""
    out: list[keyalign.Unit] = []
    rules = [x.no for x in body if x.structural and RULE.match(x.text)]
    last_line, after_code = 0, False
    chunks = paragraphs_and_fences(body)
    if by_line:
        chunks = [c for p in chunks for c in _top_level_lines(p)]
    for p in chunks:
        text = "\n".join(x.text for x in p).strip()
        if not text:
            continue
        label = ln.label(p[0])
        if label is not None:
            text = _join(label[1], p[1:])
        code = p[0].fence is not None
        after_rule = any(last_line < no < p[0].no for no in rules)
        glued = after_code and not code and p[0].no == last_line + 1
        # "…原子地删除：" / "Acceptable cases:" introduces the code or list under it
        introduced = out and not out[-1].code and out[-1].text.endswith((":", "："))
        last_line, after_code = p[-1].no, code
        if (glued or introduced) and not after_rule:
            out[-1] = keyalign.Unit(
                out[-1].text + "\n\n" + text, out[-1].line, out[-1].code,
                out[-1].after_rule, out[-1].labelled,
            )  # fmt: skip
            continue
        out.append(keyalign.Unit(text, p[0].no, code, after_rule, label is not None))
    return out


def _top_level_lines(para: list[Line]) -> list[list[Line]]:
    """A paragraph cut at each line that is not indented (its nested lines stay with it); a
    fenced block stays whole."""
    if para[0].fence is not None:
        return [para]
    out: list[list[Line]] = []
    for line in para:
        if out and line.text[:1] in (" ", "\t"):
            out[-1].append(line)
        else:
            out.append([line])
    return out


def _numbered_key(paragraphs: list[list[Line]]) -> bool:
    """A key numbered by entry opens with a numbered entry (after at most a one-line intro,
    "以下为参考答案："); numbers that first appear further down are a list inside an
    unnumbered entry ("大致按这个顺序：" then "1. … 2. …")."""
    for at, para in enumerate(paragraphs):
        if ln.numbered(para[0]) is not None:
            return at == 0 or (at == 1 and len(paragraphs[0]) == 1)
    return False


def paragraphs_and_fences(body: list[Line]) -> list[list[Line]]:
    """Paragraphs, with each fenced block a paragraph of its own."""
    out: list[list[Line]] = []
    for para in _paragraphs(body):
        chunk: list[Line] = []
        for line in para:
            starts_fence = line.fence is not None and (not chunk or chunk[-1].fence != line.fence)
            ends_fence = chunk and chunk[-1].fence is not None and line.fence != chunk[-1].fence
            if chunk and (starts_fence or ends_fence):
                out.append(chunk)
                chunk = []
            chunk.append(line)
        if chunk:
            out.append(chunk)
    return out


def _text(body: list[Line]) -> str:
    return "\n".join(x.text for x in body if not x.blank)
