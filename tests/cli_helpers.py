"""Run the real CLI in a subprocess: exit codes, stdout/stderr and no tracebacks, as a user sees."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from typing import Any


def run_cli(
    *args: str, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", **(env or {})}
    proc = subprocess.run(
        [sys.executable, "-m", "gointerview", *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
        check=False,
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def run_json(*args: str, env: dict[str, str] | None = None) -> Any:
    proc = run_cli(*args, "--json", env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return json.loads(proc.stdout)


def spawn_cli(
    *args: str, env: dict[str, str] | None = None, timeout: float = 60, columns: int = 120
) -> Any:
    """The CLI in a real pseudo-terminal (pexpect), plain output, 120 columns by default."""
    import pexpect

    full_env = {
        **os.environ,
        "COLUMNS": str(columns),
        "NO_COLOR": "1",
        "TERM": "dumb",
        **(env or {}),
    }
    return pexpect.spawn(
        sys.executable,
        ["-m", "gointerview", *args],
        env=full_env,
        encoding="utf-8",
        timeout=timeout,
        dimensions=(50, columns),
        preexec_fn=_as_a_fresh_terminal,
    )


def _as_a_fresh_terminal() -> None:
    """In the child, before exec: no signal blocked and Ctrl-C's default action, as a shell
    starts a program. Blocked signals survive fork and exec, and in a full test run something
    in the pytest process leaves SIGINT blocked, which made every Ctrl-C test time out."""
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    signal.signal(signal.SIGINT, signal.SIG_DFL)
