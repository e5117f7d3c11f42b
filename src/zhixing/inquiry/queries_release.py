"""Reads for the consequence service (zhixing.measures): what a case holds that an event may release.

Controls are split by measure — "freeze" (money frozen) and "seizure" (things seized, or queued behind
another court's seizure) — and requests by whether they can still be called back (not yet sent).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from zhixing.cases.models import EnforcementCase

from . import rules
from .models import Action, Asset, InquiryRequest
from .queries import ACTIVE_STATES, IN_FLIGHT, case_claim, controlled_total

# Requests the platform has not handed to a partner yet: they can be called back without a partner.
CANCELLABLE = (InquiryRequest.Status.AWAITING_APPROVAL, InquiryRequest.Status.PENDING)


@dataclass(frozen=True)
class HeldControl:
    asset_id: int
    measure: str  # "freeze" or "seizure"
    frozen: Decimal
    value: Decimal
    label: str


def held_controls(case_id: int) -> list[HeldControl]:
    """Active controls of a case not already being acted on (no control request in flight on them)."""
    busy = set(
        InquiryRequest.objects.filter(case_id=case_id, status__in=IN_FLIGHT, asset__isnull=False).values_list(
            "asset_id", flat=True
        )
    )
    out = []
    for a in Asset.objects.filter(case_id=case_id, state__in=ACTIVE_STATES).order_by("id"):
        if a.pk in busy:
            continue
        frozen = a.state == Asset.State.FROZEN
        out.append(
            HeldControl(
                a.pk,
                "freeze" if frozen else "seizure",
                a.frozen_amount if frozen else Decimal("0"),
                a.value if not frozen else Decimal("0"),
                f"{a.get_kind_display()} {a.ref}",
            )
        )
    return out


def release_plan(
    case: EnforcementCase, *, everything: bool
) -> tuple[Decimal, Decimal, list[tuple[int, Decimal | None]]]:
    """(outstanding, controlled, plan): the releases that bring the controls down to what is still owed.

    `everything` releases every held control (the claim is nil or the case ended). Otherwise frozen money
    is released largest first and a seizure only when its whole value is excess (查封规定 Art 19: an
    indivisible item still needed stays seized).
    """
    outstanding = case_claim(case).outstanding
    controlled = controlled_total(case.pk)
    held = held_controls(case.pk)
    if everything:
        return outstanding, controlled, [(h.asset_id, None) for h in held]
    plan = rules.plan_release(
        controlled - outstanding, [rules.Held(h.asset_id, h.frozen, h.value) for h in held]
    )
    frozen_whole = {h.asset_id: h.frozen for h in held if h.measure == "freeze"}
    # Releasing all that an account holds is a whole release, not a partial one.
    plan = [(pk, None if amt is not None and amt == frozen_whole.get(pk) else amt) for pk, amt in plan]
    return outstanding, controlled, plan


def cancellable_requests(case_id: int, actions: tuple[str, ...]) -> list[InquiryRequest]:
    """Control requests of a case not yet sent to a partner, for the given actions."""
    return list(
        InquiryRequest.objects.filter(case_id=case_id, status__in=CANCELLABLE, action__in=actions).order_by(
            "id"
        )
    )


DEDUCTION_ACTIONS = (Action.DEDUCT,)
CONTROL_ACTIONS = (Action.FREEZE, Action.SEIZE)


def request_outcomes(ids: list[int]) -> dict[int, tuple[str, str]]:
    """{request id: (status, the partner's reason or error)} for the given requests."""
    return {
        pk: (status, error)
        for pk, status, error in InquiryRequest.objects.filter(pk__in=ids).values_list(
            "pk", "status", "last_error"
        )
    }


def cases_holding(case_ids: list[int]) -> set[int]:
    """Which of these cases hold an active control or a control request not yet sent (one query)."""
    controls = Asset.objects.filter(case_id__in=case_ids, state__in=ACTIVE_STATES).values_list(
        "case_id", flat=True
    )
    requests = InquiryRequest.objects.filter(
        case_id__in=case_ids, status__in=CANCELLABLE, action__in=[Action.FREEZE, Action.SEIZE, Action.DEDUCT]
    ).values_list("case_id", flat=True)
    return set(controls.union(requests))


def title_pending(case_id: int, asset_id: int) -> Asset | None:
    """The case's asset whose title has not yet been recorded as passed (None once it has)."""
    return Asset.objects.filter(case_id=case_id, pk=asset_id, title_passed_on__isnull=True).first()
