"""A judge follows an analysis lead to an inquiry request, the sandbox finds the car, the judge seizes it.

The profile is computed from a statement with ETC tolls of 粤C08775, a car the sandbox's vehicle
register holds for debtor 360426199101010071. Huey runs in immediate mode and the post-commit kick is
on, so the targeted query is sent (and answered) inside the request that files it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from e2e.conftest import login
from tests import factories
from tests.analytics.leadflows import DEBTOR_ID, PLATE, statement
from tests.conftest import _fast_password_hashing, courts, people  # noqa: F401 - fixtures
from tests.inquiry.conftest import open_case, sandbox_process  # noqa: F401 - fixture
from zhixing.analytics import queries, services
from zhixing.cases.services import PartyData
from zhixing.inquiry.models import Asset

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def platform(settings: Any, sandbox_process: str, live_server: Any, tmp_path: Path) -> None:  # noqa: F811
    settings.DATA_DIR = tmp_path / "data"
    settings.ZHIXING_SANDBOX_URL = sandbox_process
    settings.ZHIXING_PLATFORM_URL = live_server.url
    settings.ZHIXING_INQUIRY = {"http_timeout": 5}


def test_judge_follows_a_vehicle_lead_and_seizes_the_car(
    page: Any,
    people: dict[str, Any],  # noqa: F811
    platform: None,
) -> None:
    applicant = factories.filing().parties[0]
    case = open_case(
        people, parties=[applicant, PartyData(role="debtor", kind="person", name="李四", id_number=DEBTOR_ID)]
    )
    party = next(p for p in case.parties.all() if p.role == "debtor")
    ref = queries.debtor(people["judge"], case.pk, party.pk)
    assert ref is not None
    services.install_builtin_presets()
    preset = queries.preset_by_code(people["judge"], "cmb")
    job = services.create_import(
        people["judge"], ref, kind="statement", file_name="s.csv", data=statement(), preset=preset
    )
    services.run_import(job.pk)
    prof = services.compute_profile(people["judge"], ref, start=date(2025, 1, 1), end=date(2026, 3, 1))
    lead = next(x for x in queries.leads_of(prof) if x.target == PLATE)

    login(page, "th_judge", factories.PASSWORD)
    page.goto(f"/analytics/profiles/{prof.pk}/")
    row = page.locator(f"#lead-{lead.pk}")
    assert row.get_attribute("data-state") == "new"
    page.click(f"#lead-follow-{lead.pk}")
    assert "已发起定向查询" in page.inner_text("#messages")
    assert page.locator(f"#lead-{lead.pk}").get_attribute("data-state") == "found"
    assert PLATE in page.inner_text(f"[data-testid=lead-state-{lead.pk}] >> xpath=../..")

    page.click(f"[data-testid=lead-asset-{lead.pk}]")
    page.wait_for_url(f"**/inquiry/cases/{case.pk}/**")
    asset = Asset.objects.get(case=case, ref=PLATE)
    assert page.get_attribute(f"#asset-{asset.pk}", "data-state") == "none"
    assert page.locator("#request-table").inner_text().count(f"定向：{PLATE}") == 1
    page.click(f"[data-testid=seize-{asset.pk}]")
    assert "审批" in page.inner_text("#messages")

    page.context.clear_cookies()
    login(page, "th_director", factories.PASSWORD)
    page.goto("/inquiry/approvals/")
    page.click("[data-testid^=approve-]")
    assert "已批准" in page.inner_text("#messages")

    page.context.clear_cookies()
    login(page, "th_judge", factories.PASSWORD)
    page.goto(f"/inquiry/cases/{case.pk}/")
    assert page.get_attribute(f"#asset-{asset.pk}", "data-state") == "seized"
