"""Every page, every demo role, on a phone (390 px) and on a desk (1,366 px): no sideways page scroll,
no text wrapped one character per line (issue 13, "What must hold" 2).

The pages come from the URL conf, not from a list: every GET route of the platform's own views
(not the admin, not the JSON API) is shown as a page at both widths by the first demo role (or the
public) that can open it, and each role's home by every role (`layout_walk.Walk` says why once is enough).
Path parameters are filled from the demo data (`seed_demo` with a few cases): first from the links the
roles see on the pages they open (so a judge opens the cases of their court), then from
`param_samples` for routes no page links to. A route whose parameters cannot be filled is reported.

Every template under `src/zhixing/*/templates` must be rendered by some visit, except those in
`NOT_A_PAGE` (each with its reason): a new page that nothing reaches fails here until it is reached.

Each role's home (the public's: the sign-in page) is saved as `test-artifacts/home-<role>-<width>.png`.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.test.signals import template_rendered
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from e2e.conftest import ARTIFACTS
from e2e.layout_probe import PROBE_JS
from e2e.layout_walk import HEIGHTS, SETTLE_SECONDS, Renders, Walk

# slow: dealt out first in a parallel run (conftest.py), so it does not run alone at the end.
pytestmark = [
    pytest.mark.slow,
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WIDTHS = (390, 1366)
# Each role's home (screenshots): the work bench; the public's is the sign-in page.
HOME = {"anonymous": "login/"}

HOME_COURT = "粤0106"  # the basic court whose staff sign in; its high court's leaders too


def demo_roles() -> dict[str, str | None]:
    """Who visits: the public (None), the first of HOME_COURT's staff in every role of `Role` (so a role
    added later is visited too), and the leaders of the court at the top of HOME_COURT's tree."""
    from zhixing.courts.models import Court, Staff
    from zhixing.courts.roles import Role

    home = Court.objects.get(code=HOME_COURT)
    top = home
    while top.parent_id is not None:
        top = top.parent
    roles: dict[str, str | None] = {"anonymous": None}
    for court, prefix in ((home, ""), (top, "high-")):
        for role in Role:
            if prefix and role not in (Role.PRESIDENT, Role.DIRECTOR):
                continue
            user = Staff.objects.filter(court=court, role=role, is_active=True).order_by("username").first()
            if user is not None:
                roles[prefix + role.value] = user.username
    return roles


# Routes that are not pages: the admin (Django's own screens), the JSON API, sign-out (a POST) and
# downloads of rendered documents (Word, PDF: made by docxtpl or Chromium, not laid out by app.css).
# Print sheets (A4 for the PDF renderer) are laid out by their own inline styles, not for a window.
SKIP_ROUTE = re.compile(r"^(admin/|api/|logout/$)|(\.(docx|pdf|xlsx|csv)|/docx/|/print/)$")

# Templates no visit renders on purpose.
NOT_A_PAGE = {
    "500.html",  # Django's server-error page, rendered only when a view crashes with DEBUG off
    "core/400.html",  # bad-request page (a malformed request), not reachable by following links
    "core/locked_out.html",  # shown after repeated failed sign-ins (django-axes); has its own test
    "core/admin/holiday_upload.html",  # Django admin back-office screen (admin's own stylesheet)
    "core/admin/holidayyear_change_list.html",  # Django admin back-office screen
    "analytics/report_print.html",  # the browser's print sheet of a profile (A4, its own inline styles)
    "funds/instructions.html",  # printable payment instructions (A4, its own inline styles)
    "cases/_identity.html",  # the full ID number, shown only after an audited POST (查看完整身份信息)
    "funds/_send_problem.html",  # a payout the bank refused to send: the demo holds none
    "funds/instructions_unavailable.html",  # a court without a custody account: every demo court has one
    "funds/reconciliation_legacy.html",  # a statement imported before reconciliations were stored
    "cases/supervision_order_page.html",  # 督办 form re-shown after an invalid POST without HTMX
    "analytics/preview.html",  # after an upload only (signed token); see e2e/test_statement_preview_flow
    "funds/withholding_notice.html",  # printable assistance notice to the income payer (A4 print sheet)
    # The bidder's own page: needs a bidder session (the 竞买凭证 from registering, a POST); the walk visits
    # as staff and the public, who are sent to registration. See the auctions tests for the page itself.
    "auctions/bidder.html",
    # The party portal behind sign-in: needs a party session (a phone signed in with an SMS code); the walk
    # visits as staff and the public, who are sent to /party/login/. e2e/test_party_portal_flow opens
    # these on a phone (390 × 844).
    "portal/party/home.html",
    "portal/party/case.html",
    "portal/party/document.html",
    "objections/party.html",  # the party's own act objections, opened from the case page on the phone too
    "portal/party/settlement.html",  # the party's settlement page and resume request, from the case page too
    "portal/public/limited.html",  # the public portal's answer once a visitor exceeds the per-minute limit
    "portal/public/submitted.html",  # shown only after a tip-off or petition is submitted (a POST)
}


def _routes() -> list[tuple[str, URLPattern]]:
    """Every (route, pattern) of the URL conf, flattened."""
    out: list[tuple[str, URLPattern]] = []

    def walk(res: URLResolver, prefix: str) -> None:
        for p in res.url_patterns:
            if isinstance(p, URLResolver):
                walk(p, prefix + str(p.pattern))
            else:
                out.append((prefix + str(p.pattern), p))

    walk(get_resolver(), "")
    return out


PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")


def page_routes() -> list[str]:
    """The GET-able page routes of the platform's own views (admin, API, downloads skipped)."""
    routes = []
    for route, p in _routes():
        module = getattr(p.callback, "__module__", "") or ""
        if SKIP_ROUTE.search(route) or not module.startswith("zhixing."):
            continue
        routes.append(route)
    return routes


def route_regex(route: str) -> re.Pattern[str]:
    out, pos = "^/", 0
    for m in PARAM.finditer(route):
        out += re.escape(route[pos : m.start()])
        conv = m.group(1) or "str"
        out += {"int": r"\d+", "slug": r"[-\w]+", "path": r".+"}.get(conv, r"[^/]+")
        pos = m.end()
    return re.compile(out + re.escape(route[pos:]) + "$")


def _model(name: str) -> Any:
    from django.apps import apps

    if "." in name:  # "app.Model" where two apps hold a model of that name (credit.Proposal)
        return apps.get_model(name)
    return {m.__name__: m for m in apps.get_models()}.get(name)


def _pk(model: str, attr: str = "pk", prefer: dict[str, Any] | None = None, **flt: Any) -> Any:
    """An attribute of the first `model` row matching `flt`, preferring rows that also match `prefer`."""
    m = _model(model)
    if m is None:
        return None
    qs = m.objects.filter(**flt).order_by("pk")
    row = (qs.filter(**prefer).first() if prefer else None) or qs.first()
    for part in attr.split("."):
        row = getattr(row, part, None)
    return row


def demo_states() -> None:
    """States the demo does not hold but a page shows: a batch analysis run, a remote-payout link.

    Made through the services, as staff of HOME_COURT would (both are audited writes).
    """
    from zhixing.analytics.services.profiles import create_batch
    from zhixing.courts.models import Staff
    from zhixing.funds.services.portal import issue_token

    create_batch(Staff.objects.get(username="th_director"))
    judge = Staff.objects.get(username="th_judge1")
    applicants = _model("Party").objects.filter(role="applicant", case__court__code=HOME_COURT).order_by("pk")
    live, old = applicants[0], applicants[1]
    issue_token(judge, live.case, live.pk)
    with time_machine.travel(timezone.now() - timedelta(days=365)):  # a link long expired
        issue_token(judge, old.case, old.pk)


def param_samples() -> dict[str, list[tuple[Any, ...]]]:
    """Routes and the demo objects to fill their parameters with, for pages or states no link reaches
    first (the crawl opens only the first link of each route). Each tuple fills the route's parameters
    in order; a None in it drops that sample. Routes no longer in the URL conf are ignored."""
    court = {"case__court__code": HOME_COURT}
    tokens = _model("PortalToken").objects.order_by("pk").values_list("token", flat=True)
    return {
        "cases/<int:pk>/credit/": [
            (_pk("Listing", "case_id", prefer=court),),
            (_pk("ExposureNotice", "listing.case_id", prefer={"listing__case__court__code": HOME_COURT}),),
            (_pk("Party", "case_id", role="debtor", kind="organisation", **court),),
            (_pk("CreditRepair", "listing.case_id", status="granted"),),  # issue 14: repairs, Art 8 notices
            (
                _pk("credit.Proposal", "case_id", prefer=court),
            ),  # the president's approvals and service (issue 14)
        ],
        # issue 15: a served enforcement notice (the demo serves one before each listing or restriction)
        "cases/<int:pk>/notice/": [
            (_pk("EnforcementNotice", "case_id", prefer=court, served_on__isnull=False),)
        ],
        "credit/repairs/<int:repair_id>/certificate/": [(_pk("CreditRepair", status="granted"),)],
        "credit/approvals/<int:pk>/": [
            (_pk("credit.Proposal", prefer=court, status="pending"),),
            (_pk("credit.Proposal", prefer=court, status="approved"),),
        ],
        "credit/consumption-orders/<int:pk>/": [
            (_pk("credit.Proposal", prefer=court, kind="consumption", status="approved"),)
        ],
        "credit/exit-decisions/<int:pk>/": [(_pk("Restriction", prefer=court, kind="exit"),)],
        "funds/plans/<int:pk>/": [(_pk("DistributionPlan", prefer=court),)],
        # a case whose triage proposes a track (the page lists the reasons: inquiry/_triage_reasons.html)
        "inquiry/cases/<int:pk>/triage/": [(_pk("CaseTriage", "case_id", prefer=court, proposed__gt=""),)],
        "funds/finance/reconciliations/<int:pk>/": [(_pk("Reconciliation"),)],
        "funds/finance/statements/<int:pk>/reconciliation/": [(_pk("StatementImport"),)],
        "funds/finance/layouts/<int:pk>/": [(_pk("StatementLayout"),)],
        "analytics/profiles/<int:profile_id>/": [(_pk("Profile"),)],
        "analytics/jobs/<int:job_id>/": [(_pk("ImportJob"),)],
        "analytics/batch/<int:batch_id>/": [(_pk("BatchRun"),)],
        "portal/payout/<str:token>/": [(t,) for t in tokens],
        # the party portal's answer to an unknown or expired e-service link (a 404 page of its own)
        "party/d/<str:token>/": [("expired-link",)],
        # a published ruling that no longer exists (withdrawn): the public portal's own 404 page
        "public/rulings/<int:pk>/": [(999999999,)],
        # the staff page of the parties' messages on a case (linked from the messages' notifications)
        "disclosure/cases/<int:pk>/party-messages/": [
            (_pk("EnforcementCase", prefer={"court__code": HOME_COURT}),)
        ],
    }


def sample_paths(routes: list[str]) -> list[str]:
    out = []
    for route, fills in param_samples().items():
        if route not in routes:
            continue
        for values in fills:
            if any(v is None for v in values):
                continue
            it = iter(values)
            out.append("/" + PARAM.sub(lambda m, it=it: str(next(it)), route))
    return out


@pytest.fixture
def renders() -> Iterator[Renders]:
    rec = Renders()
    template_rendered.connect(rec, dispatch_uid="layout-renders")
    yield rec
    template_rendered.disconnect(dispatch_uid="layout-renders")


def _session_cookie(username: str, base_url: str) -> dict[str, Any]:
    from zhixing.courts.models import Staff

    client = Client()
    client.force_login(Staff.objects.get(username=username))
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": base_url,
    }


def project_templates() -> set[str]:
    base = Path(__file__).resolve().parent.parent / "src" / "zhixing"
    names = set()
    for tdir in base.glob("*/templates"):
        for f in tdir.rglob("*"):
            if f.is_file():
                names.add(f.relative_to(tdir).as_posix())
    return names


def test_every_page_fits_a_phone_and_a_desk(browser: Any, live_server: Any, renders: Renders) -> None:
    started = time.monotonic()
    call_command(
        "seed_demo", cases=40, verbosity=0
    )  # 40: the third court keeps a running case for its 分配方案
    demo_states()
    seeded = time.monotonic() - started
    routes = page_routes()
    regexes = [(r, route_regex(r)) for r in routes]
    sampled = sample_paths(routes)

    def route_of(path: str) -> str | None:
        return next((r for r, rx in regexes if rx.match(path)), None)

    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url
    walk = Walk(route_of=route_of, sampled=sampled, artifacts=ARTIFACTS, renders=renders)
    roles = demo_roles()
    for role, username in roles.items():
        context = browser.new_context(base_url=base, locale="zh-CN", viewport={"width": 390, "height": 844})
        context.set_default_timeout(30000)
        if username:
            context.add_cookies([_session_cookie(username, base)])
        walk.role(context.new_page(), role, HOME.get(role, ""), routes, PARAM)
        context.close()

    problems = walk.problems
    missing = sorted(project_templates() - renders.names - NOT_A_PAGE)
    if missing:
        problems.append(
            "templates no visit rendered (reach them from a page or from param_samples, or list them in "
            "NOT_A_PAGE with the reason): " + ", ".join(missing)
        )
    elapsed = time.monotonic() - started
    print(
        f"\nlayout check: {len(walk.shown)} routes, {len(roles)} roles ({', '.join(roles)}), "
        f"{len(WIDTHS)} widths, {walk.opened} paths opened, "
        f"{walk.visits} page visits, each probed at both widths, in {elapsed:.0f}s (seed {seeded:.0f}s); "
        f"{walk.settle_timeouts} probes waited out the {SETTLE_SECONDS:.0f}s for htmx, "
        f"{walk.reloads} reloads; {len(renders.names)} templates rendered; "
        f"GET routes never shown as a page: {sorted(set(routes) - walk.shown)}"
    )
    assert not problems, f"{len(problems)} layout problems:\n" + "\n".join(problems)


APP_CSS = Path(__file__).resolve().parent.parent / "src/zhixing/core/static/zhixing/app.css"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("cls", ["grid", "grid2", "grid3", "stats", "party-grid"])
def test_a_table_never_takes_a_layout_class(browser: Any, width: int, cls: str) -> None:
    """The bug behind the 1,449 px public result: `<table class="grid">` became a CSS grid."""
    context = browser.new_context(viewport={"width": width, "height": HEIGHTS[width]})
    page = context.new_page()
    cells = "".join(f"<td>被执行人{i}</td><td>2026-12-0{i}</td>" for i in range(1, 8))
    page.set_content(
        f"<style>{APP_CSS.read_text()}</style><main class='content'><section class='card'>"
        f"<table class='{cls}'><thead><tr>{'<th>状态</th>' * 14}</tr></thead>"
        f"<tbody><tr>{cells}</tr><tr>{cells}</tr></tbody></table></section></main>"
    )
    display = page.evaluate(f"getComputedStyle(document.querySelector('table.{cls}')).display")
    assert display == ("table" if width > 760 else "block")
    res = page.evaluate(PROBE_JS)
    assert res["scroll"] <= width and res["wraps"] == []
    # Each row stays one row: its cells side by side, not stacked.
    tops = page.evaluate("[...document.querySelectorAll('tbody tr:first-child td')].map(td => td.offsetTop)")
    assert len(set(tops)) == 1
    context.close()
