"""The consequence service end to end at service level: payments, closings, suspensions, listing removal."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from tests import factories
from tests.credit.conftest import open_listing_data
from tests.inquiry.test_controls import account, answer, freeze, house
from zhixing.cases import services as case_services
from zhixing.cases.services.performance import record_payment
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.credit import services as credit_services
from zhixing.credit.models import Listing, Restriction
from zhixing.inquiry import queries as inquiry_queries
from zhixing.inquiry import services as inquiry_services
from zhixing.inquiry.models import Asset, InquiryRequest
from zhixing.inquiry.services import feedback
from zhixing.measures import services
from zhixing.measures.models import Consequence, Proposal

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 10, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
S = InquiryRequest.Status


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def pay(case: Any, amount: str, ref: str, source: str = "receipt") -> None:
    record_payment(case.pk, Decimal(amount), date(2026, 3, 10), source=source, reference=ref)


def releases(case: Any) -> list[tuple[int, Decimal | None]]:
    return sorted(
        (r.asset_id, r.amount)
        for r in InquiryRequest.objects.filter(case=case, action="release").exclude(status=S.CANCELLED)
    )


def debtor(case: Any) -> Any:
    return case.parties.get(role="debtor")


# -- item 2: over-seizure after money arrives ----------------------------------------------------------


def test_full_receipt_proposes_releasing_every_freeze(people: dict[str, Any], owing: Any) -> None:
    """The issue's vector: 100,000 owed, accounts frozen for 80,000 + 20,000, then a 100,000 receipt."""
    a1, a2 = account(owing, "80000", "6222-01"), account(owing, "50000", "6222-02")
    freeze(people, a1, "80000")
    freeze(people, a2, "20000")
    assert inquiry_queries.case_headroom(owing)[2] == Decimal("0.00")
    pay(owing, "100000", "R-1")
    p = Proposal.objects.get(case=owing, measure="freeze")
    assert (p.event, p.action, p.status) == ("paid_in_full", "release", "open")
    assert sorted(p.targets) == sorted([[a1.pk, None], [a2.pk, None]])
    assert "尚欠0.00元" in p.summary
    assert releases(owing) == []  # a proposal, not yet an act
    c = services.accept(people["judge"], p)
    assert c is not None and c.status == "applied" and len(c.requests) == 2
    assert releases(owing) == sorted([(a1.pk, None), (a2.pk, None)])
    p.refresh_from_db()
    assert p.status == "accepted" and p.decided_by == people["judge"]


def test_part_payment_proposes_releasing_only_the_excess_largest_first(
    people: dict[str, Any], owing: Any
) -> None:
    a1, a2 = account(owing, "80000", "6222-01"), account(owing, "50000", "6222-02")
    freeze(people, a1, "80000")
    freeze(people, a2, "20000")
    pay(owing, "30000", "R-1")  # 70,000 still owed, 100,000 frozen → 30,000 excess
    p = Proposal.objects.get(case=owing, measure="freeze")
    assert p.event == "payment" and p.targets == [[a1.pk, "30000.00"]]
    assert "尚欠70,000.00元，已控制100,000.00元" in p.summary
    pay(owing, "10000", "R-2")  # a newer payment supersedes the open proposal
    assert Proposal.objects.get(pk=p.pk).status == "superseded"
    assert Proposal.objects.get(case=owing, status="open").targets == [[a1.pk, "40000.00"]]


def test_payment_within_headroom_proposes_nothing(people: dict[str, Any], owing: Any) -> None:
    freeze(people, account(owing, "50000", "6222-01"), "50000")
    pay(owing, "20000", "R-1")  # 80,000 owed, 50,000 frozen
    assert not Proposal.objects.exists() and not Consequence.objects.exists()


def test_a_seizure_is_released_only_when_its_whole_value_is_excess(
    people: dict[str, Any], owing: Any
) -> None:
    h = house(owing, "60000")
    req = inquiry_services.approve(
        people["director"], inquiry_services.request_control(people["judge"], h, "seize")
    )
    answer(req, rank=1)
    pay(owing, "50000", "R-1")  # 50,000 owed, house worth 60,000: indivisible and still needed
    assert not Proposal.objects.filter(measure="seizure").exists()
    pay(owing, "50000", "R-2")
    assert Proposal.objects.get(measure="seizure").targets == [[h.pk, None]]


def test_a_booked_deduction_counts_once(people: dict[str, Any], owing: Any) -> None:
    """The deduction is paid once funds books it; it no longer eats the freeze headroom."""
    a = account(owing, "100000", "6222-01")
    freeze(people, a, "50000")
    req = inquiry_services.approve(
        people["director"],
        inquiry_services.request_control(
            people["judge"], Asset.objects.get(pk=a.pk), "deduct", amount="42440"
        ),
    )
    answer(req, deducted="42440")
    assert inquiry_queries.case_headroom(owing)[2] == Decimal(
        "50000.00"
    )  # 100,000 − 7,560 frozen − 42,440 on the way
    from zhixing.inquiry.models import DeductionReceivable
    from zhixing.inquiry.services.deductions import mark_deduction_booked

    rec = DeductionReceivable.objects.get(case=owing)
    pay(owing, "42440", "DED-1", source="deduction")
    mark_deduction_booked(None, rec.pk, "DED-1")
    owing.refresh_from_db()
    claim, controlled, room = inquiry_queries.case_headroom(owing)
    assert (claim.outstanding, controlled, room) == (
        Decimal("57560.00"),
        Decimal("7560.00"),
        Decimal("50000.00"),
    )


# -- closings --------------------------------------------------------------------------------------------


def restricted_case(people: dict[str, Any], case: Any) -> None:
    # Ground 1 (no term): the Art 10(1) closing triggers delete it; a fixed-term listing (grounds 2–6)
    # would stay (失信规定 Art 10(2), tests/credit/test_fixed_term_triggers.py). The notice first (Art 5(1)).
    factories.serve_notice(case)
    credit_services.list_debtor(people["judge"], case, debtor(case), open_listing_data())
    credit_services.restrict_exit(
        people["judge"], case, debtor(case), initiation="ex_officio", bound_persons=[]
    )


@pytest.mark.parametrize(
    ("mode", "details", "listing_status", "trigger"),
    [
        ("terminated", {"ground": "revoked"}, "removed", "termination"),
        ("refused", {}, "removed", "non_enforcement"),
        ("dismissed", {}, "revoked", "wrongful"),
        ("withdrawn", {}, "removed", "case_cancelled"),
    ],
)
def test_a_case_ended_without_performance_frees_the_debtor_in_the_same_transaction(
    people: dict[str, Any], owing: Any, mode: str, details: dict[str, str], listing_status: str, trigger: str
) -> None:
    from zhixing.cases.closing import CLOSING_FIELDS

    restricted_case(people, owing)
    a = account(owing, "50000", "6222-01")
    freeze(people, a, "50000")
    fields = {spec.name: "（2026）粤0106执1号之一" for spec in CLOSING_FIELDS[mode]}
    fields.update({k: v for k, v in details.items() if k in fields})
    _close_with(people, owing, mode, fields)
    listing = Listing.objects.get(case=owing)
    assert (listing.status, listing.removal_trigger) == (listing_status, trigger)
    assert not Restriction.objects.filter(case=owing, status="active").exists()
    if mode == "withdrawn":  # controls may pass to the delegate court: the judge decides
        assert Proposal.objects.get(case=owing, measure="freeze").status == "open"
        assert releases(owing) == []
    else:
        assert releases(owing) == [(a.pk, None)]
    assert Consequence.objects.filter(case=owing, status="failed").count() == 0


def _close_with(people: dict[str, Any], case: Any, mode: str, fields: dict[str, str]) -> None:
    from zhixing.cases.closing import CLOSING_FIELDS

    data = {}
    for spec in CLOSING_FIELDS[mode]:
        data[spec.name] = fields.get(spec.name) or (
            "100000.00" if spec.kind == "amount" else "（2026）粤0106执1号之一"
        )
        if spec.kind == "choice":
            data[spec.name] = spec.choices[0][0]
        if spec.kind == "date":
            data[spec.name] = "2026-03-09"
    if mode == "dormant":  # 终本: every precondition confirmed first (终本规定 Arts 1-3)
        factories.dormant_ready(people["judge"], case)
    case_services.close_case(people["judge"], case, mode=mode, closed_on=timezone.localdate(), details=data)


def test_closing_as_performed_releases_and_lifts_everything(people: dict[str, Any], owing: Any) -> None:
    restricted_case(people, owing)
    a = account(owing, "50000", "6222-01")
    freeze(people, a, "50000")
    pay(owing, "100000", "R-1")
    assert (
        Proposal.objects.filter(case=owing, status="open").count() == 4
    )  # freeze, exit, consumption, listing
    _close_with(people, owing, "performed", {})
    assert releases(owing) == [(a.pk, None)]
    assert Listing.objects.get(case=owing).status == "removed"
    assert not Restriction.objects.filter(case=owing, status="active").exists()
    assert not Proposal.objects.filter(case=owing, status="open").exists()


def test_dormant_closing_keeps_controls_and_restrictions(people: dict[str, Any], owing: Any) -> None:
    restricted_case(people, owing)
    freeze(people, account(owing, "50000", "6222-01"), "50000")
    Listing.objects.filter(case=owing).update(status="active")
    with time_machine.travel(datetime(2026, 6, 10, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        # 终本 needs a served notice: restricted_case served it, which completed the `notice` node.
        assert owing.nodes.get(node_type__code="notice").status == "done"
        _close_with(people, owing, "dormant", {})
    assert releases(owing) == []
    assert Restriction.objects.filter(case=owing, status="active").count() >= 1
    assert Listing.objects.get(case=owing).status == "active"


# -- suspension, listing removal, people restricted by another case ----------------------------------------


@pytest.mark.parametrize(
    ("ground", "removed"), [("retrial", True), ("bankruptcy", True), ("objection", False), ("other", False)]
)
def test_suspension_removes_the_listing_only_for_retrial_and_bankruptcy(
    people: dict[str, Any], owing: Any, ground: str, removed: bool
) -> None:
    restricted_case(people, owing)
    case_services.suspend_case(
        people["judge"], owing, ground=ground, start=date(2026, 3, 10), document_ref="（2026）粤0106执1号之二"
    )
    assert (Listing.objects.get(case=owing).status == "removed") is removed
    assert Restriction.objects.filter(
        case=owing, kind="exit", status="active"
    ).exists()  # suspension keeps it


def test_lifting_one_case_never_frees_a_person_another_case_restricts(
    people: dict[str, Any], owing: Any
) -> None:
    from tests.inquiry.conftest import open_case_not_due
    from zhixing.credit.services.register import subject_mask

    other = open_case_not_due(people, date(2026, 12, 31))
    restricted_case(people, owing)
    credit_services.restrict_exit(
        people["judge"], other, debtor(other), initiation="ex_officio", bound_persons=[]
    )
    key = Restriction.objects.filter(case=owing).first().subject_key
    _close_with(people, owing, "terminated", {})
    assert not Restriction.objects.filter(case=owing, status="active").exists()
    mask, _ = subject_mask(key, date(2026, 3, 10))
    assert mask != 0  # still restricted by the other case


def test_a_pending_freeze_is_called_back_when_the_case_ends(people: dict[str, Any], owing: Any) -> None:
    a = account(owing, "50000", "6222-01")
    req = inquiry_services.request_control(people["judge"], a, "freeze", amount="50000")
    assert req.status == S.AWAITING_APPROVAL
    _close_with(people, owing, "terminated", {})
    req.refresh_from_db()
    assert req.status == S.CANCELLED


# -- proposals: decline, permissions, bad input ------------------------------------------------------------


def test_decline_needs_a_reason_and_records_it(people: dict[str, Any], owing: Any) -> None:
    freeze(people, account(owing, "100000", "6222-01"), "100000")
    pay(owing, "100000", "R-1")
    p = Proposal.objects.get(case=owing, measure="freeze")
    with pytest.raises(ServiceError, match="理由") as err:
        services.decline(people["judge"], p, "  ")
    assert err.value.field == "reason"
    assert Proposal.objects.get(pk=p.pk).status == "open"
    services.decline(people["judge"], p, "到账款项尚待银行确认")
    p.refresh_from_db()
    assert (p.status, p.decline_reason) == ("declined", "到账款项尚待银行确认")
    with pytest.raises(Conflict):
        services.accept(people["judge"], p)


def test_only_the_case_courts_deciders_may_act(people: dict[str, Any], owing: Any) -> None:
    freeze(people, account(owing, "100000", "6222-01"), "100000")
    pay(owing, "100000", "R-1")
    p = Proposal.objects.get(case=owing, measure="freeze")
    for who in ("clerk", "other_judge", "president_high"):
        if who in people:
            with pytest.raises(NotPermitted):
                services.accept(people[who], p)
    assert Proposal.objects.get(pk=p.pk).status == "open"


def test_a_proposal_whose_objects_are_gone_becomes_moot(people: dict[str, Any], owing: Any) -> None:
    a = account(owing, "100000", "6222-01")
    freeze(people, a, "100000")
    pay(owing, "100000", "R-1")
    p = Proposal.objects.get(case=owing, measure="freeze")
    Asset.objects.filter(pk=a.pk).update(state="released", frozen_amount=0)
    assert services.accept(people["judge"], p) is None
    assert Proposal.objects.get(pk=p.pk).status == "moot"


def test_a_refused_release_shows_the_partners_reason_and_is_retried(
    people: dict[str, Any], owing: Any
) -> None:
    a = account(owing, "50000", "6222-01")
    freeze(people, a, "50000")
    _close_with(people, owing, "terminated", {})
    rel = InquiryRequest.objects.get(case=owing, action="release")
    InquiryRequest.objects.filter(pk=rel.pk).update(status=S.SENDING)
    feedback.apply_control(
        rel, {"key": rel.idempotency_key, "status": "error", "error": "冻结已被其他机关续冻，暂无法解除"}
    )
    assert services.watch_releases() == 1
    c = Consequence.objects.get(case=owing, measure="freeze")
    assert (c.status, c.error) == ("failed", "冻结已被其他机关续冻，暂无法解除")
    with time_machine.travel(datetime(2026, 3, 10, 11, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        assert services.retry_due() == 1
    c.refresh_from_db()
    assert (c.status, c.attempts) == ("applied", 2)
    assert InquiryRequest.objects.filter(case=owing, action="release", status=S.PENDING).count() == 1


def test_removing_the_listing_withdraws_its_exposure(people: dict[str, Any], owing: Any) -> None:
    from zhixing.credit.models import ExposureNotice

    credit_services.create_partner(None, name="广州电视台", kind="media", area_code="")
    factories.serve_notice(owing)  # 失信规定 Art 5(1)
    listing = credit_services.list_debtor(people["judge"], owing, debtor(owing), open_listing_data())
    notices = credit_services.expose(people["judge"], listing)
    assert notices and {n.status for n in ExposureNotice.objects.filter(listing=listing)} == {"queued"}
    credit_services.remove_listing(people["judge"], listing, trigger="applicant_request")
    assert {n.status for n in ExposureNotice.objects.filter(listing=listing)} == {"withdrawn"}
    c = Consequence.objects.get(case=owing, measure="exposure")
    assert (c.event, c.action, c.status) == ("listing_removed", "remove", "applied")
    # The consumption restriction that came with the listing is the judge's call (configurable).
    assert Proposal.objects.get(case=owing, measure="consumption", status="open").event == "listing_removed"
