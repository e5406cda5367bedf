"""Sessions on a real PostgreSQL server (the database users run in production), not only
SQLite: a throwaway cluster is started for the test run when the PostgreSQL server programs
are installed (Debian's postgresql package; `make check` installs it as root)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from cli_helpers import run_cli, run_json
from gointerview.store.db import Store

PG_BIN = (
    next((p for p in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)), None)
    if Path("/usr/lib/postgresql").is_dir()
    else None
)


def _as_postgres(args: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run its programs as the postgres user then."""
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    if PG_BIN is None or (os.geteuid() == 0 and shutil.which("runuser") is None):
        pytest.skip("PostgreSQL server programs not installed")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("psycopg not installed")
    # not under pytest's tmp (private to root): the postgres user must reach it
    root = Path(tempfile.mkdtemp(prefix="gointerview-pg-"))
    data, sockets = root / "data", root / "sockets"
    sockets.mkdir()
    if os.geteuid() == 0:
        root.chmod(0o755)
        shutil.chown(root, "postgres")
        shutil.chown(sockets, "postgres")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    subprocess.run(
        _as_postgres([str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust"]),
        check=True,
        capture_output=True,
    )
    options = f"-p {port} -k {sockets} -c listen_addresses=''"
    subprocess.run(
        _as_postgres(
            [str(PG_BIN / "pg_ctl"), "-D", str(data), "-o", options, "-w", "-l",
             str(root / "log"), "start"]
        ),
        check=True,
        capture_output=True,
        timeout=60,
    )  # fmt: skip
    try:
        yield f"postgresql+psycopg://postgres@/postgres?host={sockets}&port={port}"
    finally:
        subprocess.run(
            _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(root, ignore_errors=True)


def test_a_scripted_session_lives_in_postgres(postgres_url: str, tmp_path: Path) -> None:
    env = {"GOINTERVIEW_DATABASE_URL": postgres_url}
    answers = tmp_path / "answers.yaml"
    answers.write_text(
        '1: "G 是 goroutine，M 是操作系统线程，P 是执行 Go 代码需要的处理器，持有本地运行队列。"\n'
        '2: ":idk"\n',
        encoding="utf-8",
    )
    session = run_json(
        "interview", "--plan", "screen", "--level", "mid", "--seed", "5", "--answers",
        str(answers), env=env,
    )  # fmt: skip
    listed = run_json("sessions", env=env)
    assert session["id"] in {row["id"] for row in listed}
    shown = run_json("sessions", "show", session["id"], env=env)
    assert [i["status"] for i in shown["items"]] == [i["status"] for i in session["items"]]
    report = run_cli("report", session["id"], "--format", "json", env=env)
    assert report.returncode == 0, report.stderr
    # the schema came from the Alembic migrations, as on SQLite
    store = Store(postgres_url)
    assert store.load(session["id"]).id == session["id"]
