"""What `gointerview serve` runs with: address, cookie secret, limits."""

from __future__ import annotations

import ipaddress
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from gointerview.errors import GointerviewError

SECRET_FILE = "web-secret"


@dataclass(frozen=True)
class WebSettings:
    secret: bytes
    host: str = "127.0.0.1"
    port: int = 8000
    lang: str = "en"  # the interface language when the browser states no preference
    secure_cookies: bool = False  # set behind an HTTPS proxy: cookies then travel only on TLS
    login_days: int = 7
    max_body_bytes: int = 256 * 1024
    max_answer_chars: int = 20_000
    sign_in_failures: int = 5  # per name and address, within the window
    sign_in_window_seconds: int = 15 * 60

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def load_secret(data_dir: Path) -> bytes:
    """The key that signs cookies: GOINTERVIEW_WEB_SECRET, else a random one kept in the data
    dir (created on first use, readable by its owner only) so sign-ins survive a restart."""
    from_env = os.environ.get("GOINTERVIEW_WEB_SECRET")
    if from_env:
        if len(from_env) < 32:
            raise GointerviewError("GOINTERVIEW_WEB_SECRET needs at least 32 characters")
        return from_env.encode("utf-8")
    path = data_dir / SECRET_FILE
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        return _create_secret(path)
    except OSError as exc:
        raise GointerviewError(f"cannot read {path}: {exc.strerror}") from exc
    with os.fdopen(fd, "rb") as f:
        value = f.read(256).strip()
    if len(value) < 32:
        raise GointerviewError(f"{path} is too short to be a key: delete it to make a new one")
    return value


def _create_secret(path: Path) -> bytes:
    value = secrets.token_urlsafe(48).encode("ascii")
    path.parent.mkdir(parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags, 0o600)
    except FileExistsError:
        return load_secret(path.parent)  # another process made it first
    except OSError as exc:
        raise GointerviewError(f"cannot write {path}: {exc.strerror}") from exc
    with os.fdopen(fd, "wb") as f:
        f.write(value)
    return value
