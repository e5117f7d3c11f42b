"""Services of the public portal: query codes, tips, rewards (through funds' payouts), petitions, counts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction

from tests.funds.conftest import bank, custody, receive  # noqa: F401  (fixture)
from tests.portal.conftest import PNG, person_case
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.core.models import AuditRecord
from zhixing.funds import queries as funds_queries
from zhixing.funds import services as funds
from zhixing.funds.models import Payout, Transaction
from zhixing.portal import petitions_services, public_codes, queries_petitions, rewards, tips_services
from zhixing.portal.events import tip_received
from zhixing.portal.models import Petition, RewardOffer, Tip, TipPhoto

pytestmark = pytest.mark.django_db


def _tip_data(case: Any, **kw: Any) -> tips_services.TipData:
    data = {
        "case_number": case.number,
        "kind": "assets",
        "content": "被执行人在某小区有一套房产",
        "reporter_name": "李群众",
        "reporter_phone": "13800138000",
        "photos": (tips_services.Photo("a.png", PNG),),
    }
    data.update(kw)
    return tips_services.TipData(**data)


def test_query_code_finds_its_case_and_every_failure_is_one_answer(
    pcase: Any, people: dict[str, Any]
) -> None:
    row = public_codes.issue(people["judge"], pcase)
    other = person_case(people["clerk"], people["judge"], people["director"], name="赵某人")
    other_code = public_codes.issue(people["judge"], other)
    assert public_codes.find_case(pcase.number, row.query_code.lower()).pk == pcase.pk
    # typed with half-width brackets and a space, as a party copies it from a notice: the same case
    typed = pcase.number.replace("（", "(").replace("）", ") ")
    assert typed != pcase.number and public_codes.find_case(typed, row.query_code).pk == pcase.pk
    failures = [
        (pcase.number, "ABCDEFGH" if row.query_code != "ABCDEFGH" else "ABCDEFGJ"),  # forged
        (pcase.number, other_code.query_code),  # another party's code: another case
        ("（2026）粤0106执99999号", row.query_code),  # no such case
        (pcase.number, "12"),  # malformed
        ("", row.query_code),
    ]
    for number, code in failures:
        with pytest.raises(public_codes.NoSuchCase) as exc:
            public_codes.find_case(number, code)
        assert exc.value.message == public_codes.GENERIC
    # Reissuing kills the old code; the audit record never holds a code.
    old = row.query_code
    new = public_codes.issue(people["judge"], pcase)
    with pytest.raises(public_codes.NoSuchCase):
        public_codes.find_case(pcase.number, old) if old != new.query_code else public_codes.find_case(
            pcase.number, "x"
        )
    assert not AuditRecord.objects.filter(
        action="portal.code_issue", after__icontains=new.query_code
    ).exists()


def test_only_the_own_courts_handlers_issue_codes(pcase: Any, people: dict[str, Any]) -> None:
    for who in ("clerk", "bailiff", "finance", "yx_director", "gz_director"):
        with pytest.raises(NotPermitted):
            public_codes.issue(people[who], pcase)


def test_progress_shows_no_identifier(pcase: Any) -> None:
    shown = public_codes.progress(pcase)
    assert shown["parties"] == [
        {"role": "申请执行人", "name": "广州某银行股份有限公司"},
        {"role": "被执行人", "name": "王某某"},
    ]
    assert shown["handler"] == pcase.handler.get_full_name()


def test_a_tip_reaches_the_handler_with_its_deadline_and_the_signal_after_commit(
    pcase: Any, people: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    got: list[Any] = []

    def receiver(sender: Any, tip: Any, **kw: Any) -> None:
        got.append(tip)

    tip_received.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            tip = tips_services.submit(_tip_data(pcase))
    finally:
        tip_received.disconnect(receiver)
    assert [t.pk for t in got] == [tip.pk]
    assert tip.reference == f"JB2026-{tip.pk:06d}"
    assert tip.due_on == date(2026, 3, 24)  # 10 working days after Tuesday 2026-03-10
    assert tip.status == "new" and TipPhoto.objects.get(tip=tip).content_type == "image/png"
    from zhixing.core.models import Notification

    note = Notification.objects.get(recipient=people["judge"], kind="portal.tip")
    assert note.text == f"{pcase.number}收到举报线索{tip.reference}（财产线索），请于2026-03-24前核查"


@pytest.mark.parametrize(
    ("override", "field", "message"),
    [
        (
            {"photos": (tips_services.Photo("x.jpg", b"MZ\x90\x00" * 10),)},
            "photos",
            "照片“x.jpg”不是JPEG或PNG图片，请上传照片文件",
        ),
        (
            {"photos": (tips_services.Photo("big.png", PNG + b"\x00" * (5 * 1024 * 1024)),)},
            "photos",
            "超过每张5MB的上限",
        ),
        (
            {"photos": tuple(tips_services.Photo(f"{i}.png", PNG) for i in range(4))},
            "photos",
            "最多上传3张照片，本次4张",
        ),
        ({"content": "字" * 2001}, "content", "线索内容共2001字，超过2000字的上限，请精简后提交"),
        ({"content": "  "}, "content", "请填写线索内容"),
        ({"kind": "gossip"}, "kind", "请选择线索类型（下落线索或财产线索）"),
        ({"reporter_phone": "call me"}, "reporter_phone", "请填写可联系的电话号码（7至20位数字）"),
        ({"case_number": "（2026）粤0106执404号"}, "case_number", tips_services.UNKNOWN_CASE),
    ],
)
def test_bad_tips_are_refused_naming_the_field_and_nothing_is_written(
    pcase: Any, override: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(ServiceError) as exc:
        tips_services.submit(_tip_data(pcase, **override))
    assert exc.value.field == field and message in exc.value.message
    assert Tip.objects.count() == 0 and TipPhoto.objects.count() == 0


def test_the_handler_acts_then_closes_and_no_step_twice(pcase: Any, people: dict[str, Any]) -> None:
    tip = tips_services.submit(_tip_data(pcase))
    with pytest.raises(NotPermitted):
        tips_services.act(people["yx_director"], tip.pk, "越权")
    with pytest.raises(Conflict):
        tips_services.close(people["judge"], tip.pk, "useful")
    tips_services.act(people["judge"], tip.pk, "已查询不动产登记")
    with pytest.raises(Conflict):
        tips_services.act(people["judge"], tip.pk, "再次")
    done = tips_services.close(people["judge"], tip.pk, "recovered")
    assert (done.status, done.outcome, done.action_note) == ("closed", "recovered", "已查询不动产登记")
    assert list(
        AuditRecord.objects.filter(object_type="portal.Tip", object_id=str(tip.pk))
        .values_list("action", flat=True)
        .order_by("id")
    ) == ["portal.tip_submit", "portal.tip_act", "portal.tip_close"]


def test_reward_paid_once_through_an_approved_payout_and_the_bank(
    pcase: Any,
    people: dict[str, Any],
    custody: Any,  # noqa: F811
    bank: Any,  # noqa: F811
) -> None:
    receive(pcase, "10000.00", "V-REWARD-1")
    offer = rewards.offer(people["judge"], pcase, amount="3000", terms="提供线索执行到位，联系13912345678")
    assert offer.terms == "提供线索执行到位，联系139****5678"  # published text is redacted
    with pytest.raises(Conflict):
        rewards.offer(people["judge"], pcase, amount="100", terms="第二个")
    tip = tips_services.submit(_tip_data(pcase))
    with pytest.raises(ServiceError) as exc:
        rewards.pay(people["judge"], offer.pk, tip.pk, account_no="6222020000009")  # not closed yet
    assert exc.value.field == "tip"
    tips_services.act(people["judge"], tip.pk, "冻结存款")
    tips_services.close(people["judge"], tip.pk, "recovered")
    for outsider in ("assistant", "judge2"):  # not the case's handler, not the director
        with pytest.raises(NotPermitted):
            rewards.pay(people[outsider], offer.pk, tip.pk, account_no="6222020000009")
    paying = rewards.pay(people["judge"], offer.pk, tip.pk, account_no="6222020000009")
    again = rewards.pay(people["judge"], offer.pk, tip.pk, account_no="6222020000009")  # a retry
    assert paying.status == again.status == RewardOffer.Status.PAYING
    payout = Payout.objects.get()
    assert (payout.purpose, payout.amount, payout.account_name, payout.status) == (
        "reward",
        Decimal("3000.00"),
        "李群众",
        "proposed",
    )
    assert payout.chain == ["judge", "director", "president"] and payout.party_id is None
    assert paying.payout_id == payout.pk
    # Proposing moved no money: the applicant's money stays until the bank pays.
    assert not Transaction.objects.filter(kind="reward").exists()
    assert funds_queries.case_money(pcase).balance == Decimal("10000.00")
    with pytest.raises(NotPermitted):
        funds.decide(people["judge"], payout.pk)  # the proposer never approves
    with pytest.raises(NotPermitted):
        funds.decide(people["finance"], payout.pk)  # the judge step is a judge's
    with pytest.raises(Conflict):
        funds.send(people["finance"], payout.pk)  # not approved yet: no order leaves
    for who in ("judge2", "director", "president"):
        funds.decide(people[who], payout.pk)
    assert RewardOffer.objects.get(pk=offer.pk).status == RewardOffer.Status.PAYING  # approved, not paid
    with pytest.raises(NotPermitted):
        funds.send(people["judge"], payout.pk)  # only finance sends
    sent = funds.send(people["finance"], payout.pk)
    assert sent.status == "paid" and len(bank.app.bank.payments) == 1
    paid = RewardOffer.objects.get(pk=offer.pk)
    assert (paid.status, paid.ledger_key, paid.paid_tip_id) == ("paid", f"payout-paid:{payout.pk}", tip.pk)
    assert paid.paid_at is not None
    assert funds_queries.case_money(pcase).balance == Decimal("7000.00")
    assert set(
        Transaction.objects.filter(case=pcase, kind="payout").values_list("idempotency_key", flat=True)
    ) == {
        f"payout-reserve:{payout.pk}",
        f"payout-paid:{payout.pk}",
    }
    # Paid: a later click orders nothing.
    assert rewards.pay(people["judge"], offer.pk, tip.pk, account_no="6222020000009").status == "paid"
    assert Payout.objects.count() == 1
    actions = list(
        AuditRecord.objects.filter(action__startswith="portal.reward").values_list("action", flat=True)
    )
    assert actions == ["portal.reward_offer", "portal.reward_pay", "portal.reward_paid"]
    assert AuditRecord.objects.filter(action="funds.reward_propose").count() == 1


def test_a_reward_larger_than_the_applicants_money_is_refused_and_nothing_moves(
    pcase: Any,
    people: dict[str, Any],
    custody: Any,  # noqa: F811
) -> None:
    receive(pcase, "100.00", "V-REWARD-2")
    offer = rewards.offer(people["director"], pcase, amount="5000", terms="悬赏")
    tip = tips_services.submit(_tip_data(pcase))
    tips_services.act(people["judge"], tip.pk, "核查")
    tips_services.close(people["judge"], tip.pk, "recovered")
    with pytest.raises(Conflict) as exc:
        rewards.pay(people["judge"], offer.pk, tip.pk, account_no="6222020000009")
    assert "超过申请执行人可领取的案款" in exc.value.message
    assert RewardOffer.objects.get(pk=offer.pk).status == "offered"
    assert not Payout.objects.exists()
    assert not Transaction.objects.filter(kind__in=("reward", "payout")).exists()


def _petition(case: Any, actor: Any = None, **kw: Any) -> Petition:
    data = petitions_services.PetitionData(
        case.number, "信访人", "13700137000", kw.pop("content", "请尽快执行")
    )
    return petitions_services.register(actor, data, **kw)


def test_petitions_route_to_the_handler_or_the_director_and_fall_due_in_30_working_days(
    pcase: Any, people: dict[str, Any]
) -> None:
    p = _petition(pcase)
    assert (p.routed_to, p.received_on, p.due_on) == (people["judge"], date(2026, 3, 10), date(2026, 4, 22))
    from tests import factories

    unassigned = factories.case(people["clerk"])
    q = _petition(unassigned, people["clerk"], source="counter")
    assert (q.routed_to, q.source, q.registered_by) == (people["director"], "counter", people["clerk"])
    with pytest.raises(NotPermitted):
        _petition(pcase, people["yx_director"], source="counter")
    with pytest.raises(ServiceError) as exc:
        _petition(pcase, content="字" * 2001)
    assert exc.value.field == "content"
    with pytest.raises(NotPermitted):
        petitions_services.answer(people["judge2"], p.pk, "不是我的")
    petitions_services.answer(people["judge"], p.pk, "已处理")
    with pytest.raises(Conflict):
        petitions_services.answer(people["director"], p.pk, "再答")


def test_petition_counts_are_by_due_day_and_on_time(pcase: Any, people: dict[str, Any]) -> None:
    rows = [_petition(pcase) for _ in range(4)]
    # Due 2026-04-22 (all four). Answer two on time, one late; one stays open.
    petitions_services.answer(people["judge"], rows[0].pk, "答复")
    petitions_services.answer(people["judge"], rows[1].pk, "答复")
    with transaction.atomic():
        Petition.objects.filter(pk=rows[2].pk).update(status="answered", answered_on=date(2026, 4, 23))
    th = pcase.court_id
    assert queries_petitions.petition_counts([th], date(2026, 4, 1), date(2026, 4, 30)) == {
        "due": 4,
        "answered_on_time": 2,
    }
    assert queries_petitions.petition_counts([th], date(2026, 4, 23), date(2026, 4, 30)) == {
        "due": 0,
        "answered_on_time": 0,
    }
    assert queries_petitions.petition_counts(
        [people["yx_director"].court_id], date(2026, 4, 1), date(2026, 4, 30)
    ) == {
        "due": 0,
        "answered_on_time": 0,
    }


def test_the_worklist_counts_new_tips_and_open_petitions_late_ones_urgent(
    pcase: Any, people: dict[str, Any]
) -> None:
    from zhixing.portal import wiring_public

    tips_services.submit(_tip_data(pcase))
    late = _petition(pcase)
    Petition.objects.filter(pk=late.pk).update(due_on=date(2026, 3, 9))
    items = {i.key: (i.count, i.urgent) for i in wiring_public.worklist(people["judge"])}
    assert items == {"tips": (1, False), "petitions": (1, True)}
    assert {i.key: i.count for i in wiring_public.worklist(people["judge2"])} == {"tips": 0, "petitions": 0}
    assert wiring_public.worklist(people["finance"]) == []
    # the director's card counts the court's, as the lists it links to show them
    items = {i.key: (i.count, i.urgent) for i in wiring_public.worklist(people["director"])}
    assert items == {"tips": (1, False), "petitions": (1, True)}


def test_a_tip_raises_one_alert_for_the_handler_and_the_command_center(
    pcase: Any, people: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    """Issue 17 item 5 → issue 21 item 3: the command center's receiver turns the tip into an alert."""
    from zhixing.command.alert_feeds import receive_tip
    from zhixing.command.models import Alert

    with django_capture_on_commit_callbacks(execute=True):
        tip = tips_services.submit(_tip_data(pcase))
    alert = Alert.objects.get(source_key=f"tip:{tip.pk}")
    assert (alert.kind, alert.court_id, alert.case_id) == (Alert.Kind.TIP_OFF, pcase.court_id, pcase.pk)
    assert alert.subject == f"群众举报（财产线索）：{tip.reference}"
    assert alert.detail == "被执行人在某小区有一套房产"
    assert alert.handler_id == pcase.handler_id
    receive_tip(tip=tip)  # a repeated signal raises nothing new
    assert Alert.objects.filter(source_key=f"tip:{tip.pk}").count() == 1
