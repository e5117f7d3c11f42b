"""Objections to an enforcement act (CPL-2023 Art 236): filing against one act, bad input, an upheld
objection undoing a freeze and a listing (the public answer checked), and the 复议 window."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests import factories
from tests.credit.conftest import open_listing_data
from tests.inquiry.expiry_support import frozen
from zhixing.cases import services as case_services
from zhixing.core.audit import AuditRecord
from zhixing.core.errors import NotPermitted, ServiceError
from zhixing.credit import queries as credit_queries
from zhixing.credit import services as credit_services
from zhixing.credit.models import Listing
from zhixing.inquiry.models import Asset, InquiryRequest
from zhixing.measures.models import Consequence
from zhixing.measures.rules import OBJECTION_UNDO
from zhixing.objections import acts, services
from zhixing.objections.models import Objection

from .conftest import at

pytestmark = pytest.mark.django_db
SECOND = factories.make_id(date(1979, 1, 2), seq=611)


@pytest.fixture
def two_debtors(people: dict[str, Any]) -> Any:
    base = factories.filing().parties
    extra = case_services.PartyData(role="debtor", kind="person", name="李四", id_number=SECOND)
    return factories.case(people["clerk"], parties=[*base, extra])


def test_bad_act_or_objector_names_the_field_and_writes_nothing(
    people: dict[str, Any], two_debtors: Any
) -> None:
    case = two_debtors
    zhang = case.parties.get(name="张三")
    li = case.parties.get(name="李四")
    account = frozen(other_case := factories.case(people["clerk"]), "6222000011113333", date(2026, 3, 5))
    Asset.objects.filter(pk=account.pk).update(case=case, party=zhang)  # 张三's account in this case
    account.refresh_from_db()
    other = other_case
    elsewhere = frozen(other, "6222000011114444", date(2026, 3, 5))
    bad = [
        ({"act_type": "bogus", "act_id": account.pk, "party_id": zhang.pk}, "act_type"),
        ({"act_type": "valuation", "act_id": account.pk, "party_id": zhang.pk}, "act_id"),  # no such price
        ({"act_type": "freeze", "act_id": 999999, "party_id": zhang.pk}, "act_id"),
        ({"act_type": "freeze", "act_id": elsewhere.pk, "party_id": zhang.pk}, "act_id"),  # not this case's
        ({"act_type": "seizure", "act_id": account.pk, "party_id": zhang.pk}, "act_id"),  # it is a freeze
        ({"act_type": "listing", "act_id": 1, "party_id": zhang.pk}, "act_id"),
        ({"act_type": "freeze", "act_id": account.pk, "party_id": other.parties.first().pk}, "party_id"),
        ({"act_type": "freeze", "act_id": account.pk, "party_id": li.pk}, "party_id"),  # not 李四's concern
    ]
    with at(date(2026, 9, 21)):
        for kw, field in bad:
            with pytest.raises(ServiceError) as exc:
                acts.file_act_objection(people["clerk"], case, grounds="冻结超标的", **kw)
            assert exc.value.field == field, (kw, exc.value.message)
    assert (
        Objection.objects.count() == 0 and not AuditRecord.objects.filter(action="objections.file").exists()
    )


def test_upheld_objection_releases_the_freeze(people: dict[str, Any], case: Any, panel: list[int]) -> None:
    account = frozen(case, "6222000011115555", date(2026, 3, 5))
    debtor = case.parties.get(role="debtor")
    with at(date(2026, 9, 21)):
        o = acts.file_act_objection(
            people["clerk"],
            case,
            act_type="freeze",
            act_id=account.pk,
            party_id=debtor.pk,
            grounds="该账户为社保账户",
        )
        assert o.kind == "act" and o.decision_due == date(2026, 10, 8) and o.act_label.startswith("冻结")
        o = services.decide(people["judge"], o, upheld=True, panel_ids=panel, reason="社保资金不得冻结")
    release = InquiryRequest.objects.get(asset=account, action="release")
    # Undone through the measures consequence table: one row, the article of CPL Art 236, this act only.
    row = Consequence.objects.get(case=case)
    assert (row.event, row.measure, row.action, row.status) == (
        "objection_upheld",
        "freeze",
        "release",
        "applied",
    )
    assert row.article == OBJECTION_UNDO and row.requests == [release.pk]
    assert release.reason == f"执行行为异议成立：{OBJECTION_UNDO}"
    assert AuditRecord.objects.get(action="objections.decide").after["undone"] == "解除控制措施"


def test_upheld_objection_removes_the_listing_and_the_public_answer_no_longer_finds_it(
    people: dict[str, Any], case: Any, panel: list[int]
) -> None:
    debtor = case.parties.get(role="debtor")
    with at(date(2026, 3, 10)):
        factories.serve_notice(case)
        listing = credit_services.list_debtor(people["judge"], case, debtor, open_listing_data())
        found = credit_queries.public_search(credit_queries.parse_public_query(debtor.name, debtor.id_number))
        assert [x.pk for x in found] == [listing.pk]
        o = acts.file_act_objection(
            people["clerk"],
            case,
            act_type="listing",
            act_id=listing.pk,
            party_id=debtor.pk,
            grounds="已提供担保",
        )
        services.decide(people["director"], o, upheld=True, panel_ids=panel, reason="被执行人已提供足额担保")
    listing.refresh_from_db()
    assert listing.status == Listing.Status.REVOKED and listing.removal_trigger == "wrongful"
    row = Consequence.objects.get(case=case, event="objection_upheld")
    assert (row.measure, row.action, row.status, row.targets) == (
        "listing",
        "remove",
        "applied",
        [listing.pk],
    )
    assert (
        credit_queries.public_search(credit_queries.parse_public_query(debtor.name, debtor.id_number)) == []
    )


def test_review_only_within_10_days_of_service_then_the_higher_court_decides(
    people: dict[str, Any], case: Any, panel: list[int]
) -> None:
    account = frozen(case, "6222000011116666", date(2026, 3, 5))
    applicant = case.parties.get(role="applicant")
    with at(date(2026, 9, 21)):
        o = acts.file_act_objection(
            people["clerk"],
            case,
            act_type="freeze",
            act_id=account.pk,
            party_id=applicant.pk,
            grounds="冻结不足",
        )
        o = services.decide(people["judge"], o, upheld=False, panel_ids=panel, reason="冻结数额适当")
    with at(date(2026, 9, 24)):
        o = services.record_service(people["judge"], o, "2026-09-24")
        assert o.review_due == date(2026, 10, 8) and o.suit_due is None  # 10-04 is in the holiday
    with at(date(2026, 10, 9)):
        with pytest.raises(ServiceError) as exc:
            acts.file_review(people["judge"], o, filed_on="2026-10-09")
        assert exc.value.field == "review_filed_on" and "2026-10-08届满" in exc.value.message
        o.refresh_from_db()
        assert o.review_status == "" and o.review_court is None
        o = acts.file_review(people["judge"], o, filed_on="2026-10-08")
        assert o.review_court == people["gz_director"].court and o.review_decision_due == date(2026, 11, 9)
        with pytest.raises(NotPermitted):
            acts.decide_review(people["judge"], o, upheld=True)
        o = acts.decide_review(people["gz_director"], o, upheld=False)
        assert o.review_status == "rejected"


def test_act_objection_page_shows_the_review_window_not_a_suit(
    people: dict[str, Any], case: Any, panel: list[int]
) -> None:
    from django.test import Client
    from django.urls import reverse

    account = frozen(case, "6222000011117777", date(2026, 3, 5))
    debtor = case.parties.get(role="debtor")
    with at(date(2026, 9, 21)):
        o = acts.file_act_objection(
            people["clerk"],
            case,
            act_type="freeze",
            act_id=account.pk,
            party_id=debtor.pk,
            grounds="超标的冻结",
        )
        o = services.decide(people["judge"], o, upheld=False, panel_ids=panel, reason="未超标的")
        services.record_service(people["judge"], o, "2026-09-21")
        c = Client()
        c.force_login(people["judge"])
        page = c.get(reverse("objection_detail", args=[o.pk])).content.decode()
    assert 'id="review-due">2026-10-08<' in page and "登记执行异议之诉" not in page
    assert "执行行为异议" in page and "本异议不再阻止对该财产的处分" in page
