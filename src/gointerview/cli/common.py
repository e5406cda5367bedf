"""Shared CLI plumbing: consoles, config, bank loading, JSON output."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console

from gointerview.config import Config, load_config
from gointerview.errors import GointerviewError

if TYPE_CHECKING:  # the bank loads in ~0.3 s: only commands that use it pay for it
    from gointerview.bank import Bank

console = Console(highlight=False)
console_err = Console(stderr=True, highlight=False)


def config() -> Config:
    return load_config()


def bank() -> Bank:
    """The built-in bank plus the user's configured banks; errors are raised, listed."""
    from gointerview.bank import load_bank

    return load_bank(extra=config().banks)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


MAX_INPUT_BYTES = 50 * 1024 * 1024


def read_text(path: Path, *, what: str = "file", limit: int = MAX_INPUT_BYTES) -> str:
    """A user's text file as UTF-8, or one clear error: missing, too large, or not UTF-8 (with
    the line and byte where decoding failed)."""
    try:
        size = path.stat().st_size
        if size > limit:
            raise GointerviewError(f"{path}: {what} of {size:,} bytes is over the {limit:,} limit")
        data = path.read_bytes()
    except OSError as exc:
        raise GointerviewError(f"cannot read {path}: {exc.strerror}") from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise GointerviewError(
            f"{path}:{line}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            f"save the {what} as UTF-8"
        ) from exc


def keep_lines(markdown: str) -> str:
    """Markdown whose line breaks survive rendering: a prompt quoting tool output line by line
    (`-gcflags=-m` diagnostics) must not be run together into one paragraph. Code fences are
    left as they are."""
    out, fenced = [], False
    for line in markdown.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
            out.append(line)
        elif fenced or not line.strip():
            out.append(line)
        else:
            out.append(line.rstrip() + "  ")
    return "\n".join(out)


def write_atomic(path: Path, text: str) -> None:
    """Replace the file in one step: a crash mid-write never leaves half a file."""
    tmp = path.with_name(path.name + ".tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        raise GointerviewError(f"cannot write {path}: {exc.strerror}") from exc


def write_output(text: str, output: Path | None) -> None:
    """To stdout, or to a file (and say so on stderr)."""
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise GointerviewError(f"cannot write {output}: {exc.strerror}") from exc
    console_err.print(f"wrote {output}")


def grading_backends() -> dict[str, Any]:
    """The optional embedder and judge the user configured (keyword arguments for
    grade_text); none by default — the offline grader needs neither."""
    import os

    cfg = config()
    out: dict[str, Any] = {}
    if cfg.embedder:
        from gointerview.grading.text.bert import NumpyBertEmbedder

        out["embedder"] = NumpyBertEmbedder(cfg.embedder)
    if cfg.judge_url and cfg.judge_model:
        from gointerview.grading.text.judge import OpenAICompatibleJudge

        out["judge"] = OpenAICompatibleJudge(
            base_url=cfg.judge_url,
            model=cfg.judge_model,
            api_key=os.environ.get("GOINTERVIEW_JUDGE_API_KEY"),
            timeout=cfg.judge_timeout,
        )
    return out
