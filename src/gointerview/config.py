"""User configuration: a TOML file in the user's config dir, overridden by environment variables.

    ~/.config/gointerview/config.toml   (or $GOINTERVIEW_CONFIG)
        lang = "zh"                       # default language for prompts and feedback
        banks = ["~/notes/my-bank.yaml"]  # extra bank files or folders
        data_dir = "~/.local/share/gointerview"
        judge_url = "http://localhost:11434/v1"   # optional: an OpenAI-compatible endpoint
        judge_model = "qwen2.5:7b"
        embedder = "/models/all-MiniLM-L6-v2"     # optional: a sentence-transformers model

Environment: GOINTERVIEW_CONFIG, GOINTERVIEW_LANG, GOINTERVIEW_BANKS (paths separated by
the OS path separator), GOINTERVIEW_DATA_DIR, GOINTERVIEW_JUDGE_URL, GOINTERVIEW_JUDGE_MODEL,
GOINTERVIEW_EMBEDDER, GOINTERVIEW_DATABASE_URL; the judge's API key only from
GOINTERVIEW_JUDGE_API_KEY (never the file).
Environment wins over the file.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from gointerview.errors import ConfigError

APP = "gointerview"
Lang = Literal["zh", "en"]


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid")

    lang: Lang = "en"
    banks: list[Path] = Field(default_factory=list)
    data_dir: Path = Field(default_factory=lambda: Path(platformdirs.user_data_dir(APP)))
    judge_url: str | None = None
    judge_model: str | None = None
    judge_timeout: float = Field(default=30.0, gt=0)
    embedder: str | None = None
    database_url: str | None = None  # any SQLAlchemy URL; default: SQLite in data_dir

    def ensure_data_dir(self) -> Path:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        return self.data_dir


def config_path(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    if env.get("GOINTERVIEW_CONFIG"):
        return Path(env["GOINTERVIEW_CONFIG"]).expanduser()
    return Path(platformdirs.user_config_dir(APP)) / "config.toml"


def load_config(env: Mapping[str, str] | None = None) -> Config:
    env = os.environ if env is None else env
    path = config_path(env)
    raw: dict[str, object] = {}
    if path.is_file():
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: invalid TOML: {exc}") from exc
    if env.get("GOINTERVIEW_LANG"):
        raw["lang"] = env["GOINTERVIEW_LANG"]
    if env.get("GOINTERVIEW_BANKS"):
        raw["banks"] = [p for p in env["GOINTERVIEW_BANKS"].split(os.pathsep) if p]
    if env.get("GOINTERVIEW_DATA_DIR"):
        raw["data_dir"] = env["GOINTERVIEW_DATA_DIR"]
    for key in ("judge_url", "judge_model", "embedder", "database_url"):
        if env.get(f"GOINTERVIEW_{key.upper()}"):
            raw[key] = env[f"GOINTERVIEW_{key.upper()}"]
    try:
        config = Config.model_validate(raw)
    except ValidationError as exc:
        details = "; ".join(
            f"{'.'.join(str(x) for x in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        raise ConfigError(f"{path}: {details}") from exc
    config.banks = [p.expanduser() for p in config.banks]
    config.data_dir = config.data_dir.expanduser().absolute()
    return config
