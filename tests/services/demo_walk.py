"""Walks over the `make run` demo as each role sees it (used by test_demo_world_default: one demo load).

`timeline_link_refusals`: every 关联业务 link a case page's flow nodes show a reader must open for that
reader (the clerk was shown the asset register's batch link and got 无权访问).
"""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

from zhixing.cases.models import Node
from zhixing.core import link_access
from zhixing.courts.models import Staff

# One login per role of the demo's featured court (天河), a supervising court's and the administrator.
WALKERS = (
    "admin",
    "th_president",
    "th_director",
    "th_judge1",
    "th_assistant1",
    "th_clerk",
    "th_bailiff1",
    "th_operator",
    "th_finance",
    "gz_director",
    "gd_president",
)
NODE_LINK = re.compile(r'data-testid="node-link-[^"]*">(.*?)</div>', re.S)
HREF = re.compile(r'href="([^"]+)"')


def _client(username: str) -> Client:
    c = Client()
    c.force_login(Staff.objects.get(username=username))
    return c


def linked_cases(per_target: int = 2) -> list[int]:
    """Cases whose flow nodes hold a stored link: `per_target` per page kind the links point at."""
    picked: dict[str, list[int]] = {}
    for case_id, url in Node.objects.exclude(link_url="").order_by("pk").values_list("case_id", "link_url"):
        name = link_access.url_name(url) or url
        ids = picked.setdefault(name, [])
        if len(ids) < per_target and case_id not in ids:
            ids.append(case_id)
    return sorted({pk for ids in picked.values() for pk in ids})


def timeline_link_refusals() -> dict[str, list[str]]:
    """Per login, the node links its case pages showed that answered anything but 200."""
    cases = linked_cases()
    found: dict[str, list[str]] = {}
    for username in WALKERS:
        c = _client(username)
        for case_id in cases:
            page = c.get(reverse("case_detail", args=[case_id]))
            if page.status_code != 200:
                continue  # a case the login may not read: no timeline to walk
            html = page.content.decode()
            for block in NODE_LINK.findall(html):
                for href in HREF.findall(block):
                    href = href.replace("&amp;", "&")
                    status = c.get(href).status_code
                    if status != 200:
                        found.setdefault(username, []).append(f"{href} → {status}")
    return found


# Who must find rows (not only the page's explanation) on a fresh demo: 我的预警 is the alerts routed to the
# login, that it took a step on, or whose field task it was sent on; the bell holds what the services
# told it. The others (the clerk, the assistant's alerts, a court-less administrator …) get the page's
# explanation of what arrives there.
ALERT_ROWS = {"th_judge1", "th_director", "th_operator", "th_finance", "th_bailiff1"}
NOTIFICATION_ROWS = {
    "th_president",
    "th_director",
    "th_judge1",
    "th_assistant1",
    "th_bailiff1",
    "th_operator",
    "th_finance",
}


def role_pages() -> dict[str, list[str]]:
    """Per login, what 我的预警, 通知 and 节点监管 failed to show (rows, or the explanation)."""
    found: dict[str, list[str]] = {}
    for username in WALKERS:
        c = _client(username)
        wrong = found.setdefault(username, [])
        alerts = c.get(reverse("command_my_alerts"))
        html = alerts.content.decode()
        rows = html.count('data-testid="alert-row"')
        if alerts.status_code != 200:
            wrong.append(f"我的预警 {alerts.status_code}")
        elif username in ALERT_ROWS and rows == 0:
            wrong.append("我的预警 empty")
        elif rows == 0 and 'data-testid="alerts-mine-help"' not in html:
            wrong.append("我的预警 empty without its explanation")
        for href in re.findall(r'href="(/command/alerts/\d+/)"', html):
            if c.get(href).status_code != 200:
                wrong.append(f"我的预警 row {href} does not open")
        bell = c.get(reverse("notifications")).content.decode()
        items = bell.count("data-notification=")
        if username in NOTIFICATION_ROWS and items == 0:
            wrong.append("通知 empty")
        elif items == 0 and 'data-testid="notifications-help"' not in bell:
            wrong.append("通知 empty without its explanation")
        supervision = c.get(reverse("supervision"))
        if supervision.status_code == 200:
            page = supervision.content.decode()
            if "data-court=" not in page and 'data-testid="supervision-no-court"' not in page:
                wrong.append("节点监管 empty without its explanation")
        if not wrong:
            del found[username]
    return found


# Pages the walk of every page as each role found empty in every court (their empty-state text), and
# what each must show instead: (login, address, empty text, texts the page must hold).
FILLED_PAGES = (
    # 执行异议复议 at the higher court: pending, overdue (red) and decided both ways
    ("gz_director", "/objections/reviews/", "本院暂无复议案件", ("复议审查中", "撤销原裁定", "驳回复议")),
    ("gz_director", "/objections/reviews/", "本院暂无复议案件", ('class="overdue"',)),
    # 执转破 candidates in 天河 and 越秀
    ("th_director", "/bankruptcy/", "没有符合条件的企业被执行人", ("恒泰精密制造",)),
    ("yx_director", "/bankruptcy/", "没有符合条件的企业被执行人", ("宏景装饰工程",)),
    # 终本 periodic re-inquiry: past sweeps, today's, and an overdue day in red
    (
        "th_judge1",
        "/inquiry/dormant/",
        '已发起 <b id="dormant-done">0</b>',
        ('data-testid="dormant-overdue"',),
    ),
    ("th_judge1", "/inquiry/dormant/", "没有终本案件", ("未发现财产",)),
    # listings due for removal (past the 3 working days only when the listing is older than the trigger)
    ("th_director", "/credit/supervision/", "没有待删除的失信信息", ("待删除",)),
    # entrustments received by 天河; the higher court's statistics count its courts'
    ("th_judge1", "/entrust/", "没有收到委托。", ()),
    ("th_director", "/command/entrust/", "没有收到事项委托。", ()),
    ("gd_president", "/command/metrics/", 'data-testid="stat-sent">0<', ("辖区法院委托",)),
    # 天河's bank reconciliation
    ("th_finance", "/funds/finance/", "尚无对账记录", ("有差异",)),
)


def empty_pages() -> list[str]:
    """What the FILLED_PAGES showed wrong: an empty state, or a missing text."""
    wrong: list[str] = []
    clients: dict[str, Client] = {}
    for username, url, empty, wanted in FILLED_PAGES:
        c = clients.setdefault(username, _client(username))
        response = c.get(url)
        page = response.content.decode()
        if response.status_code != 200:
            wrong.append(f"{username} {url}: {response.status_code}")
            continue
        if empty in page:
            wrong.append(f"{username} {url}: {empty}")
        wrong.extend(f"{username} {url}: no {w}" for w in wanted if w not in page)
    return wrong
