"""`gointerview users ...` and `gointerview serve`, run as a user runs them."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from cli_helpers import run_cli
from gointerview.errors import GointerviewError


def _env(tmp_path: Path, cache: Path) -> dict[str, str]:
    return {
        "GOINTERVIEW_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}",
        "GOINTERVIEW_CACHE_DIR": str(cache),
    }


def _users(
    env: dict[str, str], *args: str, password: str | None = None
) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "NO_COLOR": "1", **env}
    proc = subprocess.run(
        [sys.executable, "-m", "gointerview", "users", *args],
        input=password,
        capture_output=True,
        text=True,
        env=full,
        timeout=60,
        check=False,
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def test_users_add_list_passwd_remove(
    tmp_path: Path, _bank_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = _env(tmp_path, _bank_cache)
    # as a user runs it: a real process, the password on stdin, errors in one line
    added = _users(
        env, "add", "ada", "--role", "admin", "--password-stdin", password="s3cret-pass\n"
    )
    assert added.returncode == 0, added.stderr
    assert "requires sign-in" in added.stdout  # the first account switches local mode off
    again = _users(env, "add", "ada", "--password-stdin", password="s3cret-pass\n")
    assert again.returncode == 1 and again.stderr.count("\n") == 1
    assert "already exists" in again.stderr
    # the rest in-process (each process start costs a second or more)
    from typer.testing import CliRunner

    from gointerview.cli import app

    for name, value in env.items():
        monkeypatch.setenv(name, value)
    runner = CliRunner()

    def users(*args: str, password: str = "long-enough-1\n") -> Any:
        return runner.invoke(app, ["users", *args], input=password)

    assert users("add", "bo", "--password-stdin", password="another-pass\n").exit_code == 0
    listed = json.loads(users("list", "--json").stdout)
    assert [(u["name"], u["role"]) for u in listed] == [("ada", "admin"), ("bo", "candidate")]
    for bad, message in (
        (["add", "cy", "--role", "owner", "--password-stdin"], "bad role"),
        (["add", "cy", "--password-stdin"], "at least 8"),
        (["passwd", "nobody", "--password-stdin"], "no user"),
        (["remove", "bo"], "--yes"),
        (["remove", "ada", "--yes"], "last admin"),
    ):
        result = users(*bad, password="short\n" if "cy" in bad else "long-enough-1\n")
        assert isinstance(result.exception, GointerviewError), (bad, result.output)
        assert message in str(result.exception), bad
    assert users("passwd", "bo", "--password-stdin", password="newer-pass\n").exit_code == 0
    removed = users("remove", "bo", "--yes")
    assert removed.exit_code == 0 and "0 session(s)" in removed.stdout


def test_serve_prints_its_url_and_serves(tmp_path: Path, _bank_cache: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200", **_env(tmp_path, _bank_cache)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "gointerview", "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert f"http://127.0.0.1:{port}/" in line and "local mode" in line, line
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as r:
                    assert r.status == 200 and "gointerview" in r.read().decode("utf-8")
                break
            except OSError:
                assert time.monotonic() < deadline, "the server never answered"
                time.sleep(0.2)
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=20)
    assert proc.stderr is not None and "Traceback" not in proc.stderr.read()


def test_serve_is_in_the_help() -> None:
    out = run_cli("--help").stdout
    assert "serve" in out and "users" in out
