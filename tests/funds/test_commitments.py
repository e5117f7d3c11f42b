"""Money already promised stays promised (issue 10, finding 13).

(a) A case holding money cannot be closed; (b) costs can only take money no payout is waiting for;
(c) a payout to an account in another name gets a chain the court can complete, and any payout can
be rejected or withdrawn at every stage before it is sent, with an audit record.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from tests import factories
from zhixing.cases import services as case_services
from zhixing.cases.models import CaseStatus
from zhixing.core.audit import verify_chain
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.core.models import AuditRecord
from zhixing.courts.roles import Role
from zhixing.funds import queries, services
from zhixing.funds.models import AccountKind, LedgerAccount, Payout

from .conftest import receive
from .test_payouts import applicant, approve_all, propose

pytestmark = pytest.mark.django_db

TERMINATION = {"document_ref": "（2026）粤0106执1号之二", "ground": "applicant_withdraws"}


def close(case: Any, people: dict[str, Any]) -> Any:
    return case_services.close_case(
        people["judge"],
        case,
        mode="terminated",
        closed_on=timezone.localdate(),
        details={**TERMINATION, "served_on": timezone.localdate().isoformat()},
    )


# -- (a) closing --------------------------------------------------------------------------------------


def test_case_holding_money_cannot_close_until_it_is_paid_out(case, people, bank):
    receive(case, "51400.00", "C1")  # 50,000 for the applicant + the 1,400 application fee
    before = AuditRecord.objects.count()
    with pytest.raises(Conflict) as err:
        close(case, people)
    assert err.value.field == "closing_mode"
    assert err.value.message == "案款账户尚有款项未处理（案款余额51,400.00元），请先发放、退还或撤回后再结案"
    case.refresh_from_db()
    assert case.status != CaseStatus.CLOSED and AuditRecord.objects.count() == before

    p = propose(case, people, "50000.00")
    with pytest.raises(Conflict) as err:
        close(case, people)
    assert "案款余额51,400.00元，1笔发款尚未办结" in err.value.message

    p = services.send(people["finance"], approve_all(p, people).pk)
    assert p.status == "paid" and queries.balance(case.pk) == 0
    close(case, people)
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED


def test_order_at_the_bank_and_held_money_block_closing(case, people, settings):
    receive(case, "51400.00", "C2")
    p = approve_all(propose(case, people, "50000.00"), people)
    settings.FUNDS_BANK_URL = "http://127.0.0.1:9/custody"  # nobody answers: the order stays at the bank
    settings.FUNDS_BANK_TIMEOUT_SECONDS = 1
    assert services.send(people["finance"], p.pk).status == "sending"
    with pytest.raises(Conflict) as err:
        close(case, people)
    assert "已发送银行待确认的发款50,000.00元" in err.value.message
    assert "案款余额" not in err.value.message  # the fee was settled, the rest is in transit


def test_case_without_money_closes_through_the_api(client, case, people):
    client.force_login(people["judge"])
    r = client.post(
        f"/api/v1/cases/{case.pk}/close",
        {
            "mode": "terminated",
            "closed_on": timezone.localdate().isoformat(),
            "details": {**TERMINATION, "served_on": timezone.localdate().isoformat()},
        },
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    other = factories.case(people["clerk"])
    receive(other, "10.00", "C3")
    r = client.post(
        f"/api/v1/cases/{other.pk}/close",
        {
            "mode": "terminated",
            "closed_on": timezone.localdate().isoformat(),
            "details": {**TERMINATION, "served_on": timezone.localdate().isoformat()},
        },
        content_type="application/json",
    )
    assert r.status_code == 409
    assert r.json()["field"] == "mode" and "案款余额10.00元" in r.json()["detail"]


# -- (b) costs ---------------------------------------------------------------------------------------


def test_costs_cannot_take_money_promised_to_an_approved_payout(case, people, bank):
    receive(case, "52000.00", "K1")
    p = approve_all(propose(case, people, "50000.00"), people)
    # 52,000 − 50,000 promised − 1,400 fee to settle before sending = 600 free
    with pytest.raises(Conflict) as err:
        services.book_costs(people["judge"], case, "600.01", "评估费")
    assert err.value.field == "amount" and "600.00" in err.value.message
    assert queries.case_money(case).costs == 0
    assert services.book_costs(people["judge"], case, "600.00", "评估费") == Decimal("600.00")
    p = services.send(people["finance"], p.pk)
    assert p.status == "paid"  # the approved payout could still be sent
    assert queries.balance(case.pk) == 0


def test_costs_free_again_after_the_payout_is_withdrawn(case, people):
    receive(case, "52000.00", "K2")
    p = propose(case, people, "50000.00")
    with pytest.raises(Conflict):
        services.book_costs(people["finance"], case, "1000.00", "保管费")
    services.cancel(people["judge"], p.pk, reason="当事人申请暂缓")
    assert services.book_costs(people["finance"], case, "1000.00", "保管费") == Decimal("1000.00")


def test_retried_costs_with_the_same_key_book_once_even_when_nothing_is_free(case, people):
    receive(case, "1000.00", "K3")
    services.book_costs(people["judge"], case, "1000.00", "拍卖费", idempotency_key="INV-1")
    assert services.book_costs(
        people["judge"], case, "1000.00", "拍卖费", idempotency_key="INV-1"
    ) == Decimal("1000.00")
    assert queries.case_money(case).costs == Decimal("1000.00")


def test_costs_text_is_validated(case, people):
    receive(case, "1000.00", "K4")
    with pytest.raises(ServiceError) as err:
        services.book_costs(people["judge"], case, "10.00", "评估\x00费")
    assert err.value.field == "what" and "控制字符" in err.value.message


# -- (c) approval chain, reject, cancel ----------------------------------------------------------------


def test_name_mismatch_chain_completes_in_a_court_with_one_director_and_one_president(case, people, bank):
    """The demo-sized court: one director, one president, several judges."""
    receive(case, "90000.00", "A1")
    assert LedgerAccount.objects.filter(kind=AccountKind.CASE, case=case).exists()
    judge3 = factories.staff(case.court, Role.JUDGE, username="th_judge3")
    p = propose(case, people, "100.00", account_name="广州某银行股份有限公司代理人")
    assert p.chain == ["judge", "judge", "director", "president"]
    for who in (people["judge2"], judge3, people["director"], people["president"]):
        p = services.decide(who, p.pk)
    assert p.status == "approved"
    assert services.send(people["finance"], p.pk).status == "paid"
    assert verify_chain().ok


def test_a_chain_the_court_cannot_complete_is_refused_up_front(case, people, settings):
    receive(case, "90000.00", "A2")
    settings.FUNDS_MISMATCH_EXTRA_ROLE = "director"  # a second director step: this court has one
    with pytest.raises(Conflict) as err:
        propose(case, people, "100.00", account_name="别人")
    assert err.value.field == "account_name"
    assert "需2名执行局局长分别审批" in err.value.message and "只有1名" in err.value.message
    assert Payout.objects.count() == 0
    # With two judges besides the proposer the default extra (judge) step is completable; with one it is not.
    settings.FUNDS_MISMATCH_EXTRA_ROLE = "judge"
    with pytest.raises(Conflict) as err:
        propose(case, people, "100.00", account_name="别人")  # proposer th_judge; only th_judge2 is left
    assert "需2名执行法官分别审批" in err.value.message
    p = services.propose(
        people["assistant"],
        case,
        party_id=applicant(case).pk,
        amount="100.00",
        account_name="别人",
        account_no="6222020000001",
    )
    assert p.chain == ["judge", "judge", "director", "president"]


@pytest.mark.parametrize("stage", [0, 1, 2])
def test_reject_at_every_step_with_the_reason_audited(case, people, stage):
    receive(case, "90000.00", f"R{stage}")
    p = propose(case, people, "100.00")
    by_role = {"judge": people["judge2"], "director": people["director"], "president": people["president"]}
    for role in p.chain[:stage]:
        p = services.decide(by_role[role], p.pk)
    p = services.decide(by_role[p.chain[stage]], p.pk, approve=False, note="收款账户存疑")
    assert (p.status, p.cancel_reason) == ("rejected", "收款账户存疑")
    rec = AuditRecord.objects.filter(action="funds.payout_decide").order_by("-pk").first()
    assert rec is not None and rec.after["approve"] is False and rec.after["note"] == "收款账户存疑"
    assert services.book_costs(people["judge"], case, "100.00", "释放后可用")  # nothing promised any more


def test_legacy_chain_stuck_at_a_second_director_step_can_be_rejected_by_that_director(case, people):
    """Payouts proposed before the fix carry judge, director, director, president."""
    receive(case, "90000.00", "L1")
    p = propose(case, people, "100.00")
    Payout.objects.filter(pk=p.pk).update(chain=["judge", "director", "director", "president"])
    p = services.decide(people["judge2"], p.pk)
    p = services.decide(people["director"], p.pk)
    with pytest.raises(NotPermitted):
        services.decide(people["director"], p.pk)  # cannot approve a second step
    p = services.decide(people["director"], p.pk, approve=False, note="审批链无法完成")
    assert p.status == "rejected"


@pytest.mark.parametrize("approved_steps", [0, 1, 3])
def test_withdraw_at_every_stage_before_sending(case, people, approved_steps):
    receive(case, "90000.00", f"W{approved_steps}")
    p = propose(case, people, "100.00")
    by_role = {"judge": people["judge2"], "director": people["director"], "president": people["president"]}
    for role in p.chain[:approved_steps]:
        p = services.decide(by_role[role], p.pk)
    with pytest.raises(ServiceError) as err:
        services.cancel(people["judge"], p.pk, reason="  ")
    assert err.value.field == "reason"
    with pytest.raises(NotPermitted):
        services.cancel(people["judge2"], p.pk, reason="不是提出人")
    with pytest.raises(NotPermitted):
        services.cancel(people["yx_director"], p.pk, reason="外院")
    p = services.cancel(people["director"], p.pk, reason="申请人撤回领款申请")
    assert (p.status, p.cancel_reason, p.cancelled_by_id) == (
        "cancelled",
        "申请人撤回领款申请",
        people["director"].pk,
    )
    rec = AuditRecord.objects.filter(action="funds.payout_cancel").get()
    assert rec.before["step"] == approved_steps and rec.after["reason"] == "申请人撤回领款申请"
    with pytest.raises(Conflict):
        services.send(people["finance"], p.pk)


def test_sent_payout_cannot_be_withdrawn(case, people, bank):
    receive(case, "90000.00", "W9")
    p = services.send(people["finance"], approve_all(propose(case, people, "100.00"), people).pk)
    with pytest.raises(Conflict):
        services.cancel(people["judge"], p.pk, reason="太晚了")


def test_withdraw_and_reject_from_the_pages(client, case, people):
    receive(case, "90000.00", "WP")
    p = propose(case, people, "100.00")
    client.force_login(people["judge"])
    page = client.get(f"/funds/cases/{case.pk}/").content.decode()
    assert f'action="/funds/payouts/{p.pk}/cancel/"' in page
    r = client.post(f"/funds/payouts/{p.pk}/cancel/", {"reason": "重复提出"})
    assert r.status_code == 302
    p.refresh_from_db()
    assert p.status == "cancelled"
    q = propose(case, people, "100.00")
    client.force_login(people["judge2"])
    client.post(f"/funds/payouts/{q.pk}/decide/", {"decision": "reject", "note": "账号有误"})
    q.refresh_from_db()
    assert (q.status, q.cancel_reason) == ("rejected", "账号有误")
    client.force_login(people["yx_director"])
    assert client.post(f"/funds/payouts/{q.pk}/cancel/", {"reason": "x"}).status_code == 404


def test_money_sent_to_a_closed_case_is_unidentified_and_cannot_be_claimed_to_it(case, people, bank):
    """A closed case stays without money: its sub-account is closed with it (opened or not yet)."""
    services.case_account(case)
    close(case, people)
    rec = receive(case, "80.00", "Z1")
    assert (rec.status, rec.case_id) == ("unidentified", None)
    assert queries.balance(case.pk) == 0
    assert services.case_account(case).closed is True
    with pytest.raises(Conflict) as err:
        services.claim_receipt(people["finance"], rec.pk, case)
    assert (err.value.field, err.value.message) == ("case", "该案款账户已销户")
    assert queries.balance(case.pk) == 0

    never_opened = factories.case(people["clerk"])  # closed before anything opened its sub-account
    close(never_opened, people)
    rec = receive(never_opened, "90.00", "Z2")
    assert (rec.status, rec.case_id) == ("unidentified", None)
    assert queries.balance(never_opened.pk) == 0
