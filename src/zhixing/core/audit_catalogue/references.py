"""Machine references as people read them (`ded-…` → `扣划 · 尾号c2e1a9`)."""

from __future__ import annotations

from typing import Any

from .registry import EMPTY

# -- references ----------------------------------------------------------------------------------------

_REF_PREFIXES: dict[str, str] = {}


def register_ref_prefix(prefix: str, word: str) -> None:
    """Internal references starting with `prefix` read as `word` (`ded-…` → 扣划)."""
    _REF_PREFIXES[prefix.lower()] = word


def human_ref(value: Any, tail: int = 6) -> str:
    """A machine reference as people read it: `ded-f6319…c2e1a9` → `扣划 · 尾号c2e1a9`.

    Known internal prefixes become their word; a long reference shows only its last `tail` characters
    (how a clerk reads a bank serial number aloud); a short one stays as it is.
    """
    text = str(value or "").strip()
    if not text:
        return EMPTY
    lowered = text.lower()
    for prefix, word in sorted(_REF_PREFIXES.items(), key=lambda p: -len(p[0])):
        if lowered.startswith(prefix):
            rest = text[len(prefix) :]
            return f"{word} · 尾号{rest[-tail:]}" if rest else word
    if len(text) > 16:
        return f"尾号{text[-tail:]}"
    return text
