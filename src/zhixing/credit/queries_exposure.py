"""Reads of exposure delivery: each notice of a case with its partner, state, reason and impressions."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import ExposureNotice

# What each state means for the judge, with its badge colour on the case page.
STATE_BADGES: dict[str, str] = {
    ExposureNotice.Status.QUEUED: "yellow",
    ExposureNotice.Status.SENT: "green",
    ExposureNotice.Status.REFUSED: "red",
    ExposureNotice.Status.FAILED: "red",
    ExposureNotice.Status.WITHDRAWING: "yellow",
    ExposureNotice.Status.WITHDRAWN: "grey",
    ExposureNotice.Status.WITHDRAW_FAILED: "red",
}
RESENDABLE = (
    ExposureNotice.Status.REFUSED,
    ExposureNotice.Status.FAILED,
    ExposureNotice.Status.WITHDRAW_FAILED,
)


def case_exposures(case_id: int) -> QuerySet[ExposureNotice]:
    """Every exposure notice of the case's listings, newest first, with partner and listing (one query)."""
    return (
        ExposureNotice.objects.filter(listing__case_id=case_id)
        .select_related("partner", "listing")
        .order_by("-created_at", "-pk")
    )


def by_listing(case_id: int) -> dict[int, list[ExposureNotice]]:
    """The case's notices grouped by listing, each annotated with its badge and whether it can be re-sent."""
    out: dict[int, list[ExposureNotice]] = {}
    for n in case_exposures(case_id):
        n.badge = STATE_BADGES.get(n.status, "")  # type: ignore[attr-defined]
        n.resendable = n.status in RESENDABLE  # type: ignore[attr-defined]
        out.setdefault(n.listing_id, []).append(n)
    return out


# Notices still public or on their way to be (what a withdrawal acts on).
LIVE = ("queued", "sent", "refused", "failed", "withdraw_failed")


def live_case_exposures(case_id: int) -> list[ExposureNotice]:
    """A case's exposure notices a withdrawal would act on, with their partner, oldest first."""
    return list(
        ExposureNotice.objects.filter(listing__case_id=case_id, status__in=LIVE)
        .select_related("partner", "listing")
        .order_by("pk")
    )


def parties_of(notice_ids: list[int]) -> list[int]:
    """The debtors (party ids) the given notices expose, in id order."""
    return sorted(
        set(ExposureNotice.objects.filter(pk__in=notice_ids).values_list("listing__party_id", flat=True))
    )
