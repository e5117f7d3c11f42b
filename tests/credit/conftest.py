"""Credit fixtures: frozen time (2026-03-10 10:00 Beijing), a listed-ready case, partners, a fresh index."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache

from tests import factories
from tests.inquiry.conftest import ROOT, free_port
from zhixing.cases import services as case_services
from zhixing.cases.models import EnforcementCase, Party
from zhixing.credit import queries, services
from zhixing.credit.models import Partner
from zhixing.credit.services import privacy

NOW = datetime(2026, 3, 10, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
ADULT_ID = factories.make_id(date(1980, 5, 6), seq=111)  # 440106198005061111-style, male
OTHER_ID = factories.make_id(date(1975, 1, 2), area="110105", seq=222)
MINOR_ID = factories.make_id(date(2012, 6, 1), seq=124)


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def _fresh_state() -> Iterator[None]:
    queries.reset_index()
    cache.clear()
    yield
    queries.reset_index()
    cache.clear()


def debtor_case(
    clerk: Any, name: str = "张三", id_number: str = ADULT_ID, served: bool = True, **kw: Any
) -> EnforcementCase:
    """A case against one person debtor whose enforcement notice was served on the filing day (its period
    ran out before the frozen today), so it may be listed and restricted; `served=False`: no notice."""
    case = factories.case(
        clerk,
        parties=[
            case_services.PartyData(
                role="applicant",
                kind="organisation",
                name="广州某银行股份有限公司",
                credit_code=factories.VALID_CREDIT,
                legal_representative="陈行长",
            ),
            case_services.PartyData(
                role="debtor", kind="person", name=name, id_number=id_number, address="广州市天河区某路1号"
            ),
        ],
        **kw,
    )
    if served:
        factories.serve_notice(case)
    return case


def org_case(clerk: Any) -> EnforcementCase:
    case = factories.case(
        clerk,
        parties=[
            case_services.PartyData(role="applicant", kind="person", name="李四", id_number=OTHER_ID),
            case_services.PartyData(
                role="debtor",
                kind="organisation",
                name="广州某某贸易有限公司",
                credit_code=factories.VALID_CREDIT,
                legal_representative="王五",
            ),
        ],
    )
    factories.serve_notice(case)
    return case


def debtor(case: EnforcementCase) -> Party:
    return case.parties.get(role="debtor")


def listing_data(**kw: Any) -> services.ListingData:
    data: dict[str, Any] = {"ground": 4, "dishonest_act": "拒不报告财产"}
    data.update(kw)
    return services.ListingData(**data)


@pytest.fixture
def case(people: dict[str, Any]) -> EnforcementCase:
    return debtor_case(people["clerk"])


@pytest.fixture
def listed(case: EnforcementCase, people: dict[str, Any]) -> Any:
    """A fixed-term listing (ground 4, 2 years): deleted at expiry, never on an Art 10(1) trigger."""
    return services.list_debtor(people["judge"], case, debtor(case), listing_data())


def open_listing_data(**kw: Any) -> services.ListingData:
    """Ground 1 (able but refusing): no fixed term, so the Art 10(1) triggers delete it (失信规定 Art 10)."""
    data: dict[str, Any] = {
        "ground": 1,
        "dishonest_act": "有履行能力而拒不履行",
        "guarantee_confirmed": True,
        "order_confirmed": True,
        "ability_confirmed": True,
    }
    data.update(kw)
    return services.ListingData(**data)


@pytest.fixture
def listed_open(case: EnforcementCase, people: dict[str, Any]) -> Any:
    """A listing without a term (ground 1): the one the Art 10(1) removal triggers apply to."""
    return services.list_debtor(people["judge"], case, debtor(case), open_listing_data())


def make_partner(
    kind: str, name: str | None = None, rate: int = 600, full_sync: bool = False
) -> tuple[Partner, str]:
    return services.create_partner(
        None, name=name or f"{kind}单位", kind=kind, rate_per_minute=rate, full_sync=full_sync
    )


@pytest.fixture
def railway(db: Any) -> tuple[Partner, str]:
    return make_partner("railway", "国铁集团")


@pytest.fixture
def airline(db: Any) -> tuple[Partner, str]:
    return make_partner("airline", "某航空公司")


def ready_privacy_table(partner: Partner) -> None:
    """Privacy mode switched on and its keyed-hash table built (what the background task does)."""
    privacy.enable_privacy_mode(None, partner)
    privacy.build_privacy_table(partner.pk)


def delivered(notice: Any) -> Any:
    """A queued exposure notice as the dispatcher leaves it once the media partner accepted it."""
    from zhixing.credit.services import delivery

    delivery.claim(1000, only=[notice.pk])
    delivery.apply_answer(notice.pk, notice.idempotency_key, {"status": "done", "result": {"ref": "M-1"}})
    notice.refresh_from_db()
    return notice


# -- the sandbox's media partners, as a process of their own (tests/credit/media_sandbox.py) -------------
@pytest.fixture(scope="session")
def media_process() -> Iterator[str]:
    port = free_port()
    env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "src"), ZHIXING_SANDBOX_MEDIA_PERIOD="0")
    proc = subprocess.Popen(
        [sys.executable, "-m", "zhixing.partners.sandbox", "--port", str(port)], cwd=ROOT, env=env
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/_sandbox/stats", timeout=1):
                break
        except OSError:
            time.sleep(0.1)
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture
def box(media_process: str, settings: Any) -> Any:
    from .media_sandbox import MediaBox

    b = MediaBox(media_process)
    b.call("/_sandbox/reset", {})
    settings.ZHIXING_SANDBOX_URL = media_process
    settings.ZHIXING_PLATFORM_URL = "http://127.0.0.1:9"  # no platform listening unless a test says so
    # 15 s: a loaded CI machine once made the sandbox miss 3 s; retries are tested apart.
    settings.ZHIXING_EXPOSURE = {"backoff_base": 0, "http_timeout": 15, "max_attempts": 3}
    return b


@pytest.fixture
def stored_word(settings: Any, tmp_path: Any) -> Any:
    """Make a credit document through the documents capability, as the page's button does, and return the
    stored Word file's text (the credit pages offer only stored documents: issue 17, ADR 0021)."""
    from tests.documents.reading import word_text
    from zhixing.documents.models import Document as Stored

    settings.MEDIA_ROOT = tmp_path / "media"

    def make(client: Any, case_id: int, kind: str, source: str) -> str:
        made = client.post(f"/cases/{case_id}/documents/generate/", {"kind": kind, "source": source})
        assert made.status_code == 302, made.content.decode()[:500]
        doc = Stored.objects.filter(case_id=case_id, kind=kind, source=source).latest("pk")
        r = client.get(f"/documents/{doc.pk}/word/")
        assert r.status_code == 200
        return word_text(b"".join(r.streaming_content) if r.streaming else r.content)

    return make
