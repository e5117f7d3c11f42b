"""Filing through the form: two debtors; each error on the right field or party row, nothing written."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.test import Client

from tests import factories
from tests.services.test_filing import _race, slow_numbering
from tests.web.conftest import (
    APPLICANT,
    DEBTOR_ID,
    DEBTOR_ID_MASKED,
    NOW,
    ORG_DEBTOR,
    ORG_DEBTOR_CREDIT,
    PERSON_DEBTOR,
    filing_post,
)
from zhixing.cases.models import EnforcementCase, Party
from zhixing.core.models import AuditRecord

pytestmark = pytest.mark.django_db

URL = "/cases/new/"
BAD_ID = DEBTOR_ID[:-1] + ("2" if DEBTOR_ID[-1] != "2" else "3")  # wrong check digit


def html(response: Any) -> str:
    return response.content.decode()


def field_errors(page: str, name: str) -> list[str]:
    """Error texts under the form field `name` (a `data-field` block of the form or of a party row)."""
    block = page.split(f'name="{name}"', 1)[1].split("</div>", 2)
    return re.findall(r"<li>([^<]+)</li>", block[0] + block[1])


def nothing_written() -> None:
    assert not EnforcementCase.objects.exists()
    assert not Party.objects.exists()
    assert not AuditRecord.objects.filter(action="case.file").exists()


def test_the_form_starts_with_an_applicant_and_a_debtor_row(people, login, frozen):
    page = html(login(people["clerk"]).get(URL))
    assert '<form method="post" id="form-file" name="file" data-testid="form-file" novalidate>' in page
    assert 'name="parties-TOTAL_FORMS" value="2"' in page
    assert re.search(r'name="parties-0-role"[^>]*>\s*<option value="applicant" selected>', page)
    assert re.search(
        r'name="parties-1-role"[^>]*>\s*<option value="applicant">申请执行人</option>\s*'
        r'<option value="debtor" selected>',
        page,
    )
    assert (
        '<button type="button" class="secondary" id="add-party" data-testid="add-party">＋ 添加当事人' in page
    )
    template = page.split('<template id="party-template">')[1].split("</template>")[0]
    assert 'name="parties-__prefix__-name"' in template and "当事人 __num__" in template
    assert 'name="filed_on" value="2026-03-10"' in page
    case_types = re.findall(
        r'<option value="([^"]*)"', page.split('name="case_type"')[1].split("</select>")[0]
    )
    assert "执" in case_types and "执保" in case_types and "执恢" not in case_types
    assert 'data-testid="duplicate-warning"' not in page


def test_filing_with_two_debtors(people, login, frozen):
    client = login(people["clerk"])
    response = client.post(URL, filing_post())
    case = EnforcementCase.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "立案成功，案号：（2026）粤0106执1号；申请执行费1,509.50元（执行后交纳）"
    ]
    assert case.number == "（2026）粤0106执1号"
    parties = list(case.parties.order_by("id"))
    assert [(p.role, p.kind, p.name) for p in parties] == [
        ("applicant", "organisation", "广州某银行股份有限公司"),
        ("debtor", "person", "张三"),
        ("debtor", "organisation", "广州某贸易有限公司"),
    ]
    assert parties[1].id_number == DEBTOR_ID and parties[2].credit_code == ORG_DEBTOR_CREDIT
    assert [a.name for a in parties[1].aliases.order_by("id")] == ["张叁", "张仨"]
    assert parties[2].legal_representative == "李四"
    assert str(case.principal) == "100000.00" and str(case.adjudged_interest) == "5000.00"
    page = html(client.get(response["Location"]))
    assert "立案成功，案号：（2026）粤0106执1号" in page
    assert '<td class="num" id="application-fee" data-testid="application-fee">1,509.50</td>' in page
    assert DEBTOR_ID_MASKED in page and DEBTOR_ID not in page
    assert "广州某贸易有限公司" in page and ORG_DEBTOR_CREDIT in page


def test_filing_with_an_added_row_left_blank(people, login, frozen):
    blank: dict[str, str] = {"role": "debtor", "kind": "person"}
    response = login(people["clerk"]).post(URL, filing_post([APPLICANT, PERSON_DEBTOR, blank]))
    assert response.status_code == 302
    assert EnforcementCase.objects.get().parties.count() == 2


def test_bad_id_checksum_is_named_on_its_party_row(people, login, frozen):
    bad_debtor = {**PERSON_DEBTOR, "id_number": BAD_ID}
    response = login(people["clerk"]).post(URL, filing_post([APPLICANT, ORG_DEBTOR, bad_debtor]))
    assert response.status_code == 200
    page = html(response)
    assert field_errors(page, "parties-2-id_number") == [
        "第3位当事人身份证号有误：身份证号码校验码错误：末位校验码与前17位不符，请核对号码"
    ]
    assert field_errors(page, "parties-1-credit_code") == []
    assert f'name="parties-2-id_number" value="{BAD_ID}"' in page  # the user's input is kept
    assert 'name="basis_number" value="（2025）粤0106民初888号"' in page
    assert "提交未成功" in page
    nothing_written()


def test_party_numbers_in_messages_follow_the_rows_on_screen(people, login, frozen):
    blank = {"role": "debtor", "kind": "person"}
    bad_org = {**ORG_DEBTOR, "credit_code": ORG_DEBTOR_CREDIT[:-1] + "0"}
    response = login(people["clerk"]).post(URL, filing_post([APPLICANT, blank, PERSON_DEBTOR, bad_org]))
    errors = field_errors(html(response), "parties-3-credit_code")
    assert errors == [
        "第4位当事人统一社会信用代码有误：统一社会信用代码校验码错误：末位校验码与前17位不符，请核对代码"
    ]
    nothing_written()


@pytest.mark.parametrize(
    ("party", "field", "message"),
    [
        ({**PERSON_DEBTOR, "id_number": ""}, "id_number", "第2位当事人（自然人）须填写身份证号"),
        ({**ORG_DEBTOR, "credit_code": ""}, "credit_code", "第2位当事人（单位）须填写统一社会信用代码"),
        ({**PERSON_DEBTOR, "name": ""}, "name", "第2位当事人的姓名/名称不能为空且不超过128字"),
        (
            {**PERSON_DEBTOR, "id_number": "44010619900101123"},
            "id_number",
            "第2位当事人身份证号有误：身份证号码格式错误：应为18位，实际为17位",
        ),
    ],
)
def test_party_errors(people, login, frozen, party, field, message):
    response = login(people["clerk"]).post(URL, filing_post([APPLICANT, party]))
    assert field_errors(html(response), f"parties-1-{field}") == [message]
    nothing_written()


def test_parties_section_errors(people, login, frozen):
    client = login(people["clerk"])
    page = html(client.post(URL, filing_post([PERSON_DEBTOR, ORG_DEBTOR])))
    assert '<ul class="errorlist" role="alert" id="party-errors"><li>至少需要一名申请执行人</li></ul>' in page
    page = html(
        client.post(URL, filing_post([APPLICANT, PERSON_DEBTOR, {**PERSON_DEBTOR, "name": "张三丰"}]))
    )
    assert f"同一身份号码重复出现：{DEBTOR_ID}" in page
    nothing_written()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"principal": "12,34"}, "principal", "本金的千分位分隔符位置不正确：“12,34”"),
        ({"principal": "-5"}, "principal", "本金不能为负数"),
        (
            {"principal": "0", "adjudged_interest": "0", "litigation_costs": "0"},
            "principal",
            "金钱给付案件的本金须大于0（执行标的额须大于0）",
        ),
        ({"litigation_costs": "1.005"}, "litigation_costs", "诉讼费用最多保留两位小数（精确到分）"),
        ({"filed_on": "2026-03-11"}, "filed_on", "立案日期不能晚于今天"),
        ({"applied_on": "2026-03-05"}, "applied_on", "申请执行日期不能晚于立案日期"),
        (
            {"performance_deadline": "2025-11-30"},
            "performance_deadline",
            "履行期限届满日不能早于执行依据生效日期",
        ),
        (
            {"performance_deadline": "2026-03-02"},
            "performance_deadline",
            "履行期限届满日2026-03-02尚未届满：申请执行须在履行期限届满之后"
            "（申请执行日期2026-03-02；执行工作规定第16条）",
        ),
        ({"applied_on": ""}, "applied_on", "请填写申请执行日期"),
        ({"effective_on": "2025-02-30"}, "effective_on", "生效日期应为有效日期（YYYY-MM-DD）"),
        ({"issuing_body": ""}, "issuing_body", "作出机关不能为空且不超过64字"),
        ({"instrument_type": ""}, "instrument_type", "请选择执行依据类型"),
        ({"case_type": "执恢"}, "case_type", "选择一个有效的选项。 执恢 不在可用的选项中。"),
    ],
)
def test_case_field_errors(people, login, frozen, fields, field, message):
    response = login(people["clerk"]).post(URL, filing_post(**fields))
    assert response.status_code == 200
    assert field_errors(html(response), field) == [message]
    nothing_written()


def test_duplicate_filing_needs_confirmation(people, login, frozen):
    client = login(people["clerk"])
    assert client.post(URL, filing_post()).status_code == 302
    response = client.post(URL, filing_post())
    assert response.status_code == 200
    page = html(response)
    warning = page.split(' id="duplicate-warning"')[1].split("</div>")[0]
    assert (
        "同一执行依据对同一被执行人已有在办案件：（2026）粤0106执1号。确认重复立案请勾选确认后再提交"
        in warning
    )
    assert '<input type="checkbox" name="confirm_duplicate"' in warning and " checked" not in warning
    assert "确认重复立案" in warning
    assert EnforcementCase.objects.count() == 1
    response = client.post(URL, filing_post(confirm_duplicate="on"))
    assert response.status_code == 302
    assert EnforcementCase.objects.order_by("-id")[0].number == "（2026）粤0106执2号"


def test_minor_and_id_warnings_show_on_the_case_page(people, login, frozen):
    minor = {**PERSON_DEBTOR, "name": "小明", "id_number": factories.make_id(date(2012, 5, 1), seq=456)}
    old = {**PERSON_DEBTOR, "name": "老王", "id_number": factories.VALID_IDS[1], "former_names": ""}
    client = login(people["clerk"])
    response = client.post(URL, filing_post([APPLICANT, minor, old]))
    page = html(client.get(response["Location"]))
    assert '<span class="badge yellow" data-testid="minor">未成年人</span>' in page
    assert "出生日期1880-01-01距今已超过120年，请核对" in page


@pytest.mark.parametrize("who", ["bailiff", "operator", "finance", "president", "gd_president"])
def test_filing_refused_without_the_capability(people, login, frozen, who):
    client = login(people[who])
    assert client.get(URL).status_code == 403
    response = client.post(URL, filing_post())
    assert response.status_code == 403 and "您的岗位无立案权限" in html(response)
    nothing_written()


def test_intermediate_court_files_in_its_own_court(people, login, frozen):
    response = login(people["gz_director"]).post(URL, filing_post())
    assert response.status_code == 302
    assert EnforcementCase.objects.get().number == "（2026）粤01执1号"


def _double_click(client: Any, data: dict[str, str]) -> list[Any]:
    """The same form posted twice at once from one browser session (two connections, one cookie jar)."""
    twin = Client()
    twin.cookies = client.cookies
    clients = [client, twin]
    with time_machine.travel(NOW, tick=True):
        return _race(2, lambda i: clients[i].post(URL, data))


@pytest.mark.django_db(transaction=True)
def test_a_double_click_on_submit_files_one_case(people, login, monkeypatch):
    """The second request waits for the first and gets its number in the duplicate warning, never a 500."""
    slow_numbering(monkeypatch)
    responses = _double_click(login(people["clerk"]), filing_post())
    assert sorted(r.status_code for r in responses) == [200, 302], responses
    case = EnforcementCase.objects.get()
    warning = html(next(r for r in responses if r.status_code == 200)).split(' id="duplicate-warning"')[1]
    assert f"同一执行依据对同一被执行人已有在办案件：{case.number}。" in warning
    assert f'name="duplicate_of" value="{case.number}"' in warning


@pytest.mark.django_db(transaction=True)
def test_a_double_click_on_a_confirmed_duplicate_files_one_more_case(people, login, monkeypatch):
    """Confirming the duplicates shown covers those cases only: the second click is asked again."""
    client = login(people["clerk"])
    with time_machine.travel(NOW, tick=True):
        assert client.post(URL, filing_post()).status_code == 302
        warned = html(client.post(URL, filing_post()))
    first = EnforcementCase.objects.get()
    assert f'name="duplicate_of" value="{first.number}"' in warned
    slow_numbering(monkeypatch)
    responses = _double_click(client, filing_post(confirm_duplicate="on", duplicate_of=first.number))
    assert sorted(r.status_code for r in responses) == [200, 302], responses
    second = EnforcementCase.objects.exclude(pk=first.pk).get()
    warning = html(next(r for r in responses if r.status_code == 200)).split(' id="duplicate-warning"')[1]
    assert f"已有在办案件：{first.number}、{second.number}。" in warning
    assert '<input type="checkbox" name="confirm_duplicate"' in warning
    assert 'name="confirm_duplicate" id="id_confirm_duplicate" checked' not in warning
