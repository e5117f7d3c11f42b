"""Privacy mode: the keyed-hash table is precomputed in the background; 503 "准备中" until it is ready."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.test import Client

from zhixing.core.models import AuditRecord
from zhixing.credit import services, tasks
from zhixing.credit.models import KeyedHash, PrivacyTable
from zhixing.credit.screening import keyed_hash
from zhixing.credit.services import privacy

from .conftest import (
    ADULT_ID,
    OTHER_ID,
    debtor,
    debtor_case,
    listing_data,
    make_partner,
    open_listing_data,
    ready_privacy_table,
)

URL = "/api/v1/screening/private"
RAIL_CODES = ["soft_sleeper", "hsr"]


def ask(client: Client, key: str, hashes: list[str]) -> Any:
    return client.post(
        URL, data=json.dumps({"hashes": hashes}), content_type="application/json", HTTP_X_PARTNER_KEY=key
    )


def test_first_call_answers_503_then_the_task_builds(client: Client, listed: Any, railway: Any) -> None:
    partner, key = railway
    mine = keyed_hash(partner.hmac_key, ADULT_ID)
    r = ask(client, key, [mine])
    assert r.status_code == 503
    assert r.json() == {
        "detail": "隐私模式比对表正在准备中（首次使用或密钥轮换后需预先计算），请稍后重试",
        "field": None,
        "code": "preparing",
    }
    table = PrivacyTable.objects.get(partner=partner)
    assert table.status == "building" and KeyedHash.objects.filter(partner=partner).count() == 0
    # The refused call is audited too (one record), and switching privacy mode on has its own record.
    actions = list(
        AuditRecord.objects.filter(object_type="Partner", object_id=str(partner.pk)).values_list(
            "action", flat=True
        )
    )
    assert actions[-2:] == ["screening.privacy_enable", "screening.private"]
    assert ask(client, key, [mine]).status_code == 503  # still building: never a blocking build
    tasks.privacy_tables_periodic_task()  # the sweep queues the build (Huey runs it inline in tests)
    table.refresh_from_db()
    assert (table.status, table.rows) == ("ready", 1)
    assert list(KeyedHash.objects.filter(partner=partner).values_list("subject_key", flat=True)) == [ADULT_ID]
    body = ask(client, key, [mine, keyed_hash(partner.hmac_key, OTHER_ID)]).json()
    assert body["asked"] == 2 and body["restricted"] == {mine: RAIL_CODES}


def test_partner_created_in_privacy_mode_is_precomputed(client: Client, listed: Any) -> None:
    partner, key = services.create_partner(None, name="隐私铁路", kind="railway", privacy_mode=True)
    assert PrivacyTable.objects.get(partner=partner).status == "building"
    assert privacy.tables_to_build() == [partner.pk]
    tasks.build_privacy_table_task(partner.pk)
    assert privacy.tables_to_build() == []
    mine = keyed_hash(partner.hmac_key, ADULT_ID)
    assert ask(client, key, [mine]).json()["restricted"] == {mine: RAIL_CODES}
    # A duplicate build job after the table is ready changes nothing.
    assert privacy.build_privacy_table(partner.pk) is None


def test_key_rotation_rebuilds_and_old_hashes_stop_matching(
    client: Client, listed: Any, railway: Any
) -> None:
    partner, key = railway
    ready_privacy_table(partner)
    old = keyed_hash(partner.hmac_key, ADULT_ID)
    new_key = privacy.rotate_privacy_key(None, partner)
    assert new_key != old and AuditRecord.objects.filter(action="screening.privacy_rotate").count() == 1
    assert ask(client, key, [old]).status_code == 503
    privacy.build_privacy_table(partner.pk)
    new = keyed_hash(new_key, ADULT_ID)
    body = ask(client, key, [old, new]).json()
    assert body["restricted"] == {new: RAIL_CODES}


def test_register_changes_are_seen_at_once_and_merged_incrementally(
    client: Client, people: dict, railway: Any
) -> None:
    partner, key = railway
    ready_privacy_table(partner)  # empty register: an empty table
    table = PrivacyTable.objects.get(partner=partner)
    assert (table.status, table.rows) == ("ready", 0)
    c = debtor_case(people["clerk"])
    x = services.list_debtor(people["judge"], c, debtor(c), open_listing_data())
    mine = keyed_hash(partner.hmac_key, ADULT_ID)
    # Not merged yet: the call reads the pending changes (no rebuild, no 503).
    assert ask(client, key, [mine]).json()["restricted"] == {mine: RAIL_CODES}
    assert privacy.sync_privacy_tables() == 1
    table.refresh_from_db()
    assert table.rows == 1 and KeyedHash.objects.get(partner=partner).subject_key == ADULT_ID
    assert privacy.sync_privacy_tables() == 0  # nothing new
    services.remove_listing(people["judge"], x, trigger="performed", trigger_on=date(2026, 3, 10))
    assert ask(client, key, [mine]).json()["restricted"] == {}  # removed at once, before the merge
    tasks.privacy_tables_periodic_task()
    table.refresh_from_db()
    assert table.rows == 0 and not KeyedHash.objects.filter(partner=partner).exists()


def test_long_backlog_answers_503_until_synced(
    client: Client, listed: Any, railway: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    partner, key = railway
    privacy.enable_privacy_mode(None, partner)
    PrivacyTable.objects.filter(partner=partner).update(status="ready", cursor=0)  # far behind the log
    monkeypatch.setattr(privacy, "MAX_OVERLAY", 0)
    mine = keyed_hash(partner.hmac_key, ADULT_ID)
    assert ask(client, key, [mine]).status_code == 503
    privacy.sync_privacy_tables()
    assert ask(client, key, [mine]).json()["restricted"] == {mine: RAIL_CODES}


def test_hash_of_unasked_person_is_never_returned(client: Client, people: dict, railway: Any) -> None:
    """Only hashes the partner sent come back; a prefix collision cannot name another person."""
    partner, key = railway
    for number in (ADULT_ID, OTHER_ID):
        c = debtor_case(people["clerk"], id_number=number)
        services.list_debtor(people["judge"], c, debtor(c), listing_data())
    ready_privacy_table(partner)
    mine = keyed_hash(partner.hmac_key, ADULT_ID)
    # Forge a hash sharing OTHER_ID's stored 8-byte prefix: the full-hash check refuses it.
    forged = keyed_hash(partner.hmac_key, OTHER_ID)[:16] + "0" * 48
    body = ask(client, key, [mine, forged]).json()
    assert body["restricted"] == {mine: RAIL_CODES}
    assert OTHER_ID not in json.dumps(body)


def test_revoked_partner_is_not_built(railway: Any) -> None:
    partner, _ = railway
    privacy.enable_privacy_mode(None, partner)
    services.revoke_partner(None, partner)
    assert privacy.tables_to_build() == [] and privacy.build_privacy_table(partner.pk) is None


def test_other_partners_table_is_separate(client: Client, listed: Any, railway: Any) -> None:
    partner, _ = railway
    ready_privacy_table(partner)
    other, okey = make_partner("railway", "另一铁路")
    ready_privacy_table(other)
    mine = keyed_hash(partner.hmac_key, ADULT_ID)
    assert ask(client, okey, [mine]).json()["restricted"] == {}


def test_build_job_during_a_running_build_returns_quietly(listed: Any, railway: Any) -> None:
    from zhixing.core.leases import lease

    partner, _ = railway
    privacy.enable_privacy_mode(None, partner)
    with lease(f"credit-privacy-build-{partner.pk}"):  # a build holds the lease
        tasks.build_privacy_table_task(partner.pk)
        assert PrivacyTable.objects.get(partner=partner).status == "building"
    tasks.build_privacy_table_task(partner.pk)
    assert PrivacyTable.objects.get(partner=partner).status == "ready"
