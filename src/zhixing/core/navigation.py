"""The platform's one main menu, kept as data.

Each domain registers its entries from its AppConfig.ready() (the app's own `navigation.py`); core knows
no domain: an entry says who sees it through a predicate on the signed-in user (roles, capabilities,
court). `base.html` renders `menu_for(user, path)` grouped by section, the current section marked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.urls import NoReverseMatch, reverse

Visible = Callable[[Any], bool]


def always(user: Any) -> bool:
    return True


def roles(*names: str, court: bool = False) -> Visible:
    """Visible to users holding one of these roles (and, with `court`, belonging to a court)."""
    allowed = frozenset(names)

    def check(user: Any) -> bool:
        return getattr(user, "role", None) in allowed and (
            not court or getattr(user, "court_id", None) is not None
        )

    return check


def caps(*names: str, court: bool = False) -> Visible:
    """Visible to users whose role carries any of these capabilities (`user.can`)."""

    def check(user: Any) -> bool:
        can = getattr(user, "can", None)
        if can is None or (court and not getattr(user, "court_id", None)):
            return False
        return any(can(n) for n in names)

    return check


@dataclass(frozen=True)
class Section:
    """A top-level menu item (工作台, 案件, 查控 …); `paths` mark it current."""

    key: str
    label: str
    order: int
    paths: tuple[str, ...] = ()


@dataclass(frozen=True)
class Entry:
    """One link: `url_name` reversed without arguments; `visible(user)` decides who sees it."""

    section: str
    key: str
    label: str
    url_name: str
    order: int = 100
    visible: Visible = always
    badge_url_name: str = ""  # an HTMX fragment loaded into the link (a live count)


@dataclass
class MenuItem:
    key: str
    label: str
    url: str
    badge_url: str = ""
    current: bool = False


@dataclass
class MenuSection:
    key: str
    label: str
    url: str
    current: bool = False
    items: list[MenuItem] = field(default_factory=list)


_sections: dict[str, Section] = {}
_entries: dict[tuple[str, str], Entry] = {}


def register_section(section: Section) -> None:
    _sections[section.key] = section


def register(*entries: Entry) -> None:
    """Add (or replace, by section and key) menu entries; called from AppConfig.ready()."""
    for e in entries:
        _entries[(e.section, e.key)] = e


def sections() -> list[Section]:
    return sorted(_sections.values(), key=lambda s: (s.order, s.key))


def entries() -> list[Entry]:
    return sorted(_entries.values(), key=lambda e: (e.order, e.key))


def _url(name: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


def _is_current(path: str, url: str, prefixes: Iterable[str]) -> bool:
    if url == "/":
        return path == "/" or any(path.startswith(p) for p in prefixes)
    return path.startswith(url) or any(path.startswith(p) for p in prefixes)


def menu_for(user: Any, path: str = "") -> list[MenuSection]:
    """The sections and links this user may open, in order; the section holding `path` is current."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    out: list[MenuSection] = []
    for sec in sections():
        items = []
        for e in entries():
            if e.section != sec.key or not e.visible(user):
                continue
            url = _url(e.url_name)
            if not url:
                continue
            items.append(MenuItem(e.key, e.label, url, _url(e.badge_url_name) if e.badge_url_name else ""))
        if not items:
            continue
        out.append(MenuSection(sec.key, sec.label, items[0].url, items=items))
    # The current section: the longest matching link (or declared path prefix) wins.
    best: tuple[int, MenuSection | None, MenuItem | None] = (0, None, None)
    for ms in out:
        prefixes = _sections[ms.key].paths
        for it in ms.items:
            if _is_current(path, it.url, ()) and len(it.url) > best[0]:
                best = (len(it.url), ms, it)
        for p in prefixes:
            if path.startswith(p) and len(p) > best[0]:
                best = (len(p), ms, None)
    if best[1] is not None:
        best[1].current = True
        if best[2] is not None:
            best[2].current = True
    return out
