"""Every standard document renders every field from the case's data: read back from Word (no empty
placeholder, no template tag, no English left) and drawn as PDF with the Chinese font (pypdfium2 → image)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.documents.reading import TAG, ink, latin_left, pdf_pages, word_text
from zhixing.documents import kinds, pdf, queries, render, services

pytestmark = pytest.mark.django_db

ALL = list(kinds.ORDER)


def test_every_standard_document_is_registered_with_a_shipped_template() -> None:
    assert [k.code for k in kinds.all_kinds()] == ALL
    for code in ALL:
        assert services.default_file(code).is_file(), code
        assert services.fields_of(services.default_file(code).read_bytes()) >= {
            "court",
            "document_number",
            "date",
        }


@pytest.mark.parametrize("code", ALL)
def test_each_shipped_template_renders_every_field(code: str) -> None:
    """A distinct Chinese marker per field: each must appear, and nothing of the template may be left."""
    shipped = services.default_file(code).read_bytes()
    names = sorted(services.fields_of(shipped))
    ctx: dict[str, Any] = {name: f"甲{i}乙{'丙' * (i % 3)}丁" for i, name in enumerate(names)}
    markers = dict(ctx)
    for t, (name, cells) in enumerate(sorted(services.tables_of(shipped).items())):
        rows = [{c: f"表{t}行{r}列{'乙' * j}" for j, c in enumerate(sorted(cells))} for r in range(2)]
        ctx[name] = rows
        markers.update({f"{name}.{r}.{c}": v for r, row in enumerate(rows) for c, v in row.items()})
    data = render.render_docx(shipped, ctx)
    text = word_text(data)
    for name, marker in markers.items():
        assert marker in text, name
    assert not TAG.search(text)
    assert latin_left(text, markers) == []
    # The compiled (batch) path writes the same words.
    assert word_text(render.Compiled(services.default_file(code).read_bytes()).render(ctx)) == text


def _real_cases(full: dict[str, Any], people: dict[str, Any]) -> list[tuple[str, Any, str, dict[str, str]]]:
    case, dormant, judge = full["case"], full["dormant"], people["judge"]
    debtor = str(case.parties.get(role="debtor").pk)
    return [
        ("enforcement_notice", case, "", {}),
        ("asset_report_order", case, "", {}),
        ("assistance_notice", case, str(full["freeze"].pk), {}),
        ("freeze_ruling", case, str(full["freeze"].pk), {}),
        ("seizure_ruling", case, str(full["house"].pk), {}),
        ("consumption_order", case, str(full["proposal"].pk), {}),
        ("listing_decision", case, str(full["listing"].pk), {}),
        ("exit_decision", case, str(_exit(case, judge).pk), {}),
        ("repair_certificate", case, str(_repair(case, full["listing"], judge).pk), {}),
        ("ability_report", case, str(_profile(case, people).pk), {}),
        ("fine_decision", case, debtor, {"act": "被执行人拒不报告财产情况", "amount": "20000"}),
        (
            "detention_decision",
            case,
            debtor,
            {"act": "被执行人隐匿财产", "days": "15", "custody": "广州市公安局天河区分局拘留所"},
        ),
        ("summons_warrant", case, debtor, {"act": "经两次传唤拒不到场", "person": "张三", "hours": "8"}),
        ("search_warrant", case, debtor, {"act": "将车辆藏匿拒不交出", "place": "被执行人住所及车库"}),
        (
            "sale_confirmation",
            case,
            str(full["house"].pk),
            {
                "buyer": "王五",
                "price": "760000",
                "sale_date": "2026年03月01日",
                "platform": "人民法院诉讼资产网",
            },
        ),
        ("distribution_plan", case, str(full["plan"].pk), {}),
        ("dormant_ruling", dormant, "", {}),
        ("reinquiry_notice", dormant, str(_reinquiry(dormant).pk), {}),
        ("closing_notice", dormant, "", {}),
        ("objection_ruling", case, str(_objection(case, full["house"]).pk), {}),
    ]


def _exit(case: Any, judge: Any) -> Any:
    """An exit restriction of the debtor (限制出境决定书, moved onto the capability in issue 17)."""
    from zhixing.credit import services as credit

    [r] = credit.restrict_exit(
        judge, case, case.parties.get(role="debtor"), initiation="application", bound_persons=[]
    )
    return r


def _repair(case: Any, listing: Any, judge: Any) -> Any:
    """A granted credit repair of the case's listing (信用修复证明, moved onto the capability in issue 17)."""
    from zhixing.credit.models import CreditRepair

    return CreditRepair.objects.create(
        listing=listing,
        applied_on=case.filed_on,
        decision_due=case.filed_on,
        statement="已全部履行",
        status=CreditRepair.Status.GRANTED,
        conditions={"performed": True, "corrected": True, "no_other_listing": True},
        decided_on=case.filed_on,
        decided_by=judge,
        certificate_number=f"{case.number}信修1号",
        reason="符合信用修复条件，准予修复",
    )


def _profile(case: Any, people: dict[str, Any]) -> Any:
    """An ability-to-pay profile of the debtor from an imported statement (analytics, issue 17)."""
    from datetime import date

    from tests.analytics.conftest import FIXTURES, RATES, load
    from zhixing.analytics import queries as analytics_queries
    from zhixing.analytics import services as analytics

    judge = people["judge"]
    for currency, valid_from, rate in RATES:
        analytics.set_exchange_rate(
            people["director"], currency=currency, valid_from=valid_from, rate=rate, note="测试"
        )
    analytics.install_builtin_presets()
    party = case.parties.get(role="debtor")
    ref = analytics_queries.debtor(judge, case.pk, party.pk)
    preset = next(p for p in analytics_queries.presets(None) if p.code == "alipay")
    load(ref, judge, preset, (FIXTURES / "alipay_sample.csv").read_bytes())
    return analytics.compute_profile(
        judge, ref, start=date(2024, 1, 1), end=date(2024, 3, 31), restrictions=[(date(2024, 1, 1), None)]
    )


def _reinquiry(case: Any) -> Any:
    """A settled 终本 re-inquiry round of the dormant case that found a car, and its notice (issue 20)."""
    from datetime import date

    from zhixing.inquiry.models import DormantRound, InquiryBatch, ReinquiryNotice

    batch = InquiryBatch.objects.create(court=case.court, categories=["vehicle"])
    rnd = DormantRound.objects.create(
        case=case, court=case.court, batch=batch, run_on=date(2026, 9, 10), found=1, outcome="found"
    )
    return ReinquiryNotice.objects.create(
        round=rnd, case=case, court=case.court, addressees="申请人", content="查得车辆一辆"
    )


def _objection(case: Any, house: Any) -> Any:
    """A third-party objection to the seized house, rejected by a panel (issue 19)."""
    from zhixing.objections.models import Objection

    return Objection.objects.create(
        court=case.court,
        case=case,
        number="（2026）粤0106执异99号",
        kind=Objection.Kind.THIRD_PARTY,
        asset=house,
        objector_name="李秀英",
        objector_id_number="440106198503150026",
        claim="该房屋系本人购买并已付清价款",
        grounds="购房合同",
        channel=Objection.Channel.ONLINE,
        received_on=case.filed_on,
        decision_due=case.filed_on,
        notify_due=case.filed_on,
        status=Objection.Status.REJECTED,
        panel=[{"id": 1, "name": "王法官"}, {"id": 2, "name": "李法官"}, {"id": 3, "name": "陈局长"}],
        decided_on=case.filed_on,
        decision_reason="证据不足以排除强制执行",
    )


def test_every_kind_from_a_real_case_fills_every_field_in_word_and_pdf(
    full: dict[str, Any], people: dict[str, Any], settings: Any, tmp_path: Any
) -> None:
    settings.DATA_DIR = tmp_path / "data"  # the analytics import's files (ability report)
    judge = people["judge"]
    made = []
    for code, case, source, inputs in _real_cases(full, people):
        kind = kinds.get(code)
        assert kind is not None
        ctx = kinds.context_for(kind, case, source, inputs)
        fields = services.fields_of(services.default_file(code).read_bytes())
        assert fields <= set(ctx), (code, fields - set(ctx))
        for name in fields:
            assert str(ctx[name]).strip(), (code, name)  # no empty placeholder
        tables = services.tables_of(services.default_file(code).read_bytes())
        for name, cells in tables.items():  # a table: at least one row, every cell filled
            assert ctx[name], (code, name)
            for row in ctx[name]:
                assert all(str(row[c]).strip() for c in cells), (code, name, row)
        doc = services.generate(judge, case, code, source, inputs)
        text = word_text(queries.content(doc))
        for name in fields:
            for line in str(ctx[name]).split("\n"):
                assert line in text, (code, name, line)
        for name, cells in tables.items():
            for row in ctx[name]:
                for c in cells:
                    assert str(row[c]) in text, (code, name, c, row[c])
        assert not TAG.search(text), code
        flat = {
            f"{name}.{i}.{c}": v for name in tables for i, row in enumerate(ctx[name]) for c, v in row.items()
        }
        assert latin_left(text, {**ctx, **flat}) == [], code
        made.append((doc, ctx))
    assert len(made) == len(ALL)
    # PDF drawn to images: Chinese text is there (extracted back) and ink is on the page.
    for doc, ctx in made:
        pages = pdf_pages(pdf.docx_to_pdf(queries.content(doc), doc.title))
        assert pages, doc.kind
        first_img, first_text = pages[0]
        assert ink(first_img) > 2000, doc.kind
        assert ctx["court"] in first_text.replace("\r\n", "").replace("\n", ""), doc.kind


def test_enforcement_notice_carries_the_case_account_and_the_listing_warning(
    full: dict[str, Any], people: dict[str, Any]
) -> None:
    case = full["case"]
    doc = services.generate(people["judge"], case, "enforcement_notice")
    text = word_text(queries.content(doc))
    account = case.funds_account
    assert f"开户银行沙箱托管银行，户名广州市天河区人民法院，账号{account.number}" in text
    assert "本院将依法将其纳入失信被执行人名单" in text and "该规定第五条第一款" in text
    assert "应当加倍支付迟延履行期间的债务利息" in text
    assert "报告财产令" in text


def test_assistance_notice_names_the_person_in_full_with_the_control_period(
    full: dict[str, Any], people: dict[str, Any]
) -> None:
    case = full["case"]
    party = case.parties.get(role="debtor")
    doc = services.generate(people["judge"], case, "assistance_notice", str(full["freeze"].pk))
    text = word_text(queries.content(doc))
    assert f"被执行人：张三，公民身份号码：{party.id_number}。" in text
    assert "*" not in text
    # A deposit freeze runs one year counted from its start (SPC-CPL-Interp Art 485).
    assert "控制期限：自2026年03月10日起至2027年03月09日止（1年）" in text
    assert "反馈实际冻结金额、账号及冻结起止日期" in text
    seize = word_text(
        queries.content(services.generate(people["judge"], case, "seizure_ruling", str(full["house"].pk)))
    )
    assert "查封期限：自2026年03月06日起至2029年03月05日止（3年）" in seize


@pytest.mark.parametrize("price", ["NaN", "1e309", "-5", "12.345", "sNaN", "Infinity"])
def test_a_sale_confirmation_price_that_is_no_amount_names_the_field(
    full: dict[str, Any], price: str
) -> None:
    """Found by the web-form fuzzer: "NaN" and "1e309" raised decimal.InvalidOperation (a 500)."""
    from zhixing.core.errors import ServiceError
    from zhixing.inquiry import notices

    inputs = {
        "buyer": "王五",
        "price": price,
        "sale_date": "2026年03月01日",
        "platform": "人民法院诉讼资产网",
    }
    with pytest.raises(ServiceError) as exc:
        notices.sale_confirmation(full["case"], str(full["house"].pk), inputs)
    assert exc.value.field == "price"
