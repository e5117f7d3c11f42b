"""The entrust domain's main-menu entry (委托执行: inbox, outbox, statistics)."""

from zhixing.core.navigation import Entry, register


def _court_staff(user: object) -> bool:
    return bool(getattr(user, "court_id", None))


def install() -> None:
    register(Entry("cases", "entrust", "委托执行", "entrust_boxes", 60, _court_staff))
