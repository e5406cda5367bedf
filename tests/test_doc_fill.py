"""`grade doc FILE --fill OUT.md` (issue 13): the document written back with a 点评 block under
each answer and its own evaluation template ticked from the computed ratings; a record with a
composite question and an answer whose sub-headings restart at 1; complete Go programs built
and vetted in the sandbox."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cli_helpers import run_cli
from gointerview.grading.code.toolchain import Toolchain

DOCS = Path(__file__).parent / "data" / "docs"
RECORD = DOCS / "record-round-two.zh.md"


def fill(source: Path, target: Path, *extra: str) -> dict[str, object]:
    proc = run_cli(
        "grade", "doc", str(source), "--fill", str(target), "--json", "--no-build", *extra,
        timeout=180,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    out: dict[str, object] = json.loads(proc.stdout)
    return out


def test_fill_writes_a_review_under_each_answer_and_ticks_the_template(tmp_path: Path) -> None:
    target = tmp_path / "filled.md"
    out = fill(RECORD, target)
    original = RECORD.read_text(encoding="utf-8").splitlines()
    filled = target.read_text(encoding="utf-8").splitlines()
    # every original line is still there, in order (template lines are ticked in place)
    kept = iter(filled)
    for line in original:
        if "[ ] 精通" in line:
            continue
        assert any(line == f for f in kept), line
    reviews = [i for i, line in enumerate(filled) if line.startswith("> **点评（gointerview）**")]
    assert len(reviews) == out["questions"] == 10
    # the composite question: graded part by part, reported together, under its own answer
    composite = next(i for i in reviews if "第 1 部分" in "".join(filled[i : i + 3]))
    assert "readerCount" in "\n".join(filled[composite - 3 : composite])
    parts = "\n".join(filled[composite : composite + 4])
    assert "lang.sync.once-semantics" in parts and "第 2 部分" in parts
    # the sub-headed answer stays one answer: its review comes after "### 3. timerCtx"
    context = filled.index("### 3. timerCtx")
    next_review = min(i for i in reviews if i > context)
    assert next_review < filled.index("### 5. 垃圾回收")
    assert "✓" in filled[next_review + 1]  # a hit, with the candidate's words quoted
    assert re.search(r"“[^”]+”", filled[next_review + 1])
    # the document's own template: one box ticked per evidenced dimension
    rows = [line for line in filled if "[ ] 熟练" in line or "[x]" in line]
    go_row = next(line for line in rows if "Go语言高级特性" in line)
    assert go_row.count("[x]") == 1
    open_rows = [line for line in rows if "证据不足" in line]
    assert all("[x]" not in line for line in open_rows)
    assert any(line.startswith("> **综合（gointerview）**") for line in filled)


def test_fill_appends_the_syllabus_template_when_the_document_has_none(tmp_path: Path) -> None:
    target = tmp_path / "filled.md"
    fill(DOCS / "record-headings-en.md", target)
    text = target.read_text(encoding="utf-8")
    assert "## Evaluation (gointerview, from the answers in this document)" in text
    assert text.count("[x]") >= 1
    assert "> **Overall (gointerview)**: " in text
    # filled again: the appended template is now the document's, ticked again, not doubled
    again = tmp_path / "again.md"
    fill(target, again)
    twice = again.read_text(encoding="utf-8")
    assert twice.count("## Evaluation (gointerview") == 1
    assert twice.count("> **Overall (gointerview)**") == 1
    assert twice.count("> **Review (gointerview)**") == text.count("> **Review (gointerview)**")


def test_fill_keeps_windows_line_endings(tmp_path: Path) -> None:
    source = DOCS / "record-messy-crlf.zh.md"
    target = tmp_path / "filled.md"
    fill(source, target)
    data = target.read_bytes()
    assert b"\r\n" in data and data.count(b"\n") == data.count(b"\r\n")


def test_fill_never_overwrites_without_force(tmp_path: Path) -> None:
    own = tmp_path / "record.md"
    own.write_bytes(RECORD.read_bytes())
    proc = run_cli("grade", "doc", str(own), "--fill", str(own), "--no-build", timeout=180)
    assert proc.returncode == 1 and "is the document itself" in proc.stderr
    assert own.read_bytes() == RECORD.read_bytes()
    other = tmp_path / "out.md"
    other.write_text("keep me\n", encoding="utf-8")
    proc = run_cli("grade", "doc", str(own), "--fill", str(other), "--no-build", timeout=180)
    assert proc.returncode == 1 and "--force" in proc.stderr
    assert other.read_text(encoding="utf-8") == "keep me\n"
    fill(own, own, "--force")
    assert "点评（gointerview）" in own.read_text(encoding="utf-8")


def test_filling_a_filled_document_again_replaces_its_reviews(tmp_path: Path) -> None:
    own = tmp_path / "record.md"
    own.write_bytes(RECORD.read_bytes())
    first = fill(own, own, "--force")
    once = own.read_text(encoding="utf-8")
    second = fill(own, own, "--force")
    again = own.read_text(encoding="utf-8")
    assert again.count("> **点评（gointerview）**") == first["questions"] == second["questions"]
    assert again.count("> **综合（gointerview）**") == 1
    assert again == once  # the same answers, the same reviews: nothing stacks


def test_the_review_lists_what_was_said_in_part(tmp_path: Path) -> None:
    target = tmp_path / "filled.md"
    out = fill(RECORD, target)
    listed = out["items"]
    assert isinstance(listed, list)
    items = [i for i in listed if i.get("partial")]
    assert items, "the record has answers that cover a point in part"
    text = target.read_text(encoding="utf-8")
    for point in items[0]["partial"]:
        assert f"> - ~ 不完整：{point}" in text


def test_an_english_review_uses_english_punctuation(tmp_path: Path) -> None:
    target = tmp_path / "filled.md"
    fill(DOCS / "record-headings-en.md", target)
    text = target.read_text(encoding="utf-8")
    assert "> **Review (gointerview)**: " in text
    assert "Review（" not in text and "）**：" not in text and "；" not in text
    assert not any(level in text for level in ("精通", "熟练", "了解", "欠缺"))  # English levels


BROKEN = """### 1. 写一个程序：并发累加 1 到 100

**候选人回答区域**:

```go
package main

import "fmt"

func main() {
\ttotal := 0
\tfor i := 1; i <= 100; i++ {
\t\ttotal += i
\t}
\tfmt.Println(totl)
}
```

### 2. 写一个 worker pool

**候选人回答区域**:

```go
package main

import (
\t"fmt"
\t"sync"
)

func main() {
\tvar wg sync.WaitGroup
\tjobs := make(chan int)
\tfor w := 0; w < 3; w++ {
\t\twg.Add(1)
\t\tgo func() {
\t\t\tdefer wg.Done()
\t\t\tfor j := range jobs {
\t\t\t\tfmt.Printf("%d\\n", j, w)
\t\t\t}
\t\t}()
\t}
\tclose(jobs)
\twg.Wait()
}
```

### 3. 片段

**候选人回答区域**:

```go
mu.Lock()
defer mu.Unlock()
```
"""


@pytest.mark.sandbox
def test_complete_programs_are_built_and_vetted_with_their_lines(
    tmp_path: Path, go_toolchain: Toolchain
) -> None:
    doc = tmp_path / "code.md"
    doc.write_text(BROKEN, encoding="utf-8")
    env = {"GOINTERVIEW_DATA_DIR": str(go_toolchain.cache_root.parent)}
    proc = run_cli("grade", "doc", str(doc), "--json", env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    items = json.loads(proc.stdout)["items"]
    broken, vetted, fragment = (i["code"] for i in items)
    assert broken["built"] is False
    assert broken["errors"] == ["main.go:10:14: undefined: totl"]
    assert vetted["built"] is True and vetted["vet_ok"] is False
    assert any(v.startswith("main.go:16:") and "Printf" in v for v in vetted["vet"])
    assert fragment is None  # a fragment is graded as text, not built
    page = run_cli("grade", "doc", str(doc), env=env, timeout=300).stdout
    assert "`main.go:10:14: undefined: totl`" in page


def test_fill_ticks_a_template_drawn_with_box_glyphs_in_its_own_style(tmp_path: Path) -> None:
    source = tmp_path / "glyphs.zh.md"
    source.write_text(
        "# 一面记录\n\n### 1. GMP 模型里 P 是做什么的？\n\n**候选人回答**：\n\n"
        "P 是处理器，持有本地运行队列，数量等于 GOMAXPROCS；M 要拿到 P 才能跑 G，"
        "系统调用阻塞时 P 会交给别的 M。\n\n---\n\n## 面试评价\n\n"
        "1. Go 语言基础　□精通 □熟练 □了解 □欠缺\n"
        "2. 问题排查　□精通 □熟练 □了解 □欠缺\n\n"
        "| Area | Expert | Proficient | Familiar | Lacking |\n|---|---|---|---|---|\n"
        "| Concurrency | ☐ | ☐ | ☐ | ☐ |\n\n"
        "是否进入下一轮：☐ 是 ☐ 否\n",
        encoding="utf-8",
    )
    target = tmp_path / "filled.md"
    fill(source, target)
    filled = target.read_text(encoding="utf-8").splitlines()
    go_row = next(line for line in filled if line.startswith("1. Go 语言基础"))
    assert go_row.count("■") == 1 and go_row.count("□") == 3  # the document's own squares
    table_row = next(line for line in filled if line.startswith("| Concurrency"))
    assert table_row.count("☑") == 1 and table_row.count("☐") == 3
    # a dimension the answer says nothing of is left open, and says why
    troubleshooting = next(line for line in filled if line.startswith("2. 问题排查"))
    assert "■" not in troubleshooting and "证据不足" in troubleshooting
    # two boxes are a verdict, not a template row: left as written
    assert "是否进入下一轮：☐ 是 ☐ 否" in filled
    assert not any("[x]" in line or "[ ]" in line for line in filled)
