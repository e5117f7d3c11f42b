"""Words for audit action codes: the registered phrase, a prefix family's, or the generic one."""

from __future__ import annotations

from .registry import _ACTIONS, _COLLAPSE, _NAMESPACES, _PREFIXES, GENERIC_ACTION

# -- actions ------------------------------------------------------------------------------------------


def _namespace(action: str) -> str:
    return action.split(".", 1)[0] if action else ""


def has_words(action: str) -> bool:
    if action in _ACTIONS:
        return True
    return any(action.startswith(prefix) for prefix, _ in _PREFIXES)


def unknown_action(action: str) -> bool:
    return not has_words(action)


def action_label(action: str) -> str:
    """The Chinese phrase of an action code; never the code itself."""
    phrase = _ACTIONS.get(action)
    if phrase:
        return phrase
    for prefix, words in _PREFIXES:
        if action.startswith(prefix):
            return words(action)
    noun = _NAMESPACES.get(_namespace(action))
    return f"{noun}操作" if noun else GENERIC_ACTION


def collapsible(action: str) -> bool:
    return action in _COLLAPSE


def collapse_codes() -> frozenset[str]:
    return frozenset(_COLLAPSE)


def known_actions() -> dict[str, str]:
    return dict(_ACTIONS)
