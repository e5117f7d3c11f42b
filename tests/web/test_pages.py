"""The staff pages render the right content for the right users (business date frozen at 2026-03-10)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from tests import factories
from tests.web.conftest import DEBTOR_ID, DEBTOR_ID_MASKED, TODAY, node, request_extension, suspend
from zhixing.cases import services
from zhixing.cases.models import EnforcementCase
from zhixing.core.holidays import invalidate
from zhixing.core.models import AuditRecord

pytestmark = pytest.mark.django_db

NUMBER = "（2026）粤0106执1号"


def html(response: Any) -> str:
    return response.content.decode()


def section(page: str, element_id: str) -> str:
    """The HTML of the section with that id, up to its end."""
    return page.split(f' id="{element_id}"', 1)[1].split("</section>")[0]


def node_order(page: str) -> list[str]:
    return re.findall(r'data-node="([a-z_]+)"', page)


# -- home -------------------------------------------------------------------------------------------


def test_home_for_a_judge_lists_my_cases_my_nodes_soonest_first_and_my_alerts(people, assigned, login):
    services.scan_due_nodes(TODAY)
    page = html(login(people["judge"]).get("/"))
    my_cases = section(page, "my-cases")
    assert NUMBER in my_cases
    assert "张三" in my_cases and "100,000.00" in my_cases
    my_nodes = section(page, "my-nodes")
    # network inquiry and asking for leads (3 days from the assignment, 2006 期限规定 Art 5) were due
    # 2026-03-09 (overdue), the rest later; the filing/assignment nodes are done.
    assert node_order(my_nodes) == ["network_inquiry", "ask_leads", "notice", "investigation", "term"]
    assert '<tr class="row-red" data-node="network_inquiry">' in my_nodes
    assert '<span class="badge green" data-color="green">正常</span>' in my_nodes
    alerts = section(page, "my-alerts")
    assert "红色超期" in alerts and NUMBER in alerts and "发起网络查控" in alerts
    assert 'id="court-status"' not in page
    assert 'id="extension-queue"' not in page
    assert 'id="btn-file-case"' in page  # judges may file too


def test_home_for_a_clerk_shows_the_filing_button_and_no_supervision(people, case, login):
    page = html(login(people["clerk"]).get("/"))
    assert (
        '<a class="btn big" id="btn-file-case" data-testid="btn-file-case" href="/cases/new/">＋ 立案</a>'
        in page
    )
    # A clerk handles no case (issue 13): no empty "my cases / my nodes" panels, but the court's filing work.
    assert 'id="my-cases"' not in page and 'id="my-nodes"' not in page
    assert '<a class="stat" href="/cases/?status=registered" data-todo="to-assign"' in page
    notices = section(page, "court-notices")
    # 民诉解释 Art 480: 10 days from receipt (2 March), so 12 March — two working days away: yellow
    assert NUMBER in notices and "2026-03-12" in notices and "待分案" in notices
    assert 'id="court-status"' not in page
    assert 'id="nav-supervision"' not in page


def test_home_for_a_bailiff_has_no_filing_button(people, case, login):
    page = html(login(people["bailiff"]).get("/"))
    assert 'id="btn-file-case"' not in page and 'id="nav-file"' not in page


@pytest.mark.parametrize("who", ["director", "operator", "president"])
def test_home_for_supervisors_shows_court_status_counts_and_the_supervision_link(
    people, assigned, login, who
):
    factories.case(people["clerk"])  # a second, unassigned case
    page = html(login(people[who]).get("/"))
    status = section(page, "court-status")
    assert '<a class="btn secondary" id="link-supervision" href="/supervision/">' in status
    assert (
        '<a class="stat" href="/cases/?status=registered" data-status="registered"><b>1</b>已立案待分案</a>'
        in status
    )
    assert (
        '<a class="stat" href="/cases/?status=in_progress" data-status="in_progress"><b>1</b>执行中</a>'
        in status
    )
    assert "<b>0</b>已结案" in status


def test_home_for_the_president_shows_the_extension_queue_with_approve_and_reject(people, assigned, login):
    ext = request_extension(assigned, people["judge"])
    page = html(login(people["president"]).get("/"))
    queue = section(page, "extension-queue")
    assert NUMBER in queue and "被执行人房产正在评估拍卖" in queue
    assert f'action="/cases/{assigned.pk}/extensions/{ext.pk}/approve/"' in queue
    assert f'action="/cases/{assigned.pk}/extensions/{ext.pk}/reject/"' in queue
    assert 'id="extension-queue"' not in html(login(people["director"]).get("/"))


# -- case list --------------------------------------------------------------------------------------


def test_case_list_columns(people, assigned, login):
    page = html(login(people["judge"]).get("/cases/"))
    row = page.split(f'<tr data-case="{assigned.pk}"')[1].split("</tr>")[0]
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    text = [re.sub(r"<[^>]+>", "", c).strip() for c in cells]
    assert text == [
        NUMBER,
        "广州市天河区人民法院",
        "张三",
        "100,000.00",
        "2026-03-04",
        people["judge"].full_name,
        "执行中",
        "2026-03-09 超期",
    ]
    assert 'class="row-red"' in row


def test_case_list_filters(people, courts, assigned, login):
    other = factories.case(
        people["clerk"],
        filed_on=date(2026, 3, 6),
        applied_on=date(2026, 3, 5),
        parties=[
            factories.filing().parties[0],
            services.PartyData(
                role="debtor", kind="person", name="王五", id_number=factories.make_id(date(1980, 2, 3))
            ),
        ],
    )
    client = login(people["director"])

    def numbers(query: str) -> list[str]:
        return re.findall(r'class="case-link">([^<]+)<', html(client.get("/cases/" + query)))

    assert numbers("") == [other.number, NUMBER]
    assert numbers("?status=in_progress") == [NUMBER]
    assert numbers("?status=registered") == [other.number]
    assert numbers("?overdue=on") == [NUMBER]  # 发起网络查控 was due 2026-03-09; the other's is due 03-11
    assert numbers("?debtor=张") == [NUMBER]
    assert numbers("?debtor=张叁") == [NUMBER]  # a former name
    assert numbers(f"?debtor={DEBTOR_ID}") == [NUMBER]
    assert numbers("?debtor=王五") == [other.number]
    assert numbers("?filed_from=2026-03-05") == [other.number]
    assert numbers("?filed_to=2026-03-05") == [NUMBER]
    assert numbers(f"?handler={people['judge'].pk}") == [NUMBER]
    assert numbers("?court=粤0106") == [other.number, NUMBER]
    # 粤0104 is not readable from 天河: the choice is refused and no 粤0104 case is listed.
    factories.case(factories.staff(courts["yx"], "clerk"))
    page = html(client.get("/cases/?court=粤0104"))
    assert "选择一个有效的选项" in page
    assert "粤0104执" not in page
    assert '<option value="粤0104"' not in page


def test_higher_court_lists_subordinate_cases_and_basic_court_only_its_own(people, courts, case, login):
    yx_case = factories.case(factories.staff(courts["yx"], "clerk"))
    gz_page = html(login(people["gz_director"]).get("/cases/"))
    assert NUMBER in gz_page and yx_case.number in gz_page
    assert '<option value="粤0104">' in gz_page
    th_page = html(login(people["judge"]).get("/cases/"))
    assert NUMBER in th_page and yx_case.number not in th_page
    assert html(login(people["yx_director"]).get("/cases/")).count("case-link") == 1


def test_case_list_keyset_paging_has_next_page_and_no_total(people, login, settings, frozen):
    settings.ZHIXING_PAGE_SIZE = 2
    made = [
        factories.case(people["clerk"], filed_on=date(2026, 3, d), applied_on=date(2026, 3, 1))
        for d in (2, 3, 4, 5, 6)
    ]
    client = login(people["judge"])
    page1 = html(client.get("/cases/?status=registered"))
    first = re.findall(r'class="case-link">([^<]+)<', page1)
    assert first == [made[4].number, made[3].number]
    assert "下一页" in page1 and "共" not in page1
    next_url = next_link(page1)
    assert "status=registered" in next_url
    page2 = html(client.get("/cases/" + next_url))
    assert re.findall(r'class="case-link">([^<]+)<', page2) == [made[2].number, made[1].number]
    assert 'id="page-first"' in page2
    next_url = next_link(page2)
    page3 = html(client.get("/cases/" + next_url))
    assert re.findall(r'class="case-link">([^<]+)<', page3) == [made[0].number]
    assert 'id="page-next"' not in page3


def next_link(page: str) -> str:
    match = re.search(r'href="(\?[^"]*cursor=[^"]+)" id="page-next"', page)
    assert match is not None
    return match.group(1).replace("&amp;", "&")


def _file_many(clerk: Any, n: int) -> None:
    for i in range(n):
        factories.case(clerk, filed_on=date(2026, 3, 1 + i % 9), applied_on=date(2026, 3, 1))


# Budgets include the session, the user, the user's court and the two holiday-table reads of a cold calendar
# cache (invalidated before each request so the count does not depend on test order).


@pytest.mark.parametrize("rows", [5, 50])
def test_case_list_query_budget_is_constant(people, login, frozen, django_assert_max_num_queries, rows):
    _file_many(people["clerk"], rows)
    client = login(people["director"])
    invalidate()
    # +2 since issue 13: the list's totals footer and the batch-assignment judges with their caseloads.
    with django_assert_max_num_queries(13):
        page = html(client.get("/cases/?debtor=张"))
    assert page.count("case-link") == rows
    invalidate()
    with django_assert_max_num_queries(13):
        client.get(
            f"/cases/?overdue=on&status=registered&court=粤0106&filed_from=2026-03-01&handler={people['judge'].pk}"
        )
    invalidate()
    with django_assert_max_num_queries(11):
        page = html(client.get("/cases/"))
    assert page.count("case-link") == rows


@pytest.mark.parametrize("rows", [5, 50])
def test_home_and_supervision_query_budget_is_constant(
    people, login, frozen, django_assert_max_num_queries, rows
):
    _file_many(people["clerk"], rows)
    for case in EnforcementCase.objects.all():
        services.assign_case(people["director"], case, people["director"], on=date(2026, 3, 9))
    services.scan_due_nodes(TODAY)
    client = login(people["director"])
    invalidate()
    # 19 (was 10): the worklist's counts (cases, inquiry, measures and funds providers; issue 13) and
    # credit's corrections to decide (one aggregate; issue 14); 20: the objections pending review (one
    # aggregate; issue 19); 21: the portal's worklist (new tips, open petitions: one query, issue 17);
    # 23: the objections' late notices and services (one aggregate) and the settlement resume requests
    # to decide (one query; issue 19).
    with django_assert_max_num_queries(23):
        page = html(client.get("/"))
    assert page.count('data-node="') == min(rows * 4, 20)  # 20 soonest pending nodes
    client = login(people["gd_president"])
    invalidate()
    with django_assert_max_num_queries(13):
        page = html(client.get("/supervision/"))
    assert f">{rows}</a>" in page


# -- case page --------------------------------------------------------------------------------------


def test_case_page_header_parties_basis_claim(people, assigned, login):
    page = html(login(people["judge"]).get(f"/cases/{assigned.pk}/"))
    assert f'<h1 id="case-number" data-testid="case-number">{NUMBER}</h1>' in page
    assert '<dd id="case-court">广州市天河区人民法院</dd>' in page
    assert f'<dd id="case-handler">{people["judge"].full_name}</dd>' in page
    assert '<span class="badge status-in_progress" id="case-status">执行中</span>' in page
    term = section(page, "term-due").split("</dd>")[0]
    assert "2026-09-04" in term and 'data-color="green"' in term
    assert '<dd id="extension-months">未延长</dd>' in page
    assert "节假日未载入" not in page
    # Identity: masked, never in full.
    assert f'<span class="id-masked" data-testid="party-id">{DEBTOR_ID_MASKED}</span>' in page
    assert DEBTOR_ID not in page
    assert "曾用名：张叁" in page
    assert factories.VALID_CREDIT in page  # an organisation's credit code is public registration data
    assert '<dd id="basis-number">' in page and "民事判决书" in page
    # Claim: 100,000 × 85 days (2025-12-16 … 2026-03-10) × 0.0175 % = 1,487.50.
    assert '<td class="num" id="claim-principal">100,000.00</td>' in page
    assert '<td class="num" id="claim-delay-interest">1,487.50</td>' in page
    assert '<b class="money" id="delay-interest" data-testid="delay-interest">1,487.50</b>' in page
    assert '<b id="delay-days">85</b>' in page
    # owed: principal + doubled interest + the application fee the debtor bears (诉讼费用交纳办法 Art 38)
    assert '<td class="num" id="claim-owed">102,887.50</td>' in page
    assert '<td class="num" id="application-fee" data-testid="application-fee">1,400.00</td>' in page


def test_case_page_node_timeline_with_colours_completion_and_legal_basis(people, assigned, login):
    page = html(login(people["judge"]).get(f"/cases/{assigned.pk}/"))
    timeline = section(page, "nodes")
    assert node_order(timeline) == [
        "decide_filing",
        "assign_handler",
        "network_inquiry",
        "notice",
        "ask_leads",
        "investigation",
        "term",
    ]
    colours = dict(re.findall(r'data-node="([a-z_]+)" data-node-id="\d+" data-color="([a-z]+)"', timeline))
    assert colours == {
        "decide_filing": "done",
        "assign_handler": "done",
        "network_inquiry": "red",
        "notice": "yellow",  # due 12 March (from receipt, 民诉解释 Art 480); ≤ 3 working days left
        "ask_leads": "red",  # assigned 5 March + 3 days → 9 March (2006 期限规定 Art 5)
        "investigation": "green",
        "term": "green",
    }
    assign_row = timeline.split('data-node="assign_handler"')[1].split("</tr>")[0]
    assert f'2026-03-05 · {people["director"].full_name} · <span class="doc">分案</span>' in assign_row
    assert 'title="2006年期限规定第2条：立案后7日内确定承办人"' in assign_row
    notice_row = timeline.split('data-node="notice"')[1].split("</tr>")[0]
    assert "2026-03-12" in notice_row and 'id="form-complete-notice"' in notice_row
    term_row = timeline.split('data-node="term"')[1].split("</tr>")[0]
    assert "结案时完成" in term_row and "form-complete" not in term_row


def test_case_page_yellow_node(people, case, login):
    # 指定承办人 is due 2026-03-11: one working day away → yellow (window 2).
    page = html(login(people["clerk"]).get(f"/cases/{case.pk}/"))
    assert re.search(r'data-node="assign_handler" data-node-id="\d+" data-color="yellow"', page)


def test_case_page_audit_trail(people, assigned, login):
    page = html(login(people["judge"]).get(f"/cases/{assigned.pk}/"))
    trail = section(page, "audit-trail")
    rows = re.findall(r'<tr data-action="([a-z_.]+)">', trail)
    assert rows == ["case.file", "case.assign"]
    assert f"承办人：— → {people['judge'].full_name}" in trail
    assert "执行标的：100,000.00元" in trail
    assert people["clerk"].full_name in trail and "粤0106" in trail


def test_case_page_has_no_calendar_banner_in_the_header(people, case, login):
    """Issue 13: the missing-year warning is a note beside an affected deadline (test_calendar_banner)."""
    EnforcementCase.objects.filter(pk=case.pk).update(calendar_uncertain=True)
    page = html(login(people["clerk"]).get(f"/cases/{case.pk}/"))
    assert 'id="calendar-uncertain"' not in page


@pytest.mark.parametrize(
    ("who", "visible"),
    [
        (
            "judge",
            {
                "form-complete-network_inquiry",
                "form-add-node",
                "form-suspend",
                "form-extension",
                "form-close",
                "reveal-identity",
            },
        ),
        (
            "director",
            {
                "form-assign",
                "form-complete-network_inquiry",
                "form-add-node",
                "form-suspend",
                "form-extension",
                "form-close",
                "reveal-identity",
            },
        ),
        (
            "assistant",
            {"form-complete-network_inquiry", "form-add-node", "form-extension", "reveal-identity"},
        ),
        ("clerk", {"form-complete-network_inquiry", "form-add-node"}),
        ("president", {"form-assign", "reveal-identity"}),
        ("bailiff", set()),
        ("operator", set()),
        ("finance", set()),
        ("gz_director", {"reveal-identity"}),
        ("gd_president", {"reveal-identity"}),
    ],
)
def test_case_page_shows_only_the_actions_the_user_may_take(people, assigned, login, who, visible):
    page = html(login(people[who]).get(f"/cases/{assigned.pk}/"))
    controls = {
        "form-assign",
        "form-complete-network_inquiry",
        "form-add-node",
        "form-suspend",
        "form-resume-execution",
        "form-extension",
        "form-close",
        "form-resume",
        "reveal-identity",
    }
    shown = {c for c in controls if f'data-testid="{c}"' in page}
    assert shown == visible


def test_case_page_state_dependent_actions(people, assigned, login):
    client = login(people["judge"])
    suspended = suspend(assigned, people["judge"])
    page = html(client.get(f"/cases/{suspended.pk}/"))
    assert 'data-testid="form-resume-execution"' in page
    assert 'data-testid="form-suspend"' not in page and "form-complete-" not in page
    assert "中止期间暂停计算" in page
    closed = services.close_case(
        people["judge"],
        suspended,
        mode="withdrawn",
        closed_on=TODAY,
        details={"document_ref": "销案通知", "ground": "other"},
    )
    page = html(client.get(f"/cases/{closed.pk}/"))
    assert 'data-testid="form-resume"' in page
    assert 'data-testid="form-close"' not in page and 'data-testid="form-resume-execution"' not in page


def test_case_page_links_origin_and_resumed_cases(people, assigned, login):
    closed = services.close_case(
        people["judge"],
        assigned,
        mode="withdrawn",
        closed_on=TODAY,
        details={"document_ref": "销案通知", "ground": "other"},
    )
    resumed = services.resume_case(people["judge"], closed, applied_on=TODAY, reason="发现可供执行的财产")
    client = login(people["judge"])
    origin_page = html(client.get(f"/cases/{closed.pk}/"))
    assert (
        f'<dd id="resumed-links"><a href="/cases/{resumed.pk}/">（2026）粤0106执恢1号</a></dd>' in origin_page
    )
    resumed_page = html(client.get(f"/cases/{resumed.pk}/"))
    assert f'<a href="/cases/{closed.pk}/" id="origin-link">{NUMBER}</a>' in resumed_page


def test_delay_interest_partial_to_any_date(people, assigned, login):
    client = login(people["clerk"])
    url = reverse("case_interest", args=[assigned.pk])
    page = html(client.get(url, {"until": "2026-04-01"}, HTTP_HX_REQUEST="true"))
    # 107 days × 100,000 × 0.000175 = 1,872.50
    assert '<b id="delay-days">107</b>' in page and '<b class="money" id="delay-interest"' in page
    assert "1,872.50" in page and "<html" not in page
    assert "1,872.50" in html(client.get(f"/cases/{assigned.pk}/?until=2026-04-01"))
    assert "0.00" in html(client.get(url, {"until": "2025-12-15"}))
    bad = html(client.get(url, {"until": "2026-13-01"}))
    assert "计算至应为有效日期（YYYY-MM-DD）" in bad


def test_delay_interest_runs_through_an_ordinary_suspension(people, assigned, login):
    # 迟延履行利息解释 Art 3(3) excludes only review and retrial suspensions: a third-party objection
    # (the conftest's ground) pauses the term, not the doubled interest (see test_interest_schedule.py)
    suspend(assigned, people["judge"])  # from 2026-03-09
    page = html(login(people["judge"]).get(f"/cases/{assigned.pk}/"))
    assert '<b id="delay-days">85</b>' in page
    assert '<td class="num" id="claim-delay-interest">1,487.50</td>' in page
    assert 'data-excluded="0"' in page and "照常计息" in page


def test_case_page_unreadable_court_is_404(people, case, login):
    response = login(people["yx_director"]).get(f"/cases/{case.pk}/")
    assert response.status_code == 404
    assert "不在您所在法院的查看范围内" in html(response)
    assert NUMBER not in html(response)
    assert login(people["judge"]).get("/cases/999999/").status_code == 404


# -- identity ---------------------------------------------------------------------------------------


def test_identity_reveal_is_htmx_and_audited(people, case, login):
    debtor = case.parties.get(role="debtor")
    client = login(people["judge"])
    before = AuditRecord.objects.filter(action="party.view_identity").count()
    response = client.post(reverse("party_identity", args=[case.pk, debtor.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert html(response).startswith(f'<span class="id-full" id="party-id-full-{debtor.pk}"')
    assert DEBTOR_ID in html(response)
    record = AuditRecord.objects.filter(action="party.view_identity").latest("id")
    assert AuditRecord.objects.filter(action="party.view_identity").count() == before + 1
    assert (record.actor_id, record.case_id, record.object_id) == (
        people["judge"].pk,
        case.pk,
        str(debtor.pk),
    )
    # Without HTMX the whole case page comes back with that one number revealed.
    page = html(client.post(reverse("party_identity", args=[case.pk, debtor.pk])))
    assert DEBTOR_ID in page and f'id="case-number" data-testid="case-number">{NUMBER}' in page


def test_identity_reveal_refused_for_clerks(people, case, login):
    debtor = case.parties.get(role="debtor")
    response = login(people["clerk"]).post(reverse("party_identity", args=[case.pk, debtor.pk]))
    assert response.status_code == 403
    assert DEBTOR_ID not in html(response)
    assert not AuditRecord.objects.filter(action="party.view_identity").exists()
    assert 'data-testid="reveal-identity"' not in html(login(people["clerk"]).get(f"/cases/{case.pk}/"))


# -- supervision ------------------------------------------------------------------------------------


def test_supervision_for_the_director(people, assigned, login):
    factories.case(people["clerk"])
    page = html(login(people["director"]).get("/supervision/"))
    rows = re.findall(r'<tr data-court="([^"]+)"', page)
    assert rows == ["粤0106"]
    row = page.split('data-court="粤0106"')[1].split("</tr>")[0]
    counts = dict(re.findall(r'data-count="([a-z-]+)"[^>]*>(\d+)</a>', row))
    # Overdue on 2026-03-10: 发起网络查控 of both cases (due 03-09) and the assigned case's 告知提供财产
    # 线索 (2006 期限规定 Art 5); the unassigned one counts as 未分案.
    assert counts == {"open": "2", "overdue-nodes": "3", "term-overdue": "0"}
    judge = people["judge"]
    assert (
        f'href="/supervision/nodes/?court=%E7%B2%A40106&amp;handler={judge.pk}">{judge.full_name} <b>2</b>'
        in row
    )
    assert "未分案 <b>1</b>" in row


def test_supervision_for_higher_courts_covers_subordinates(people, courts, case, login):
    factories.case(factories.staff(courts["yx"], "clerk"))
    gz = html(login(people["gz_director"]).get("/supervision/"))
    assert re.findall(r'<tr data-court="([^"]+)"', gz) == ["粤01", "粤0104", "粤0106"]
    gd = html(login(people["gd_president"]).get("/supervision/"))
    assert re.findall(r'<tr data-court="([^"]+)"', gd) == ["粤", "粤01", "粤0104", "粤0106", "粤03", "粤0304"]
    total = gd.split(' id="supervision-total"')[1].split("</tr>")[0]
    assert re.findall(r'<th class="num">(\d+)</th>', total) == ["2", "2", "0"]


def test_supervision_is_refused_without_the_capability(people, login):
    response = login(people["judge"]).get("/supervision/")
    assert response.status_code == 403
    assert "节点监管仅限执行局局长、院长和指挥中心人员" in html(response)


# -- login ------------------------------------------------------------------------------------------


def test_login_page_demo_hint_only_in_demo_mode(client, settings, db):
    settings.DEBUG = False
    settings.ZHIXING_DEMO = False
    assert 'id="demo-hint"' not in html(client.get("/login/"))
    settings.ZHIXING_DEMO = True
    page = html(client.get("/login/"))
    assert 'id="demo-hint"' in page and "zhixing2026" in page


def test_anonymous_is_sent_to_login(client, db):
    response = client.get("/cases/")
    assert response.status_code == 302 and response["Location"] == "/login/?next=/cases/"


def test_node_helper_is_wired(people, assigned):
    assert node(assigned, "notice").due_on == date(2026, 3, 12)


def test_the_site_icon_is_the_platforms_own(client: Any) -> None:
    """Browsers ask every site for /favicon.ico: it answered 404 (a console error on the first page of
    every visit, found by the demo walk). It is the platform's own file, never a CDN's."""
    from pathlib import Path

    from django.contrib.staticfiles import finders

    resp = client.get("/favicon.ico")
    assert resp.status_code == 301 and resp["Location"].endswith("/zhixing/favicon.svg")
    found = finders.find("zhixing/favicon.svg")
    assert found and Path(str(found)).read_text(encoding="utf-8").startswith("<svg")
