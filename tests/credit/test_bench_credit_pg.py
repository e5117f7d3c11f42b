"""PostgreSQL only: the screening benchmark's correctness check (benchmarks/bench_credit.py
`check_sample`) at small scale on the documented deployment's route — persons loaded through the product's
bulk path (`manage.py credit_load_register`) into PostgreSQL, `python -m zhixing.config.server` with two
uvicorn workers on that database (and on Redis when the run has one), the real partner key — and every
answered call audited, counted as the benchmark counts it (`Database.audited`)."""

from __future__ import annotations

import importlib.util
import os
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from tests.live_asgi import LiveASGI, manage
from tests.worker_processes import database_url
from zhixing.credit.synthetic import synthetic_id

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="the deployment's database: PostgreSQL (the SQLite twin is tests/credit/test_gateway.py)",
    ),
    # The servers read what the load committed; the database is emptied afterwards.
    pytest.mark.django_db(transaction=True),
]

_BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_credit.py"


def _bench() -> Any:
    spec = importlib.util.spec_from_file_location("bench_credit", _BENCH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_credit", module)
    spec.loader.exec_module(module)
    return module


def _burst(url: str, key: str, numbers: list[str]) -> list[tuple[str, int, bool]]:
    """Check `numbers` over 12 connections at once: (number, status, restricted) per call."""
    import requests

    out: list[tuple[str, int, bool]] = []

    def ask(part: list[str]) -> None:
        with requests.Session() as session:
            for number in part:
                r = session.post(
                    url + "/api/v1/screening/check",
                    json={"id": number},
                    headers={"X-Partner-Key": key},
                    timeout=60,
                )
                out.append((number, r.status_code, bool(r.json().get("restricted"))))

    threads = [threading.Thread(target=ask, args=(numbers[i::12],)) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


def test_the_benchmarks_correctness_check_passes_on_two_workers_on_postgresql(tmp_path: Path) -> None:
    bench = _bench()
    url = database_url()
    env = {"DATABASE_URL": url, "WEB_CONCURRENCY": "2"}
    if os.environ.get("REDIS_TEST_URL"):
        env["REDIS_URL"] = os.environ["REDIS_TEST_URL"]
    out = manage(tmp_path, "credit_load_register", "--persons", "400", "--partner", "railway", env=env)
    key = out.strip().splitlines()[-1]
    db = bench.Database(url)
    try:
        assert db.one("SELECT COUNT(*) FROM credit_restrictedsubject")[0] == 400
        before = db.audited()
        listed = [synthetic_id(i) for i in range(0, 400, 9)]
        sample = listed + [synthetic_id(i, listed=False) for i in range(45)]
        with LiveASGI(tmp_path, entry="server", env=env) as srv:
            compared, wrong, answered = bench.check_sample(srv.port, key, sample, db)
            # Many partners' calls at once, through both workers to the one engine process: every answer
            # is right and every one audited.
            burst = _burst(srv.url, key, sample * 3)
            # A register row changed behind the check's back is a wrong answer: the check can fail.
            sql = "UPDATE credit_restrictedsubject SET mask = 0 WHERE subject_key = %s RETURNING 1"
            db.one(sql, (sample[0],))
            _, wrong_after, _ = bench.check_sample(srv.port, key, sample[:1], db)
        assert (compared, wrong, answered) == (len(sample) + 1, 0, len(sample))
        assert wrong_after == 1
        assert sorted(burst) == sorted((n, 200, n in listed) for n in sample * 3)
        # Every answered call has its audit record (the 422 for the wrong check character has none):
        # with Redis, through the screening journal (core.audit_journal), whose flusher made its last
        # pass before the stopped server returned.
        assert db.audited() - before == len(sample) + 1 + len(sample) * 3
        if "REDIS_URL" in env:
            (journal,) = (tmp_path / "screening-journal").iterdir()
            name = (journal / "journal-id").read_text()
            sql = "SELECT seq FROM core_auditjournalmark WHERE journal = %s"
            assert db.one(sql, (name,))[0] >= 1
    finally:
        db.close()
