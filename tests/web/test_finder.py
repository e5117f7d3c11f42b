"""Issue 13 (finder): case search, Excel export of the case list, totals, batch assignment, caseloads."""

from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.urls import reverse

from tests import factories
from tests.web.conftest import close_withdrawn
from zhixing.cases import services
from zhixing.cases.forms import AssignForm
from zhixing.cases.models import EnforcementCase
from zhixing.cases.queries_caseload import open_caseloads
from zhixing.cases.search import normalise_number
from zhixing.core.errors import ServiceError
from zhixing.core.exports import content_disposition
from zhixing.core.models import AuditRecord
from zhixing.courts.queries import handlers_of_court

pytestmark = pytest.mark.django_db

LI_SI_ID = factories.make_id(date(1985, 6, 1), seq=456)
WANG_WU_ID = factories.make_id(date(1970, 2, 3), area="440104", seq=789)


def _debtor(name: str, id_number: str, former: list[str] | None = None) -> services.PartyData:
    return services.PartyData(
        role="debtor", kind="person", name=name, id_number=id_number, former_names=former or []
    )


@pytest.fixture
def cases(people: dict[str, Any], frozen: None) -> dict[str, EnforcementCase]:
    """c1 （2026）粤0106执1号: bank v 张三 (曾用名 张叁); c2 …执2号: 王五 v 李四;
    yx （2026）粤0104执1号: bank v 张三 (the sibling court)."""
    c1 = factories.case(people["clerk"])
    c2 = factories.case(
        people["clerk"],
        principal="2500.50",
        parties=[
            services.PartyData(role="applicant", kind="person", name="王五", id_number=WANG_WU_ID),
            _debtor("李四", LI_SI_ID),
        ],
    )
    yx_clerk = factories.staff(people["yx_director"].court, "clerk", username="yx_clerk")
    yx = factories.case(yx_clerk, basis_number="（2025）粤0104民初1号")
    assert (c1.number, c2.number, yx.number) == (
        "（2026）粤0106执1号",
        "（2026）粤0106执2号",
        "（2026）粤0104执1号",
    )
    return {"c1": c1, "c2": c2, "yx": yx}


def _found(client: Any, **params: str) -> set[int]:
    response = client.get(reverse("case_list"), params)
    assert response.status_code == 200
    return {int(pk) for pk in re.findall(r'<tr data-case="(\d+)"', response.content.decode())}


def test_normalise_number_brackets_and_full_width_digits():
    assert normalise_number("(2026)粤0106执１２３号") == "（2026）粤0106执123号"
    assert normalise_number("［２０２６］ 粤0106") == "（2026）粤0106"
    assert normalise_number("〔2026〕") == "（2026）"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("0106执1", {"c1"}),
        ("0106执2号", {"c2"}),
        ("(2026)粤0106执2号", {"c2"}),
        ("（２０２６）粤０１０６执１号", {"c1"}),
        ("2026", {"c1", "c2"}),
        ("2号", {"c2"}),
        ("张三", {"c1"}),
        ("张叁", {"c1"}),  # former name
        ("李", {"c2"}),
        ("广州某银行", {"c1"}),  # any party, the applicant too
        (factories.VALID_IDS[2], {"c1"}),  # exact ID
        (factories.VALID_IDS[2][-4:], {"c1"}),  # last 4 digits
        (LI_SI_ID[-6:], {"c2"}),
        (factories.VALID_CREDIT, {"c1"}),
        ("赵六", set()),
        ("0104执1", set()),  # the sibling court's case is never found
    ],
)
def test_search_box(cases, people, login, query, expected):
    assert _found(login(people["clerk"]), q=query) == {cases[k].pk for k in expected}


@pytest.mark.parametrize(
    ("applicant", "expected"),
    [("王五", {"c2"}), ("广州某银行", {"c1"}), (WANG_WU_ID, {"c2"}), ("张三", set()), ("李四", set())],
)
def test_applicant_filter(cases, people, login, applicant, expected):
    assert _found(login(people["clerk"]), applicant=applicant) == {cases[k].pk for k in expected}


def test_search_respects_court_scoping(cases, people, login):
    assert _found(login(people["gz_director"]), q="张三") == {cases["c1"].pk, cases["yx"].pk}
    assert _found(login(people["yx_director"]), q="张三") == {cases["yx"].pk}
    assert _found(login(people["yx_director"]), q=factories.VALID_IDS[2][-4:]) == {cases["yx"].pk}
    assert _found(login(people["ft_director"]), q="张三") == set()
    assert _found(login(people["ft_director"]), q="2026") == set()


def test_quick_search_in_top_bar(cases, people, login):
    page = login(people["judge"]).get(reverse("home")).content.decode()
    assert 'data-testid="quick-search"' in page and 'name="q"' in page
    assert 'action="/cases/"' in page


def test_list_totals(cases, people, login):
    page = login(people["clerk"]).get(reverse("case_list")).content.decode()
    assert '<span id="total-count">2</span>' in page
    assert '<td class="num" id="total-claim">102,500.50</td>' in page
    page = login(people["clerk"]).get(reverse("case_list"), {"q": "李四"}).content.decode()
    assert '<span id="total-count">1</span>' in page
    assert '<td class="num" id="total-claim">2,500.50</td>' in page


def _xlsx(response: Any) -> list[tuple[Any, ...]]:
    data = b"".join(response.streaming_content)
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return [tuple(r) for r in wb.worksheets[0].iter_rows(values_only=True)]


def test_export_case_list(cases, people, login):
    client = login(people["clerk"])
    page = client.get(reverse("case_list"), {"q": "2026"}).content.decode()
    assert 'href="?q=2026&amp;export=xlsx&amp;export_table=cases.list"' in page
    response = client.get(reverse("case_list"), {"q": "2026", "export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["X-Export-Rows"] == "2"
    assert "X-Export-Capped" not in response
    assert (
        "filename*=UTF-8''%E6%89%A7%E8%A1%8C%E6%A1%88%E4%BB%B6%E5%88%97%E8%A1%A8-20260310.xlsx"
        in (response["Content-Disposition"])
    )
    rows = _xlsx(response)
    assert rows[0][:4] == ("案号", "法院", "申请执行人", "被执行人")
    assert [r[0] for r in rows[1:3]] == ["（2026）粤0106执2号", "（2026）粤0106执1号"]
    assert rows[1][2:6] == ("王五", "李四", 2500.5, 0)
    assert rows[3][4] == float(Decimal("102500.50"))
    assert rows[3][:2] == ("合计", "2件")
    assert len(rows) == 4
    rec = AuditRecord.objects.filter(action="export.xlsx").get()
    assert rec.actor_id == people["clerk"].pk
    assert rec.after["table"] == "cases.list" and rec.after["rows"] == 2 and rec.after["capped"] is False
    assert rec.after["filters"] == {"q": "2026"}


def test_export_is_capped(cases, people, login, settings):
    settings.ZHIXING_EXPORT_MAX_ROWS = 1
    response = login(people["clerk"]).get(reverse("case_list"), {"export": "xlsx"})
    assert response["X-Export-Capped"] == "1" and response["X-Export-Rows"] == "1"
    rows = _xlsx(response)
    assert len(rows) == 3 and rows[1][0] == "（2026）粤0106执2号"
    assert rows[2][0].startswith("注：符合条件的记录超过1行")
    assert AuditRecord.objects.get(action="export.xlsx").after["capped"] is True


def test_export_permission_and_scope(cases, people, login):
    response = login(None).get(reverse("case_list"), {"export": "xlsx"})
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert not AuditRecord.objects.filter(action="export.xlsx").exists()
    response = login(people["yx_director"]).get(reverse("case_list"), {"export": "xlsx"})
    rows = _xlsx(response)
    assert [r[0] for r in rows[1:-1]] == ["（2026）粤0104执1号"]


def test_content_disposition_has_ascii_fallback():
    value = content_disposition("执行案件列表-20260310.xlsx", "cases.list-20260310.xlsx")
    assert value == (
        'attachment; filename="cases.list-20260310.xlsx"; '
        "filename*=UTF-8''%E6%89%A7%E8%A1%8C%E6%A1%88%E4%BB%B6%E5%88%97%E8%A1%A8-20260310.xlsx"
    )


# -- batch assignment and caseloads ---------------------------------------------------------------------


def test_batch_assign_from_the_list(cases, people, login):
    client = login(people["director"])
    page = client.get(reverse("case_list")).content.decode()
    assert 'data-testid="batch-assign"' in page
    assert f'value="{cases["c1"].pk}" form="batch-assign"' in page
    assert f'value="{cases["yx"].pk}" form="batch-assign"' not in page
    response = client.post(
        reverse("case_batch_assign"),
        {"case": [cases["c1"].pk, cases["c2"].pk], "handler": people["judge"].pk, "next": "/cases/?q=2026"},
    )
    assert response.status_code == 302 and response["Location"] == "/cases/?q=2026"
    assert set(EnforcementCase.objects.filter(handler=people["judge"]).values_list("pk", flat=True)) == {
        cases["c1"].pk,
        cases["c2"].pk,
    }
    assigned = AuditRecord.objects.filter(action="case.assign", case_id__in=[cases["c1"].pk, cases["c2"].pk])
    assert assigned.count() == 2


def test_batch_assign_is_all_or_nothing(cases, people, login):
    closed = close_withdrawn(cases["c2"], people["director"])
    before = AuditRecord.objects.count()
    client = login(people["director"])
    response = client.post(
        reverse("case_batch_assign"),
        {"case": [cases["c1"].pk, closed.pk], "handler": people["judge"].pk},
        follow=True,
    )
    page = response.content.decode()
    assert "（2026）粤0106执2号：案件已结案" in page and "本批案件均未分案" in page
    assert EnforcementCase.objects.get(pk=cases["c1"].pk).handler_id is None
    assert AuditRecord.objects.count() == before


def test_batch_assign_service_names_a_missing_case(cases, people):
    with pytest.raises(services.BatchAssignmentError) as err:
        services.assign_cases(people["director"], [cases["c1"].pk, 999_999], people["judge"])
    assert err.value.case_id == 999_999 and "999999" in err.value.message
    assert EnforcementCase.objects.get(pk=cases["c1"].pk).handler_id is None
    with pytest.raises(services.BatchAssignmentError) as err:
        services.assign_cases(people["director"], [cases["c1"].pk, cases["yx"].pk], people["judge"])
    assert err.value.status == 404
    assert EnforcementCase.objects.get(pk=cases["c1"].pk).handler_id is None


def test_batch_assign_limits(cases, people):
    with pytest.raises(ServiceError) as err:
        services.assign_cases(people["director"], list(range(1, 202)), people["judge"])
    assert "一次最多分案200件，已选择201件" in str(err.value)
    with pytest.raises(ServiceError) as err:
        services.assign_cases(people["director"], [], people["judge"])
    assert "请至少选择一件案件" in str(err.value)


@pytest.mark.parametrize(
    ("who", "status"),
    [("clerk", 403), ("judge", 403), ("gz_director", 403), ("gd_president", 403), ("yx_director", 404)],
)
def test_batch_assign_refused(cases, people, login, who, status):
    response = login(people[who]).post(
        reverse("case_batch_assign"), {"case": [cases["c1"].pk], "handler": people["judge"].pk}
    )
    assert response.status_code == status
    assert EnforcementCase.objects.get(pk=cases["c1"].pk).handler_id is None


def test_caseloads_in_the_judge_drop_downs(cases, people, login):
    services.assign_cases(people["director"], [cases["c1"].pk, cases["c2"].pk], people["judge"])
    assert open_caseloads([people["judge"].pk, people["judge2"].pk]) == {people["judge"].pk: 2}
    close_withdrawn(EnforcementCase.objects.get(pk=cases["c2"].pk), people["judge"])
    assert open_caseloads([people["judge"].pk]) == {people["judge"].pk: 1}
    court = people["judge"].court
    form = AssignForm(handlers=handlers_of_court(court), teams=court.teams.all())
    labels = [label for _pk, label in form.fields["handler"].choices]
    assert f"{people['judge'].full_name}（在办 1 件）" in labels
    assert f"{people['judge2'].full_name}（在办 0 件）" in labels
    page = login(people["director"]).get(reverse("case_list")).content.decode()
    assert f"{people['judge'].full_name}（在办 1 件）" in page
