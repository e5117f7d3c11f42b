"""Reading settings from the environment, failing fast with the variable's name."""

import os
from pathlib import Path


class SettingsError(RuntimeError):
    """A setting from the environment is missing or malformed."""


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} must be an integer, got {raw!r}") from exc


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise SettingsError(f"{name} must be a boolean (1/0/true/false), got {raw!r}")


def data_dir() -> Path:
    """Where the SQLite database, Huey queue and uploads live (`DATA_DIR`, default ./var)."""
    path = Path(os.environ.get("DATA_DIR", Path.cwd() / "var")).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path
