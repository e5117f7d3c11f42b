"""The screening gateway (credit/gateway/): the product's route for the partner check and batch.

* the benchmark's correctness check at small scale: a sample of answers on the product route compared
  with the database (register masks, court and case of the measures), every call audited;
* a group of requests handled together: keys, shared rate limits, one audit record per answered call;
* the detail cache follows the register's change log, also when a mask stays the same;
* the real server (`make run`'s launcher) with the threaded engine and the product's bulk load path.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from datetime import timedelta
from typing import Any

import pytest
import requests
from django.test import Client
from django.utils import timezone

from tests.credit.conftest import ADULT_ID, debtor, debtor_case, make_partner
from tests.live_asgi import LiveASGI, manage, migrated_data_dir
from zhixing.config.asgi import screening_gateway
from zhixing.core.models import AuditRecord
from zhixing.credit import queries, rules, services
from zhixing.credit.gateway import BATCH_PATH, CHECK_PATH, Engine, Job
from zhixing.credit.models import RestrictedSubject, Restriction
from zhixing.credit.screening import COMMON_MASK
from zhixing.credit.services.register import load_register
from zhixing.credit.synthetic import synthetic_id
from zhixing.credit.visibility import view_of, visible_measures

# slow: dealt out first in a parallel run (conftest.py), so it does not run alone at the end.
pytestmark = [pytest.mark.django_db, pytest.mark.slow]

RAILWAY = view_of("railway").mask


def screening_records() -> int:
    return AuditRecord.objects.filter(action__in=["screening.check", "screening.batch"]).count()


def check(key: str, number: str) -> Any:
    return Client().post(CHECK_PATH, {"id": number}, content_type="application/json", HTTP_X_PARTNER_KEY=key)


def test_a_sample_of_answers_matches_the_database(people: dict[str, Any]) -> None:
    """Small-scale twin of the benchmark's correctness check, on the product route."""
    load_register(None, (synthetic_id(i) for i in range(300)), mask=COMMON_MASK, since=timezone.localdate())
    case = debtor_case(people["clerk"])
    services.restrict_consumption(people["judge"], case, debtor(case), items=[1, 9], bound_persons=[])
    _, key = make_partner("railway", "国铁集团", rate=10_000)
    sample = (
        [ADULT_ID]
        + [synthetic_id(i) for i in range(0, 300, 7)]
        + [synthetic_id(i, listed=False) for i in range(40)]
    )
    before = screening_records()
    masks = dict(RestrictedSubject.objects.values_list("subject_key", "mask"))
    for number in sample:
        r = check(key, number)
        assert r.status_code == 200, r.content
        body = r.json()
        visible = masks.get(number, 0) & RAILWAY
        assert body["restricted"] is bool(visible)
        assert body["restrictions"] == list(rules.codes_of(visible))
        rows = queries.subject_details([number]).get(number, [])
        expected = [
            {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in m.items()}
            for m in visible_measures(view_of("railway"), rows)
        ]
        assert body["cases"] == expected
    assert body["cases"] == [] and check(key, ADULT_ID).json()["cases"][0]["case_number"] == case.number
    # The batch, in the compact CSV format, says the same of the same people.
    text = "\n".join(sample).encode()
    r = Client().post(
        BATCH_PATH, text, content_type="text/plain", HTTP_X_PARTNER_KEY=key, HTTP_ACCEPT="text/csv"
    )
    assert r.status_code == 200 and r["Content-Type"] == "text/csv; charset=utf-8"
    hit_lines = {int(line.split(",")[0]) for line in r.content.decode().splitlines()[1:]}
    assert hit_lines == {i for i, n in enumerate(sample, 1) if masks.get(n, 0) & RAILWAY}
    assert r["X-Screening-Hits"] == str(len(hit_lines))
    # And in the original JSON format.
    r = Client().post(BATCH_PATH, {"ids": sample}, content_type="application/json", HTTP_X_PARTNER_KEY=key)
    assert set(r.json()["restricted"]) == {n for n in sample if masks.get(n, 0) & RAILWAY}
    # One audit record per call (the extra check above included).
    assert screening_records() - before == len(sample) + 1 + 2


def _job(key: str, number: str) -> Job:
    return Job("check", key, "application/json", "", "", json.dumps({"id": number}).encode())


def test_a_group_is_answered_with_keys_limits_and_one_record_per_answered_call(
    people: dict[str, Any],
) -> None:
    case = debtor_case(people["clerk"])
    services.restrict_consumption(people["judge"], case, debtor(case), items=[1, 9], bound_persons=[])
    _limited, lkey = make_partner("railway", "限额铁路", rate=2)
    _, key = make_partner("railway", "国铁集团", rate=100)
    revoked, rkey = make_partner("railway", "已停用")
    services.revoke_partner(None, revoked)
    before = screening_records()
    jobs = [_job(lkey, ADULT_ID), _job(key, ADULT_ID), _job(lkey, ADULT_ID), _job(lkey, ADULT_ID)]
    jobs += [_job(rkey, ADULT_ID), _job("zxp_unknown", ADULT_ID), _job(key, "11010519491231002Y")]
    answers = Engine().process(jobs)
    assert [a.status for a in answers] == [200, 200, 200, 429, 401, 401, 422]
    assert json.loads(answers[1].body)["restrictions"] == ["soft_sleeper", "hsr"]
    assert json.loads(answers[3].body)["code"] == "rate_limited"
    assert json.loads(answers[6].body)["field"] == "id"
    # Records for the three answered calls only, written together.
    records = AuditRecord.objects.filter(action="screening.check").order_by("pk")
    assert screening_records() - before == 3
    assert [r.after["partner"] for r in records][-3:] == ["限额铁路", "国铁集团", "限额铁路"]
    assert len({r.at for r in records[:3]}) == 1
    # The limit is the shared one: the same partner through Django's PartnerAuth is refused too.
    r = Client().get("/api/v1/screening/changes", HTTP_X_PARTNER_KEY=lkey)
    assert r.status_code == 429


def test_cached_court_and_case_follow_the_change_log_when_the_mask_stays(people: dict[str, Any]) -> None:
    first = debtor_case(people["clerk"])
    services.restrict_consumption(people["judge"], first, debtor(first), items=[1, 9], bound_persons=[])
    _, key = make_partner("railway", "国铁集团")
    assert [c["case_number"] for c in check(key, ADULT_ID).json()["cases"]] == [first.number]
    mask = RestrictedSubject.objects.get(subject_key=ADULT_ID).mask
    second = debtor_case(people["clerk"])
    services.restrict_consumption(people["judge"], second, debtor(second), items=[1, 9], bound_persons=[])
    assert RestrictedSubject.objects.get(subject_key=ADULT_ID).mask == mask  # same mask: still an event
    numbers = [c["case_number"] for c in check(key, ADULT_ID).json()["cases"]]
    assert sorted(numbers) == sorted([first.number, second.number])
    services.lift_restriction(people["judge"], Restriction.objects.get(case=first), trigger="performed")
    assert [c["case_number"] for c in check(key, ADULT_ID).json()["cases"]] == [second.number]


def test_the_detail_cache_forgets_only_the_subjects_the_change_log_names(
    people: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import transaction

    from zhixing.credit.services.register import refresh_subject

    first = debtor_case(people["clerk"])
    services.restrict_consumption(people["judge"], first, debtor(first), items=[1, 9], bound_persons=[])
    _, key = make_partner("railway", "国铁集团", rate=10_000)
    asked: list[list[str]] = []
    real = queries.subject_details
    monkeypatch.setattr(queries, "subject_details", lambda keys: asked.append(keys) or real(keys))
    engine = Engine()

    def cases() -> list[str]:
        (answer,) = engine.process([_job(key, ADULT_ID)])
        return [c["case_number"] for c in json.loads(answer.body)["cases"]]

    assert cases() == [first.number] and asked == [[ADULT_ID]]
    # Another subject's change event moves the cursor: this subject's details stay cached.
    other = synthetic_id(5)
    load_register(None, [other], mask=COMMON_MASK, since=timezone.localdate())
    with transaction.atomic():
        refresh_subject(other)
    assert cases() == [first.number] and asked == [[ADULT_ID]]
    # Its own change (the restriction lifted, the mask gone) is never served stale.
    services.lift_restriction(people["judge"], Restriction.objects.get(case=first), trigger="performed")
    assert cases() == []
    # Re-restricted: the details are read again (the event names the subject).
    second = debtor_case(people["clerk"])
    services.restrict_consumption(people["judge"], second, debtor(second), items=[1, 9], bound_persons=[])
    assert cases() == [second.number] and asked[-1] == [ADULT_ID]
    # More events than the cache forgets one by one: everything is forgotten.
    monkeypatch.setattr(engine.details, "FORGET_AT_MOST", 0)
    with transaction.atomic():
        refresh_subject(other)
    n = len(asked)
    assert cases() == [second.number] and len(asked) == n + 1


def test_register_only_hits_ask_no_details_until_a_measure_of_their_own_is_made(
    people: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A subject only on the register (another court's list, bulk-loaded) has no court or case here: its
    checks and batch lines are answered without a details query. Once a measure of its own is made (the
    change event names it), its details are read and shown."""
    others = [synthetic_id(i) for i in range(3)]
    load_register(None, [ADULT_ID, *others], mask=COMMON_MASK, since=timezone.localdate())
    _, key = make_partner("railway", "国铁集团", rate=10_000)
    asked: list[list[str]] = []
    real = queries.subject_details
    monkeypatch.setattr(queries, "subject_details", lambda keys: asked.append(keys) or real(keys))
    engine = Engine()
    batch = Job("batch", key, "text/plain", "text/csv", "", "\n".join([ADULT_ID, *others]).encode())

    def answers() -> tuple[list[str], bytes]:
        check, lines = engine.process([_job(key, ADULT_ID), batch])
        assert check.status == 200 and lines.status == 200
        assert json.loads(check.body)["restricted"] is True
        return [c["case_number"] for c in json.loads(check.body)["cases"]], lines.body

    cases, csv = answers()
    assert cases == [] and asked == []
    assert csv.count(b"\n") == 5  # header and four hits
    case = debtor_case(people["clerk"])
    services.restrict_consumption(people["judge"], case, debtor(case), items=[1, 9], bound_persons=[])
    cases, csv = answers()
    assert cases == [case.number] and case.number.encode() in csv
    assert all(keys == [ADULT_ID] for keys in asked) and asked  # only the subject with a measure
    # A new day forgets everything: what may have details is read again, still only that subject.
    engine.details.follow(engine.details.index, timezone.localdate() + timedelta(days=1))
    asked.clear()
    engine.details.get([ADULT_ID, *others])
    assert asked == [[ADULT_ID]]


def test_the_gateway_runs_inline_only_inside_the_test_client() -> None:
    assert screening_gateway.inline is False


# -- the real server ---------------------------------------------------------------------------------------
# `make run`'s launcher always runs SQLite in its own data directory (tests/live_asgi.py scrubs
# DATABASE_URL, the loads are `manage.py` on that directory): the PostgreSQL stage would repeat it.
@pytest.mark.backend_neutral
def test_the_launcher_answers_concurrent_partners_from_the_bulk_loaded_register(tmp_path: Any) -> None:
    data = migrated_data_dir(tmp_path / "live")
    out = manage(data, "credit_load_register", "--persons", "400", "--partner", "railway", "--rate", "100000")
    key = out.strip().splitlines()[-1]
    listed = [synthetic_id(i) for i in range(0, 400, 5)]
    misses = [synthetic_id(i, listed=False) for i in range(80)]
    with LiveASGI(data, entry="launcher") as srv:
        results: dict[str, tuple[int, dict[str, Any]]] = {}

        def ask(numbers: list[str]) -> None:
            session = requests.Session()
            for number in numbers:
                r = session.post(
                    srv.url + CHECK_PATH, json={"id": number}, headers={"X-Partner-Key": key}, timeout=60
                )
                results[number] = (r.status_code, r.json())

        everyone = listed + misses
        threads = [threading.Thread(target=ask, args=(everyone[i::8],)) for i in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        batch = requests.post(
            srv.url + BATCH_PATH,
            data="\n".join(everyone).encode(),
            headers={"X-Partner-Key": key, "Content-Type": "text/plain", "Accept": "text/csv"},
            timeout=60,
        )
        bad = requests.post(
            srv.url + CHECK_PATH, json={"id": listed[0]}, headers={"X-Partner-Key": "zxp_x"}, timeout=60
        )
        # A person loaded while the server runs is restricted at once (the change log).
        manage(data, "credit_load_register", "--persons", "1", "--start", "400")
        late = requests.post(
            srv.url + CHECK_PATH, json={"id": synthetic_id(400)}, headers={"X-Partner-Key": key}, timeout=60
        )
    db = sqlite3.connect(str(data / "zhixing.sqlite3"))
    masks = dict(db.execute("SELECT subject_key, mask FROM credit_restrictedsubject").fetchall())
    for number, (status, body) in results.items():
        assert status == 200
        assert body["restrictions"] == list(rules.codes_of(masks.get(number, 0) & RAILWAY)), number
    assert sum(body["restricted"] for _, body in results.values()) == len(listed)
    assert batch.status_code == 200 and batch.headers["X-Screening-Hits"] == str(len(listed))
    assert bad.status_code == 401 and late.status_code == 200 and late.json()["restricted"] is True
    audited = db.execute(
        "SELECT COUNT(*) FROM core_auditrecord WHERE action IN ('screening.check', 'screening.batch')"
    ).fetchone()[0]
    assert audited == len(everyone) + 2  # every answered call, none for the refused key
