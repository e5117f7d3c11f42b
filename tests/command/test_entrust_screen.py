"""Single matters (事项委托) on the command center's screen (issue 20 item 4): the court's incoming and
outgoing matters with their 15-day / 30-day clocks (rules.md §9), overdue ones highlighted and linked,
a step taken there returning there, and the entrustment statistics on the metrics page."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests import factories
from zhixing.cases import services as case_services
from zhixing.courts.roles import Role
from zhixing.entrust import queries, services
from zhixing.entrust.models import Entrustment

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def _row(page: str, pk: int) -> str:
    m = re.search(rf'<tr data-entrust="{pk}"[^>]*>', page)
    assert m, f"row {pk} missing"
    return m.group(0)


@pytest.fixture
def matters(people: dict[str, Any], frozen: None) -> dict[str, Entrustment]:
    """天河 sent two matters to 越秀 on 10 March; 越秀 sent one to 天河 on 10 March and started it."""
    th_case = factories.case(people["clerk"])
    th_case = case_services.assign_case(people["director"], th_case, people["judge"], on=date(2026, 3, 5))
    late = services.send_matter(people["judge"], th_case, to_court="粤0104", matter="freeze", request="冻结")
    yx_clerk = factories.staff(people["yx_director"].court, Role.CLERK, username="yx_clerk")
    yx_case = factories.case(yx_clerk)
    yx_case = case_services.assign_case(
        people["yx_director"], yx_case, people["yx_judge"], on=date(2026, 3, 5)
    )
    incoming = services.send_matter(
        people["yx_judge"], yx_case, to_court="粤0106", matter="investigation", request="调查被执行人住所"
    )
    with time_machine.travel(datetime(2026, 3, 20, 10, tzinfo=TZ), tick=False):
        handled = services.send_matter(
            people["judge"], th_case, to_court="粤0104", matter="service", request="送达执行通知书"
        )
        services.start(yx_clerk, handled)
        services.report(yx_clerk, handled, text="已送达", done=True)
    return {"late": late, "incoming": incoming, "handled": handled}


def test_the_screen_lists_both_boxes_with_clocks_and_overdue_highlighted(
    people: dict[str, Any], login: Any, matters: dict[str, Entrustment]
) -> None:
    late, incoming, handled = matters["late"], matters["incoming"], matters["handled"]
    with time_machine.travel(datetime(2026, 3, 30, 10, tzinfo=TZ), tick=False):  # past 25 March, start-by
        page = login(people["director"]).get("/command/entrust/").content.decode()
        assert queries.clocks(late) == queries.Clocks("overdue", "running")
    assert 'data-testid="entrust-overdue-count">超期 2 件' in page  # 越秀's letter to 天河 and 天河's to 越秀
    assert 'data-overdue="1" class="row-red"' in _row(page, late.pk)
    assert 'data-overdue="1" class="row-red"' in _row(page, incoming.pk)
    assert 'data-overdue="0"' in _row(page, handled.pk)
    inbox = page.split('id="command-inbox"')[1].split('id="command-outbox"')[0]
    outbox = page.split('id="command-outbox"')[1]
    assert f'data-entrust="{incoming.pk}"' in inbox and f'data-entrust="{late.pk}"' not in inbox
    assert f'data-entrust="{late.pk}"' in outbox and f'data-entrust="{handled.pk}"' in outbox
    assert f'href="/entrust/#entrust-{incoming.pk}"' in inbox  # the matter, in the court's own inbox
    assert f'href="/cases/{late.case_id}/entrust/"' in outbox
    assert "已超期" in inbox and "按期" in outbox
    # Statistics: 天河 sent 2 (1 done), received 1 (0 handled); 4 trips per matter done.
    for testid, n in (("stat-sent", 2), ("stat-sent-done", 1), ("stat-received", 1), ("stat-handled", 0)):
        assert f'data-testid="{testid}">{n}</b>' in page
    assert 'data-testid="stat-trips">4</b>' in page


def test_a_step_taken_on_the_screen_returns_there(
    people: dict[str, Any], login: Any, matters: dict[str, Entrustment]
) -> None:
    incoming = matters["incoming"]
    client = login(people["director"])  # 天河's director may handle matters for other courts
    page = client.get("/command/entrust/").content.decode()
    assert 'data-testid="command-entrust-start"' in page
    resp = client.post(f"/entrust/{incoming.pk}/start/", {"back": "command"})
    assert (resp.status_code, resp["Location"]) == (302, "/command/entrust/")
    incoming.refresh_from_db()
    assert (incoming.status, incoming.started_on) == ("started", date(2026, 3, 10))
    page = client.get("/command/entrust/").content.decode()
    assert 'data-testid="command-entrust-done"' in page
    # An operator reads the screen but handles nothing; the parent court's director reads 天河's screen
    # without the forms (the matter is 天河's to handle).
    assert "command-entrust-done" not in login(people["operator"]).get("/command/entrust/").content.decode()
    page = login(people["gz_director"]).get("/command/entrust/?court=粤0106").content.decode()
    assert f'data-entrust="{incoming.pk}"' in page and "command-entrust-done" not in page


def test_the_metrics_page_shows_the_entrustment_statistics(
    people: dict[str, Any], login: Any, matters: dict[str, Entrustment]
) -> None:
    page = login(people["director"]).get("/command/metrics/").content.decode()
    assert 'data-testid="command-entrust-stats"' in page
    assert 'data-testid="stat-sent">2</b>' in page and 'data-testid="stat-trips">4</b>' in page
    page = login(people["yx_director"]).get("/command/metrics/").content.decode()
    assert 'data-testid="stat-received">2</b>' in page and 'data-testid="stat-handled">1</b>' in page


def test_a_higher_courts_metrics_count_its_jurisdictions_entrustments(
    people: dict[str, Any], login: Any, matters: dict[str, Entrustment]
) -> None:
    """The walk found 高院's 委托执行统计 at 0 although 天河 had sent eight: the metrics page reports the
    courts under the reader's court, and the entrustment figures counted the higher court's own rows only."""
    page = login(people["gz_director"]).get("/command/metrics/").content.decode()
    # 天河 sent two to 越秀, 越秀 one to 天河: three sent and three received within 广州中院's courts
    assert 'data-testid="stat-sent">3</b>' in page and 'data-testid="stat-received">3</b>' in page
    assert 'data-testid="stat-handled">1</b>' in page and "辖区法院委托" in page
    # a basic court's own figures are unchanged (本院)
    page = login(people["director"]).get("/command/metrics/").content.decode()
    assert "本院委托" in page and 'data-testid="stat-sent">2</b>' in page
