"""Permission matrix over every analytics page and endpoint.

Own court (粤0106, every role) reads and writes; the higher courts 粤01 and 粤 read only; the sibling
court 粤0104 and 粤0304 cannot even see the debtor (404); anonymous users are sent to log in (401 on
the API).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories
from zhixing.analytics import services
from zhixing.courts.roles import Role

from .conftest import FIXTURES, load

# backend_neutral: a role × route matrix decides the same on both databases; the PostgreSQL stage skips it
# (docs/adr/0029-postgresql-stage-runs-what-can-differ.md).
pytestmark = pytest.mark.backend_neutral

OWN = [r.value for r in Role]
READERS = ["gz_director", "gd_president"]
STRANGERS = ["yx_director", "yx_judge", "ft_director"]


@pytest.fixture
def world(debtor: Any, people: dict[str, Any], presets: dict[str, Any]) -> dict[str, Any]:
    job = load(debtor, people["judge"], presets["cmb"], (FIXTURES / "cmb_sample.csv").read_bytes())
    prof = services.compute_profile(people["judge"], debtor, start=date(2023, 1, 1), end=date(2026, 1, 1))
    return {"ref": debtor, "job": job, "profile": prof}


def client_for(people: dict[str, Any], who: str | None) -> Client:
    c = Client()
    if who:
        c.force_login(people[who])
    return c


def read_urls(w: dict[str, Any]) -> list[str]:
    ref, prof = w["ref"], w["profile"]
    return [
        reverse("analytics:debtor", args=[ref.case.pk, ref.party.pk]),
        reverse("analytics:job", args=[w["job"].pk]),
        reverse("analytics:profile", args=[prof.pk]),
        reverse("analytics:evidence", args=[prof.pk, "regular_payees"]) if prof.findings else "",
        reverse("analytics:report_print", args=[prof.pk]),
        reverse("analytics:bundle", args=[prof.pk]),
    ]


def api_upload(c: Client, ref: Any) -> int:
    """POST a statement to the API import endpoint; the status code."""
    with (FIXTURES / "abc_sample.csv").open("rb") as fh:
        return int(
            c.post(
                f"/api/v1/analytics/cases/{ref.case.pk}/debtors/{ref.party.pk}/imports",
                {"file": fh, "preset": "abc", "mode": "strict"},
            ).status_code
        )


@pytest.mark.parametrize("who", OWN + READERS)
def test_own_and_higher_courts_read(world: dict[str, Any], people: dict[str, Any], who: str) -> None:
    c = client_for(people, who)
    for url in filter(None, read_urls(world)):
        assert c.get(url).status_code == 200, url
    api = c.get(f"/api/v1/analytics/profiles/{world['profile'].pk}")
    assert api.status_code == 200 and api.json()["score"] == world["profile"].score


@pytest.mark.parametrize("who", STRANGERS)
def test_other_courts_get_404(world: dict[str, Any], people: dict[str, Any], who: str) -> None:
    c = client_for(people, who)
    for url in filter(None, read_urls(world)):
        assert c.get(url).status_code == 404, url
    assert c.get(f"/api/v1/analytics/profiles/{world['profile'].pk}").status_code == 404
    assert c.get(f"/api/v1/analytics/jobs/{world['job'].pk}").status_code == 404
    ref = world["ref"]
    assert c.post(reverse("analytics:compute", args=[ref.case.pk, ref.party.pk])).status_code == 404
    api = c.post(
        f"/api/v1/analytics/cases/{ref.case.pk}/debtors/{ref.party.pk}/profile", {}, "application/json"
    )
    assert api.status_code == 404
    assert api_upload(c, ref) == 404


def test_anonymous_is_sent_to_login(world: dict[str, Any], people: dict[str, Any]) -> None:
    c = Client()
    for url in [*filter(None, read_urls(world)), reverse("analytics:index"), reverse("analytics:presets")]:
        r = c.get(url)
        assert r.status_code == 302 and "/login/" in r["Location"], url
    assert c.get(f"/api/v1/analytics/profiles/{world['profile'].pk}").status_code == 401
    assert api_upload(c, world["ref"]) == 401


@pytest.mark.parametrize("who", ["judge", "clerk", "assistant"])
def test_own_court_writes(world: dict[str, Any], people: dict[str, Any], who: str) -> None:
    ref = world["ref"]
    c = client_for(people, who)
    with (FIXTURES / "abc_sample.csv").open("rb") as fh:
        r = c.post(
            reverse("analytics:upload", args=[ref.case.pk, ref.party.pk]),
            {"kind": "statement", "preset": world["job"].preset_id, "mode": "strict", "file": fh},
        )
    assert r.status_code == 302
    r = c.post(
        reverse("analytics:compute", args=[ref.case.pk, ref.party.pk]),
        {"start": "2023-01-01", "end": "2026-01-01"},
    )
    assert r.status_code == 302 and "/analytics/profiles/" in r["Location"]
    api = c.post(
        f"/api/v1/analytics/cases/{ref.case.pk}/debtors/{ref.party.pk}/profile",
        {"start": "2023-01-01", "end": "2026-01-01"},
        "application/json",
    )
    assert api.status_code == 201
    assert api_upload(c, ref) == 201


@pytest.mark.parametrize("who", READERS)
def test_higher_courts_cannot_write(world: dict[str, Any], people: dict[str, Any], who: str) -> None:
    ref = world["ref"]
    c = client_for(people, who)
    with (FIXTURES / "abc_sample.csv").open("rb") as fh:
        r = c.post(
            reverse("analytics:upload", args=[ref.case.pk, ref.party.pk]),
            {"kind": "statement", "preset": world["job"].preset_id, "mode": "strict", "file": fh},
        )
    assert r.status_code == 403
    assert c.post(reverse("analytics:compute", args=[ref.case.pk, ref.party.pk])).status_code == 403
    assert (
        c.post(
            reverse("analytics:related", args=[ref.case.pk, ref.party.pk]),
            {"name": "李某", "relation": "spouse"},
        ).status_code
        == 403
    )
    api = c.post(
        f"/api/v1/analytics/cases/{ref.case.pk}/debtors/{ref.party.pk}/profile", {}, "application/json"
    )
    assert api.status_code == 403
    assert api_upload(c, ref) == 403


def test_batch_ranks_court_debtors_and_is_scoped(
    world: dict[str, Any], people: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    other = factories.case(people["clerk"])
    c = client_for(people, "director")
    with django_capture_on_commit_callbacks(execute=True):
        assert c.post(reverse("analytics:batch_start")).status_code == 302
    from zhixing.analytics.models import BatchRun

    run = BatchRun.objects.get()
    assert (run.status, run.total, run.processed) == ("done", 1, 1)  # `other` has no imported data
    page = c.get(reverse("analytics:batch", args=[run.pk]))
    assert page.status_code == 200 and world["ref"].party.name in page.content.decode()
    assert client_for(people, "gz_director").get(reverse("analytics:batch", args=[run.pk])).status_code == 200
    assert client_for(people, "yx_director").get(reverse("analytics:batch", args=[run.pk])).status_code == 404
    assert other.pk != world["ref"].case.pk


def test_index_lists_only_readable_debtors(world: dict[str, Any], people: dict[str, Any]) -> None:
    name = world["ref"].party.name
    link = reverse("analytics:debtor", args=[world["ref"].case.pk, world["ref"].party.pk])
    for who in ["judge", "gz_director"]:
        html = client_for(people, who).get(reverse("analytics:index")).content.decode()
        assert name in html and link in html
    assert link not in client_for(people, "yx_director").get(reverse("analytics:index")).content.decode()
