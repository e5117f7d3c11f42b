"""Reads for controls over time: the court-wide list of expiring, lapsed and queued controls, the alerts.

Court-scoped like every read (own court; a higher court reads its subordinates). The list pages by a
keyset cursor over (control_expires, id) so a page costs the same at any depth.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from zhixing.core.errors import ServiceError
from zhixing.courts.queries import court_scope_q, object_id
from zhixing.courts.roles import Cap

from . import conf, rules
from .models import Action, Asset, ControlAlert, InquiryRequest
from .queries import ACTIVE_STATES, IN_FLIGHT

WINDOWS = {"expiring": "即将到期", "lapsed": "已到期失效", "queued": "轮候查封"}
STATES = {
    "frozen": "已冻结",
    "seized": "已查封",
    "queued": "轮候查封",
    "lapsed": "已失效",
}
KINDS = {k: label for k, label in Asset.Kind.choices if k != Asset.Kind.INFO}


@dataclass
class ControlFilter:
    window: str = "expiring"
    handler: int | None = None
    state: str = ""
    kind: str = ""

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> ControlFilter:
        """From a query string; a value outside the choices is refused naming its field."""
        window = str(data.get("window") or "expiring")
        if window not in WINDOWS:
            raise ServiceError("列表范围只能是即将到期、已失效或轮候查封", field="window")
        state = str(data.get("state") or "")
        if state and state not in STATES:
            raise ServiceError("控制状态无效", field="state")
        kind = str(data.get("kind") or "")
        if kind and kind not in KINDS:
            raise ServiceError("财产形态无效", field="kind")
        raw = data.get("handler")
        handler = None
        if raw not in (None, ""):
            handler = object_id(raw)
            if handler is None:
                raise ServiceError("承办人无效", field="handler")
        return cls(window, handler, state, kind)

    def query(self) -> dict[str, str]:
        out = {"window": self.window}
        if self.handler:
            out["handler"] = str(self.handler)
        if self.state:
            out["state"] = self.state
        if self.kind:
            out["kind"] = self.kind
        return out


@dataclass
class ControlRow:
    asset: Asset
    days_left: int | None
    renewing: bool = False
    renew_error: str = ""
    renewed_at: Any = None

    @property
    def overdue(self) -> int:
        """Days since the last day (for a lapsed control)."""
        return -self.days_left if self.days_left is not None and self.days_left < 0 else 0

    @property
    def renewable(self) -> bool:
        return (
            self.asset.state in ACTIVE_STATES
            and self.days_left is not None
            and self.days_left >= 0
            and not self.renewing
        )


@dataclass
class ControlPage:
    rows: list[ControlRow]
    next_cursor: str | None
    filters: ControlFilter
    counts: dict[str, int] = field(default_factory=dict)


def _window(qs: QuerySet[Asset], window: str, today: date) -> QuerySet[Asset]:
    if window == "expiring":
        until = today + timedelta(days=int(conf.option("warn_days")))
        return qs.filter(state__in=ACTIVE_STATES, control_expires__gte=today, control_expires__lte=until)
    if window == "lapsed":  # lapsed, or past its last day and not yet swept: never hidden
        return qs.filter(
            Q(state=Asset.State.LAPSED) | Q(state__in=ACTIVE_STATES, control_expires__lt=today),
            control_expires__isnull=False,
        )
    return qs.filter(state=Asset.State.QUEUED)


def scoped(user: Any) -> QuerySet[Asset]:
    return Asset.objects.filter(court_scope_q(user, "case__court"))


def controls(user: Any, flt: ControlFilter, today: date | None = None) -> QuerySet[Asset]:
    today = today or timezone.localdate()
    qs = _window(scoped(user), flt.window, today)
    if flt.handler:
        qs = qs.filter(case__handler_id=flt.handler)
    if flt.state:
        qs = qs.filter(state=flt.state)
    if flt.kind:
        qs = qs.filter(kind=flt.kind)
    return qs


def window_counts(user: Any, flt: ControlFilter, today: date | None = None) -> dict[str, int]:
    """How many rows each window holds under the same handler/state/kind filters."""
    today = today or timezone.localdate()
    return {
        w: controls(user, ControlFilter(w, flt.handler, flt.state, flt.kind), today).count() for w in WINDOWS
    }


def control_page(
    user: Any,
    flt: ControlFilter,
    cursor: str | None = None,
    size: int | None = None,
    today: date | None = None,
) -> ControlPage:
    """One page: soonest expiry first (lapsed: latest lapse first), with each row's renewal status."""
    today = today or timezone.localdate()
    size = size or int(conf.option("controls_page"))
    desc = flt.window == "lapsed"
    qs = controls(user, flt, today).select_related(
        "case", "case__court", "case__handler", "party", "partner", "category"
    )
    if cursor:
        try:
            day, pk = cursor.split("_")
            c_day, c_id = date.fromisoformat(day), int(pk)
        except ValueError as exc:
            raise ServiceError("翻页参数无效", field="cursor") from exc
        if desc:
            qs = qs.filter(Q(control_expires__lt=c_day) | Q(control_expires=c_day, pk__lt=c_id))
        else:
            qs = qs.filter(Q(control_expires__gt=c_day) | Q(control_expires=c_day, pk__gt=c_id))
    order = ("-control_expires", "-id") if desc else ("control_expires", "id")
    assets = list(qs.order_by(*order)[: size + 1])
    more = len(assets) > size
    assets = assets[:size]
    rows = [
        ControlRow(a, rules.days_left(a.control_expires, today) if a.control_expires else None)
        for a in assets
    ]
    _renewals(rows)
    last = assets[-1] if assets and more else None
    next_cursor = f"{last.control_expires.isoformat()}_{last.pk}" if last and last.control_expires else None
    return ControlPage(rows, next_cursor, flt)


def _renewals(rows: list[ControlRow]) -> None:
    """Each row's latest renewal: in flight, failed (with the institution's reason), or done — one query."""
    by_asset = {r.asset.pk: r for r in rows}
    if not by_asset:
        return
    latest: dict[int, InquiryRequest] = {}
    for req in (
        InquiryRequest.objects.filter(asset_id__in=list(by_asset), action=Action.RENEW)
        .only("asset_id", "status", "last_error", "completed_at")
        .order_by("asset_id", "-id")
    ):
        latest.setdefault(int(req.asset_id or 0), req)
    busy = set(
        InquiryRequest.objects.filter(asset_id__in=list(by_asset), status__in=IN_FLIGHT).values_list(
            "asset_id", flat=True
        )
    )
    for pk, row in by_asset.items():
        row.renewing = pk in busy
        last = latest.get(pk)
        if last is None:
            continue
        if last.status in (InquiryRequest.Status.FAILED, InquiryRequest.Status.REJECTED):
            row.renew_error = last.last_error or "续行失败"
        elif last.status == InquiryRequest.Status.DONE:
            row.renewed_at = last.completed_at


# -- alerts ---------------------------------------------------------------------------------------------


def alerts_queryset(user: Any, now: Any = None) -> QuerySet[ControlAlert]:
    """Open control alerts for the user: their own cases', or their scope's for supervisors.

    A warning stays open while its control is still active and unrenewed (same expiry); a lapse or a
    taken-effect 轮候 stays for `alert_days`. Only roles that may see property get any.
    """
    if not getattr(user, "is_authenticated", False) or not user.can(Cap.ASSET_REGISTER_VIEW):
        return ControlAlert.objects.none()
    now = now or timezone.now()
    qs = ControlAlert.objects.all()
    qs = qs.filter(court_scope_q(user)) if user.can(Cap.SUPERVISE) else qs.filter(handler=user)
    recent = now - timedelta(days=int(conf.option("alert_days")))
    return qs.filter(
        Q(
            level=ControlAlert.Level.WARN,
            asset__state__in=ACTIVE_STATES,
            asset__control_expires=F("expires_on"),
        )
        | Q(level__in=[ControlAlert.Level.LAPSED, ControlAlert.Level.EFFECTIVE], raised_at__gte=recent)
    )


def alerts_for(user: Any, limit: int = 20) -> list[ControlAlert]:
    return list(
        alerts_queryset(user).select_related("asset", "case", "handler").order_by("-raised_at", "-id")[:limit]
    )


def alert_count(user: Any) -> int:
    return alerts_queryset(user).count()
