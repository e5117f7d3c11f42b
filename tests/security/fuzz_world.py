"""A small world with one object of every kind the URLs and the API address by id, in two courts.

The probes (`test_fuzz_forms`, `test_fuzz_api`, `test_oracles`) need real objects behind every id a
URL or an operation takes: cases in each state, nodes, parties, extensions, inquiry requests and
assets, credit listings, restrictions and exposure notices, funds receipts, payouts, plans and
statement imports, analytics jobs, profiles, presets and batches, and a payout-portal token. Everything
is built through the services (so audit and court scoping are real), once in 天河 (粤0106, "own") and
once in the sibling 越秀 (粤0104, "other"), which the 天河 staff must not be able to tell apart from
nothing at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from tests import factories
from zhixing.analytics import queries as analytics_queries
from zhixing.analytics import services as analytics
from zhixing.analytics.models import PropertyLead, Transaction
from zhixing.cases import services as cases
from zhixing.cases.models import EnforcementCase, Extension, Node
from zhixing.core import notify
from zhixing.credit import services as credit
from zhixing.credit.models import Proposal, Restriction
from zhixing.credit.services import repair as credit_repair
from zhixing.documents import services as documents
from zhixing.funds import services as funds
from zhixing.funds.models import Receipt
from zhixing.inquiry import services as inquiry
from zhixing.inquiry.models import Asset, InquiryRequest
from zhixing.inquiry.models import Partner as InquiryPartner
from zhixing.measures import services as measures
from zhixing.measures.models import Consequence
from zhixing.measures.rules import Event

NOW = datetime(2026, 3, 10, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
STATEMENT = (Path(__file__).parent.parent / "analytics" / "fixtures" / "cmb_sample.csv").read_bytes()
CUSTODY = {
    "粤0106": ("广州市天河区人民法院", "44001000106", "880106"),
    "粤0104": ("广州市越秀区人民法院", "44001000104", "880104"),
}


@dataclass
class CourtWorld:
    """The ids of one court's objects, by the kind a URL or operation parameter names."""

    ids: dict[str, list[Any]] = field(default_factory=dict)

    def add(self, kind: str, value: Any) -> None:
        self.ids.setdefault(kind, []).append(value)

    def first(self, kind: str) -> Any:
        return self.ids[kind][0]


def _person_debtor_case(clerk: Any, id_number: str, name: str) -> EnforcementCase:
    return factories.case(
        clerk,
        parties=[
            cases.PartyData(
                role="applicant",
                kind="organisation",
                name="广州某银行股份有限公司",
                credit_code=factories.VALID_CREDIT,
                legal_representative="陈行长",
            ),
            cases.PartyData(
                role="debtor", kind="person", name=name, id_number=id_number, address="广州市天河区某路1号"
            ),
        ],
    )


def build_court(staff: dict[str, Any], seq: int) -> CourtWorld:
    """Objects of every kind in the court of `staff` (clerk, judge, director, finance of that court)."""
    clerk, judge, director, finance = staff["clerk"], staff["judge"], staff["director"], staff["finance"]
    court = clerk.court
    name, account_no, prefix = CUSTODY[court.code]
    funds.set_custody_account(
        None, court, bank_name="沙箱托管银行", account_name=name, account_no=account_no, sub_prefix=prefix
    )
    w = CourtWorld()

    # Cases in each state: registered, in progress (with a pending extension), suspended, closed.
    debtor_id = factories.make_id(date(1980, 5, 6), seq=100 + seq)
    running = _person_debtor_case(clerk, debtor_id, "张三")
    cases.assign_case(director, running, judge, on=date(2026, 3, 5))
    registered = factories.case(clerk)
    extension = cases.request_extension(judge, running, reason="财产处置尚未完成")
    suspended = factories.case(clerk)
    cases.assign_case(director, suspended, judge, on=date(2026, 3, 5))
    cases.suspend_case(judge, suspended, ground="objection", start=date(2026, 3, 5), document_ref="中止裁定")
    closed = factories.case(clerk)
    cases.close_case(
        judge,
        closed,
        mode="terminated",
        closed_on=date(2026, 3, 10),
        details={"document_ref": "终结裁定", "ground": "applicant_withdraws", "served_on": "2026-03-10"},
    )
    for c in (running, registered, suspended, closed):
        w.add("case", c.pk)
        w.add("case_number", c.number)
    w.add("extension", extension.pk)
    # A period the term does not count (审限规定 Art 9), still running.
    period = cases.start_excluded_period(
        judge, running, kind="appraisal", start=date(2026, 3, 6), document_ref="委托评估书"
    )
    w.add("period", period.pk)
    w.add(
        "node", Node.objects.filter(case=running, status=Node.Status.PENDING).values_list("pk", flat=True)[0]
    )
    debtor = running.parties.get(role="debtor")
    applicant = running.parties.get(role="applicant")
    w.add("party", debtor.pk)
    w.add("party", applicant.pk)

    # Credit: a listing (with consumption restriction), an exit restriction, an exposure notice — after the
    # enforcement notice was served (失信规定 Art 5(1)).
    factories.serve_notice(running)
    listing = credit.list_debtor(
        judge, running, debtor, credit.ListingData(ground=4, dishonest_act="拒不报告财产")
    )
    w.add("listing", listing.pk)
    correction = credit.file_correction(
        judge, listing, ground="inaccurate", detail="公布信息有误", received_on=date(2026, 3, 9)
    )
    w.add("correction", correction.pk)
    # A credit-repair application (issue 14 item 9): its certificate pages answer for every role.
    repair = credit_repair.apply_repair(judge, listing, applied_on=listing.decided_on, statement="已全部履行")
    w.add("repair", repair.pk)
    credit.restrict_exit(judge, running, debtor, initiation="ex_officio", bound_persons=[])
    for r in Restriction.objects.filter(case=running).order_by("-pk"):
        w.add("restriction", r.pk)
    w.add(
        "exit-decision", Restriction.objects.filter(case=running, kind="exit").values_list("pk", flat=True)[0]
    )
    # A 限制消费令 the court president signed (ADR 0015): its approval page and its document.
    order = Proposal.objects.create(
        kind="consumption",
        case=running,
        party=debtor,
        court=running.court,
        data={"items": [1], "grace_months": 0, "bound_persons": []},
        summary="限制消费令：第1项；宽限期：不设",
        proposed_by=judge,
        proposed_on=date(2026, 3, 9),
        status="approved",
        approver_name="院长",
        decided_on=date(2026, 3, 9),
        document_number=running.number,
    )
    w.add("approval", order.pk)
    w.add("consumption-order", order.pk)
    credit.create_partner(None, name=f"媒体{seq}", kind="media", area_code="")
    for notice in credit.expose(judge, listing):
        w.add("notice", notice.pk)

    # Inquiry: a found asset, a control request awaiting approval, a query batch.
    bank = InquiryPartner.objects.get(code="BANK-ICBC")
    asset = Asset.objects.create(
        case=running,
        party=debtor,
        partner=bank,
        category=bank.category,
        kind="account",
        ref=f"A{seq}",
        value=Decimal("1000"),
        found_at=NOW,
    )
    w.add("asset", asset.pk)
    control = inquiry.request_control(judge, asset, "freeze", amount="10")
    w.add("request", control.pk)
    inquiry.start_inquiry(judge, running, ["deposit"])
    w.add(
        "request",
        InquiryRequest.objects.filter(case=running).exclude(pk=control.pk).values_list("pk", flat=True)[0],
    )

    # Funds: money on the case, a payout awaiting approval, a plan, an unidentified receipt, a statement.
    account = funds.case_account(running)
    funds.book_incoming(
        funds.Incoming(
            txn_id=f"W{seq}", amount="5000.00", value_date=date(2026, 3, 9), to_account=account.number
        ),
        source="notice",
    )
    # A single bank notice in the durable inbox: its status endpoint takes the bank's txn id.
    from zhixing.funds.services import inbox as funds_inbox

    funds_inbox.receive_notice(
        funds.Incoming(
            txn_id=f"N{seq}", amount="1.00", value_date=date(2026, 3, 9), to_account=account.number
        ),
        business_date=None,
    )
    w.add("txn", f"N{seq}")
    payout = funds.propose(
        judge,
        running,
        party_id=applicant.pk,
        amount="100.00",
        account_name=applicant.name,
        account_no="6222000011112222",
        bank_name="工商银行",
    )
    w.add("payout", payout.pk)
    # A hold (暂缓发放) on part of the money: its lift endpoint takes a hold id.
    from zhixing.funds.services import holds as funds_holds

    hold = funds_holds.place_hold(judge, running, reason="disputed", start=running.filed_on, amount="10.00")
    w.add("hold", hold.pk)
    plan = funds.create_plan(
        judge,
        running,
        proceeds="1000.00",
        costs="100.00",
        first_seizing_court=court.name,
        claims=[
            {
                "creditor": "甲银行",
                "creditor_id_number": "91110000600037341L",
                "amount": "2000.00",
                "basis": "（2025）粤0104民初6号",
            },
            {
                "creditor": "乙",
                "creditor_id_number": "360426199101010071",
                "amount": "500.00",
                "basis": "（2025）粤0104民初7号",
            },
        ],
    )
    w.add("plan", plan.pk)
    w.add("claim", plan.claims.values_list("pk", flat=True)[0])
    w.add("objection", 0)  # the plan is a draft: no objection yet (probes get 404/409, never 5xx)
    w.add("line", 0)
    funds.book_receipt(idempotency_key=f"U{seq}", amount="9.00", value_date=date(2026, 3, 9), court=court)
    w.add("receipt", Receipt.objects.filter(court=court, case__isnull=True).values_list("pk", flat=True)[0])
    statement = f"交易流水号,交易日期,金额\nR{seq},2026-03-09,5000.00\n".encode()
    imp = funds.import_statement(finance, court, statement, "s.csv")
    w.add("statement", imp.pk)
    # Reconciliation: the statement's reconciliation, its difference, and a saved statement layout.
    w.add("reconciliation", imp.reconciliation.pk)
    w.add("rec", imp.reconciliation.pk)  # the API's {rec_id}
    w.add("item", imp.reconciliation.items.values_list("pk", flat=True)[0])
    layout = {"name": f"版式{seq}", "header_row": "1", "amount_mode": "signed"}
    layout |= {"txn_id_column": "流水号", "date_column": "日期", "amount_column": "金额"}
    w.add("layout", funds.save_layout(finance, court, layout).pk)
    w.add("token", funds.issue_token(judge, running, applicant.pk).token)

    # Measures: the judge's proposals once the claim counts as paid, and a consequence a partner refused.
    for proposal in measures.apply_event(Event.PAID_IN_FULL, running, judge):
        w.add("proposal", proposal.pk)
    refused = Consequence.objects.create(
        case=running,
        court=court,
        event="paid_in_full",
        measure="freeze",
        action="release",
        article="查封规定第19条",
        summary="解除冻结",
        status="failed",
        error="联动单位拒绝解除",
    )
    w.add("consequence", refused.pk)

    # Analytics: an import job, a profile, a user preset, a batch run.
    ref = analytics_queries.debtor(judge, running.pk, debtor.pk)
    assert ref is not None
    preset = next(p for p in analytics_queries.presets(judge) if p.code == "cmb")
    job = analytics.create_import(
        judge, ref, kind="statement", file_name="cmb.csv", data=STATEMENT, preset=preset
    )
    w.add("job", analytics.run_import(job.pk).pk)
    w.add("tx", Transaction.objects.filter(job_id=job.pk).order_by("pk").values_list("pk", flat=True)[0])
    profile = analytics.compute_profile(judge, ref, start=date(2023, 1, 1), end=date(2026, 1, 1))
    w.add("profile", profile.pk)
    w.add("rule", next(iter(profile.findings), "regular_payees") if profile.findings else "regular_payees")
    lead = profile.leads.first() or PropertyLead.objects.create(
        party=debtor, profile=profile, counterparty="车辆 粤C08775", lead_type="车辆", kind="vehicle",
        target="粤C08775", months=3, total="255.00",
    )  # fmt: skip
    w.add("lead", lead.pk)
    own = analytics.save_preset(
        judge,
        {
            "name": f"自定义{seq}",
            "code": f"own{seq}",
            "header_row": 1,
            "date_column": "日期",
            "amount_column": "金额",
        },
    )
    w.add("preset", own.pk)
    w.add("batch", analytics.create_batch(director).pk)
    # Leaders: a 督办 on the running case (its reply page takes an order id), and a chart's name.
    order = cases.issue_supervision_order(
        director, EnforcementCase.objects.get(pk=running.pk), text="请尽快办理", due_on=date(2026, 3, 20)
    )
    w.add("order", order.pk)
    w.add("name", "trend")
    # A notification for the judge (the bell's "mark read" takes its id).
    w.add("notification", notify.notify(judge, "case.assigned", "案件已分配给您承办", "/", source="probe").pk)
    # A generated document (its Word and PDF downloads take its id; issue 17).
    w.add(
        "document",
        documents.generate(judge, EnforcementCase.objects.get(pk=running.pk), "enforcement_notice").pk,
    )
    w.add("number", 1)  # a template version number (documents/templates/<code>/<number>.docx)
    _command_objects(w, director, running, seq)
    _feature_objects(w, staff, running, control, seq)
    assert Extension.objects.filter(pk=extension.pk).exists()
    return w


def _command_objects(w: CourtWorld, director: Any, case: Any, seq: int) -> None:
    """Command center (issue 21): an alert, a field task, its evidence and an upload in progress."""
    import hashlib
    from datetime import timedelta

    from django.utils import timezone

    from zhixing.command import alerts as cmd_alerts
    from zhixing.command import dispatch as cmd_dispatch
    from zhixing.command import field as cmd_field
    from zhixing.courts.models import Team

    court = director.court
    team = Team.objects.create(court=court, name=f"外勤{seq}队")
    raised = cmd_alerts.raise_alert(
        "plate_hit", court, case, "布控车辆", "", None, f"probe:{seq}", place="停车场"
    )
    w.add("alert", raised.alert.pk)
    now = timezone.now()
    task = cmd_dispatch.create_task(
        director,
        cmd_dispatch.TaskData(
            kind="seal",
            team_id=team.pk,
            target="厂房",
            place="黄埔",
            starts_at=now,
            ends_at=now + timedelta(hours=2),
            case=case,
        ),
    )
    w.add("task", task.pk)
    data = b"probe-evidence"
    start = cmd_field.UploadStart("a.jpg", "image/jpeg", len(data), hashlib.sha256(data).hexdigest(), now)
    up = cmd_field.start_upload(director, task.pk, start)
    evidence = cmd_field.put_chunk(director, str(up.token), 0, data).evidence
    assert evidence is not None
    w.add("evidence", evidence.pk)
    w.add("token", str(cmd_field.start_upload(director, task.pk, start).token))


def _feature_objects(w: CourtWorld, staff: dict[str, Any], running: Any, control: Any, seq: int) -> None:
    """Coercive measures, entrustment, auctions, e-service and the public portal (issues 22–26): one
    object of each kind their URLs address, made through their services."""
    from datetime import timedelta

    from zhixing.auctions import services as auctions
    from zhixing.cases.services import coercion, settlement
    from zhixing.documents import eservice
    from zhixing.entrust import services as entrust
    from zhixing.portal import public_rulings, tips_services

    clerk, judge = staff["clerk"], staff["judge"]
    running = EnforcementCase.objects.get(pk=running.pk)
    debtor = running.parties.get(role="debtor")
    # A fine awaiting the president (coercion/<pk>/<op>/, /api/v1/coercive-measures/<measure_id>/…).
    fine = coercion.propose_measure(
        judge, running, kind="fine", party_id=debtor.pk, act="拒不报告财产", amount="20000"
    )
    w.add("coercion", fine.pk)
    w.add("measure", fine.pk)
    # A matter entrusted to 深圳中院, which no court of the probes (天河, 越秀, 福田) sees the other's of.
    sent = entrust.send_matter(judge, running, to_court="粤03", matter="freeze", request="冻结被执行人存款")
    w.add("entrust", sent.pk)
    w.add("entrustment", sent.pk)
    # A published lot of a seized house on a case of its own (its term pauses), and a registration.
    case = factories.case(clerk)
    partner = InquiryPartner.objects.get(code="REG-ESTATE")
    house = Asset.objects.create(
        case=case,
        party=case.parties.get(role="debtor"),
        partner=partner,
        category=partner.category,
        kind="house",
        ref=f"粤（2024）广州市不动产权第00{seq}号",
        value=Decimal("1000000"),
        divisible=False,
        state=Asset.State.SEIZED,
        control_start=date(2026, 1, 5),
        control_expires=date(2029, 1, 4),
        found_at=NOW - timedelta(days=70),
    )
    auctions.set_reference_price(
        judge,
        house.pk,
        method="online",
        amount="1000000",
        started_on=date(2026, 1, 20),
        reported_on=date(2026, 1, 23),
        tried=["agreement", "directed"],
    )
    tz = NOW.tzinfo
    lot = auctions.create_lot(
        judge,
        house.pk,
        auctions.LotInput(
            title=f"广州市某路{seq}号房产",
            start_price="700000",
            increment="5000",
            deposit="70000",
            notified_on=date(2026, 3, 7),
            announced_on=date(2026, 3, 10),
            starts_at=datetime(2026, 4, 9, 10, tzinfo=tz),
            ends_at=datetime(2026, 4, 10, 10, tzinfo=tz),
            panel=["审判长 王法官", "审判员 李法官", "审判员 赵法官"],
        ),
    )
    auctions.publish_lot(judge, lot.pk)
    w.add("lot", lot.pk)
    bidder, _token = auctions.register_bidder(
        f"竞买人{seq}", factories.make_id(date(1985, 1, 2), seq=310 + seq)
    )
    w.add("reg", auctions.join_lot(bidder, lot.pk).pk)
    # The enforcement notice served on the debtor through the party portal (its delivery).
    eservice.confirm_address(
        judge, running, debtor.pk, phone=f"1380013800{seq}", portal=True, electronic_consent=True
    )
    notice = documents.generate(judge, running, "enforcement_notice")
    delivery = eservice.serve(judge, notice, debtor.pk).deliveries.order_by("pk").first()
    assert delivery is not None
    w.add("delivery", delivery.pk)
    # A tip with a photo (its rows act under disclosure/<kind>/<pk>/<action>/, here kind "tips").
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    tip = tips_services.submit(
        tips_services.TipData(
            running.number,
            "assets",
            "被执行人有车辆",
            "李群众",
            "13800138000",
            (tips_services.Photo("a.png", png),),
        )
    )
    w.add("row", tip.pk)
    w.add("photo", tip.photos.values_list("pk", flat=True)[0])
    # A freeze ruling published on the public portal.
    ruling = documents.generate(judge, running, "freeze_ruling", str(control.pk))
    w.add("ruling", public_rulings.publish(judge, ruling.pk).pk)
    # A settlement agreement (和解协议) with two instalments (cases/<pk>/settlement/<settlement_id>/…).
    agreement = settlement.record_settlement(
        judge,
        running,
        parties="申请执行人与被执行人",
        signed_on=running.filed_on,  # not before the filing day (the world is built on NOW)
        document_ref=f"和解笔录{seq}",
        instalments=[
            (running.filed_on + timedelta(days=30), "1000"),
            (running.filed_on + timedelta(days=60), "1000"),
        ],
    )
    w.add("settlement", agreement.pk)
    # The applicant's online request to resume after it (…/requests/<resume_request_id>/decide/).
    from zhixing.cases.services import settlement_requests

    req = settlement_requests.file_resume_request(
        running,
        agreement.pk,
        party_id=running.parties.filter(role="applicant").order_by("pk")[0].pk,
        grounds="被执行人未按期履行",
    )
    w.add("resume_request", req.pk)
    # A third party's objection to a seized flat of the running case, rejected and served (a world
    # shortcut: its suit window open), so the suit, suit-end and retrial endpoints meet a real objection.
    from tests.inquiry.expiry_support import seized
    from zhixing.objections import services as objections
    from zhixing.objections.models import Objection

    flat = seized(running, running.filed_on, ref=f"粤(2024)广州市不动产权第{seq:07d}号")
    claim = objections.ObjectorData(
        "李秀英", factories.make_id(date(1985, 3, 15), seq=690), "该房屋系本人所有", "购房合同"
    )
    objection = objections.file_third_party(None, running, flat.pk, claim)
    Objection.objects.filter(pk=objection.pk).update(
        status="rejected",
        decided_on=NOW.date(),
        served_on=NOW.date(),
        suit_due=NOW.date() + timedelta(days=15),
    )
    w.add("objection", objection.pk)


def build(people: dict[str, Any]) -> dict[str, CourtWorld]:
    """The world of 天河 ("own") and 越秀 ("other"); `people` is the shared fixture plus the 越秀 staff."""
    analytics.install_builtin_presets()
    for currency, valid_from, rate in (
        ("USD", date(2020, 1, 1), "7.1234"),
        ("HKD", date(2020, 1, 1), "0.91"),
    ):
        analytics.set_exchange_rate(
            people["director"], currency=currency, valid_from=valid_from, rate=rate, note="测试"
        )
    own = build_court(
        {k: people[k] for k in ("clerk", "judge", "director", "finance")},
        1,
    )
    other = build_court(
        {k: people[f"yx_{k}"] for k in ("clerk", "judge", "director", "finance")},
        2,
    )
    return {"own": own, "other": other}


def add_sibling_staff(people: dict[str, Any], courts: dict[str, Any]) -> dict[str, Any]:
    """The shared fixture has a 越秀 judge and director; the world also needs its clerk, finance,
    president and a second judge (a payout's approval chain)."""
    for role in ("clerk", "finance", "president"):
        key = f"yx_{role}"
        if key not in people:
            people[key] = factories.staff(courts["yx"], role, username=key)
    # A payout's approval chain needs a judge other than the proposer (funds approval rules).
    if "yx_judge2" not in people:
        people["yx_judge2"] = factories.staff(courts["yx"], "judge", username="yx_judge2")
    return people
