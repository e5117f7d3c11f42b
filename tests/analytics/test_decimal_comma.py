"""Amounts with a decimal comma (issue 16 item 1, the outside check's German export).

ING Germany's CSV (`fixtures/ing_de_sample.csv`, written for these tests in its shape): semicolons, a
preamble, dates `31.12.2024`, amounts `-1.234,56` and `12,50`, the currency after the balance and after
the amount in two columns both named "Währung". A layout says its amounts have a decimal comma
(`StatementPreset.decimal_comma`); every reader honours it (the fast readers leave such a layout to the
per-line reader), detection suggests it from the amounts, and the file imports with exact totals.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from zhixing.analytics import columnar_layout, detection, preview, services
from zhixing.analytics.amounts import parse_amount, parse_marked
from zhixing.analytics.compiled_layout import compile_layout
from zhixing.analytics.models import ImportJob, StatementPreset, Transaction
from zhixing.analytics.parsing import RowError, read_statement
from zhixing.analytics.presets import BUILTIN
from zhixing.analytics.totals import find_totals
from zhixing.core.models import AuditRecord

from .conftest import FIXTURES, load
from .layout_helpers import errors, layout, read, upload_apply_confirm

D = Decimal
ING = (FIXTURES / "ing_de_sample.csv").read_bytes()
ING_LAYOUT: dict[str, Any] = {
    "name": "ING 德国活期账户",
    "code": "ing-de",
    "institution": "ING-DiBa",
    "delimiter": ";",
    "header_row": 0,
    "header_marker": "Buchung",
    "date_column": "Buchung",
    "date_format": "DD.MM.YYYY",
    "amount_column": "Betrag",
    "balance_column": "Saldo",
    "counterparty_column": "Auftraggeber/Empfänger",
    "summary_column": "Verwendungszweck",
    "category_column": "Buchungstext",
    "default_currency": "EUR",
    "decimal_comma": True,
}
# (day, amount, balance) of the fixture's lines, newest first as the export lists them
ING_LINES = [
    (date(2024, 12, 31), "-12.50", "2345.67"),
    (date(2024, 12, 30), "3210.00", "2358.17"),
    (date(2024, 12, 27), "-1234.56", "-851.83"),
    (date(2024, 12, 23), "150.00", "382.73"),
    (date(2024, 12, 20), "-45.90", "232.73"),
    (date(2024, 12, 18), "-0.99", "278.63"),
    (date(2024, 12, 16), "-2000.00", "279.62"),
]


# -- reading one amount -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "want"),
    [
        ("-1.234,56", (D("-1234.56"), "")),
        ("12,50", (D("12.50"), "")),
        ("12,5", (D("12.50"), "")),
        ("1 234,56", (D("1234.56"), "")),
        ("1.234.567,89", (D("1234567.89"), "")),
        ("1.234", (D("1234.00"), "")),  # '.' separates thousands
        ("500", (D("500.00"), "")),
        (",50", (D("0.50"), "")),
        ("EUR -12,50", (D("-12.50"), "EUR")),
        ("12,50 €", (D("12.50"), "EUR")),
        ("(1.234,56)", (D("-1234.56"), "")),
        ("1.234,56-", (D("-1234.56"), "")),
        ("－１．２３４，５６", (D("-1234.56"), "")),  # full width
        (1234.5, (D("1234.50"), "")),  # a typed cell is a number whatever the mark
    ],
)
def test_a_decimal_comma_layout_reads_continental_amounts(raw: Any, want: tuple[Decimal, str]) -> None:
    assert parse_amount(raw, "Betrag", decimal_comma=True) == want


@pytest.mark.parametrize("raw", ["1,234.56", "12.5", "1.23", "1,2,3", "1.2345,00"])
def test_a_decimal_point_under_a_decimal_comma_layout_is_a_row_error_naming_the_column(raw: str) -> None:
    with pytest.raises(RowError, match="“Betrag”") as got:
        parse_amount(raw, "Betrag", decimal_comma=True)
    assert "逗号作小数点" in str(got.value)


def test_a_debit_credit_mark_reads_with_a_decimal_comma() -> None:
    assert parse_marked("1.234,56 CR", "Betrag", decimal_comma=True) == (D("1234.56"), "", "in")
    assert parse_marked("DR 0,99", "Betrag", decimal_comma=True) == (D("0.99"), "", "out")


def test_without_the_option_the_decimal_comma_stays_a_row_error_that_names_the_option() -> None:
    with pytest.raises(RowError, match="勾选“金额以逗号作小数点”"):
        parse_amount("12,50", "Betrag")


# -- reading the file ------------------------------------------------------------------------------------
def test_the_german_export_reads_every_line_amount_balance_and_date() -> None:
    got = read(ING, layout(**ING_LAYOUT))
    assert [(x.occurred_at.date(), str(x.amount), str(x.balance)) for x in got] == ING_LINES
    assert {x.currency for x in got} == {"EUR"}
    assert [x.direction for x in got] == ["out", "in", "out", "in", "out", "out", "out"]
    assert got[0].counterparty == "REWE Markt GmbH" and got[0].summary == "REWE SAGT DANKE 4711"


def test_the_same_file_without_the_option_names_the_rows_and_the_option() -> None:
    bad = errors(ING.decode(), layout(**{**ING_LAYOUT, "decimal_comma": False}))
    assert [r for r, _ in bad] == [16, 17, 18, 19, 20, 21, 22]
    assert bad[0][1].startswith("“Betrag”的千位分隔不是每三位一组：'-12,50'")


def test_income_and_spending_columns_and_the_files_totals_read_with_the_option() -> None:
    data = "Datum;Haben;Soll;Saldo\n02.01.2024;1.500,00;;1.500,00\n03.01.2024;;12,50;1.487,50\n"
    data += "Summe Soll;12,50\n"
    preset = layout(
        delimiter=";",
        date_column="Datum",
        date_format="DD.MM.YYYY",
        in_column="Haben",
        out_column="Soll",
        balance_column="Saldo",
        footer_prefixes="Summe",
        total_out_pattern=r"Summe Soll\s+([\d.,]+)",
        decimal_comma=True,
    )
    assert [(x.amount, x.direction, x.balance) for x in read(data, preset)] == [
        (D("1500.00"), "in", D("1500.00")),
        (D("-12.50"), "out", D("1487.50")),
    ]
    statement = read_statement(data.encode(), preset)
    assert find_totals(statement.table.texts, preset) == {"total_out_pattern": D("12.50")}


def test_the_fast_readers_leave_a_decimal_comma_layout_to_the_per_line_reader() -> None:
    """'1,250' is 1.25 under the option and 1,250 to the fast readers' patterns: they decline it (and
    the autouse check in conftest compares every line read above with the per-line reader's)."""
    preset = layout(**ING_LAYOUT)
    statement = read_statement(ING, preset)
    assert compile_layout(statement.table.header, preset) is None
    assert not columnar_layout.expressible(preset)
    plain = layout(**{**ING_LAYOUT, "decimal_comma": False, "date_format": ""})
    assert columnar_layout.expressible(plain)
    data = '日期,金额\n2024-01-02,"1,250"\n'
    assert [x.amount for x in read(data, layout(amount_column="金额", decimal_comma=True))] == [D("1.25")]
    assert [x.amount for x in read(data, layout(amount_column="金额"))] == [D("1250.00")]


# -- the layout's option: model, form, API, copy ---------------------------------------------------------
def test_the_option_defaults_off_and_is_labelled_for_the_clerk() -> None:
    field = StatementPreset._meta.get_field("decimal_comma")
    assert StatementPreset().decimal_comma is False
    assert field.verbose_name == "金额以逗号作小数点"
    assert "1.234,56" in str(field.help_text) and "1,234.56" in str(field.help_text)
    assert all(not fields.get("decimal_comma") for fields in BUILTIN.values())


API = "/api/v1/analytics/presets"


def _client(people: dict[str, Any], who: str = "judge") -> Client:
    c = Client()
    c.force_login(people[who])
    return c


def test_the_api_saves_changes_and_audits_the_option(people: dict[str, Any], presets: Any) -> None:
    c = _client(people)
    r = c.post(API, ING_LAYOUT, "application/json")
    assert r.status_code == 201, r.json()
    saved = StatementPreset.objects.get(pk=r.json()["id"])
    assert saved.decimal_comma is True and saved.court == people["judge"].court
    record = AuditRecord.objects.filter(action="analytics.preset.save", object_id=str(saved.pk)).get()
    assert record.after["decimal_comma"] is True
    r = c.put(f"{API}/{saved.pk}", {**ING_LAYOUT, "decimal_comma": False}, "application/json")
    assert r.status_code == 200, r.json()
    saved.refresh_from_db()
    assert saved.decimal_comma is False
    last = AuditRecord.objects.filter(action="analytics.preset.save", object_id=str(saved.pk)).last()
    assert last is not None and (last.before["decimal_comma"], last.after["decimal_comma"]) == (True, False)


@pytest.mark.parametrize("bad", ["vielleicht", [True], {"x": 1}, 2])
def test_a_bad_option_value_is_refused_naming_the_field(
    people: dict[str, Any], presets: Any, bad: Any
) -> None:
    r = _client(people).post(API, {**ING_LAYOUT, "decimal_comma": bad}, "application/json")
    assert r.status_code == 422 and r.json()["field"] == "decimal_comma", r.json()
    assert not StatementPreset.objects.filter(code="ing-de").exists()


def test_the_layout_page_offers_the_option_and_saves_it(people: dict[str, Any], presets: Any) -> None:
    c = _client(people)
    page = c.get(reverse("analytics:presets")).content.decode()
    assert 'name="decimal_comma"' in page and "金额以逗号作小数点" in page
    form = {k: v for k, v in ING_LAYOUT.items() if k != "decimal_comma"}
    form |= {"decimal_comma": "on", "file_format": "csv", "encoding": "utf-8", "header_row": "0"}
    form |= {"direction_in": "收入", "direction_out": "支出", "amount_sign": "in_positive"}
    r = c.post(reverse("analytics:presets"), form)
    assert r.status_code == 302, r.content.decode()[:2000]
    assert StatementPreset.objects.get(code="ing-de").decimal_comma is True


def test_a_copy_keeps_the_option(people: dict[str, Any], presets: Any) -> None:
    own = services.save_preset(people["judge"], ING_LAYOUT)
    copy = services.copy_preset(people["judge"], own)
    assert copy.decimal_comma is True and copy.pk != own.pk
    changed = services.copy_preset(people["judge"], own, changes={"decimal_comma": False}, name="无小数逗号")
    assert changed.decimal_comma is False


# -- detection suggests it -----------------------------------------------------------------------------
def test_a_layout_without_the_option_is_offered_it_and_ranks_after_one_with_it() -> None:
    without = layout(**{**ING_LAYOUT, "decimal_comma": False, "name": "无小数逗号", "code": "a"})
    with_it = layout(**{**ING_LAYOUT, "name": "有小数逗号", "code": "b"})
    first, second = detection.propose(ING, [without, with_it])[:2]
    assert (first.preset.code, first.score, first.suggestions) == ("b", 100, {})
    assert second.preset.code == "a" and second.usable
    assert second.suggestions == {"decimal_comma": True}
    assert any("以逗号作小数点" in r for r in second.reasons) and second.score == 80
    got = read(ING, preview.adapted(without, second.suggestions))
    assert [str(x.amount) for x in got] == [a for _, a, _ in ING_LINES]


def test_a_decimal_comma_layout_is_offered_the_point_for_a_file_written_with_one() -> None:
    data = "Datum;Betrag\n02.01.2024;1,234.56\n03.01.2024;-12.50\n"
    comma = layout(delimiter=";", date_column="Datum", date_format="DD.MM.YYYY", amount_column="Betrag")
    comma.decimal_comma = True
    top = detection.propose(data.encode(), [comma])[0]
    assert top.suggestions == {"decimal_comma": False}


def test_amounts_that_read_either_way_suggest_nothing() -> None:
    data = "Datum;Betrag\n02.01.2024;1.234\n03.01.2024;500\n"
    plain = layout(delimiter=";", date_column="Datum", date_format="DD.MM.YYYY", amount_column="Betrag")
    assert detection.propose(data.encode(), [plain])[0].suggestions == {}


def test_from_the_built_in_layouts_the_german_export_is_fitted_in_one_suggestion() -> None:
    """No layout names a German column: the header is found by what the columns are usually called
    (Buchung, Betrag, Saldo…), with the file's semicolons; the fit takes the decimal comma, the day-first
    dates and, from the two "Währung" columns (which cannot be read by name: the header has the name
    twice), the account's currency."""
    builtins = [StatementPreset(**fields, code=code) for code, fields in BUILTIN.items()]
    top = detection.propose(ING, builtins)[0]
    assert top.covered and top.adjustments.get("delimiter") == ";"
    s = top.suggestions
    assert (s["decimal_comma"], s["date_format"], s["default_currency"]) == (True, "DD.MM.YYYY", "EUR")
    assert (s["date_column"], s["amount_column"]) == ("Buchung", "Betrag")
    assert s.get("currency_column", "") == ""  # never "Währung": the header has it twice
    fitted = preview.adapted(top.preset, {**top.adjustments, **s})
    result = preview.build(ING, fitted, today=date(2025, 1, 6))
    assert (result.file_error, result.total, result.valid, result.errors) == ("", 7, 7, 0)
    assert [
        (r.occurred_at.date() if r.occurred_at else None, str(r.amount), r.currency) for r in result.rows
    ] == [(d, a, "EUR") for d, a, _ in ING_LINES]


def test_a_headerless_export_with_a_decimal_comma_is_described_with_it() -> None:
    data = "31.12.2024;REWE Markt;-12,50;2.345,67\n30.12.2024;Gehalt Dezember;3.210,00;2.358,17\n"
    data += "27.12.2024;Miete Januar;-1.234,56;-851,83\n"
    own = layout(date_column="日期", amount_column="金额")
    top = detection.propose(data.encode(), [own])[0]
    assert top.suggestions.get("headerless") and top.suggestions.get("decimal_comma") is True
    got = read(data, preview.adapted(own, {**top.adjustments, **top.suggestions}))
    assert [(str(x.amount), str(x.balance)) for x in got] == [
        ("-12.50", "2345.67"),
        ("3210.00", "2358.17"),
        ("-1234.56", "-851.83"),
    ]


# -- imported end to end ----------------------------------------------------------------------------------
@pytest.fixture
def euro(people: dict[str, Any], rates: Any) -> Any:
    return services.set_exchange_rate(
        people["director"], currency="EUR", valid_from=date(2020, 1, 1), rate="7.8", note="测试"
    )


def test_the_german_export_imports_with_exact_totals(
    debtor: Any, people: dict[str, Any], presets: Any, euro: Any
) -> None:
    preset = services.save_preset(people["judge"], ING_LAYOUT)
    job = load(debtor, people["judge"], preset, ING)
    assert (job.status, job.imported, job.errors) == ("done", 7, [])
    rows = list(Transaction.objects.filter(job=job).order_by("row_no"))
    assert {t.currency for t in rows} == {"EUR"} and {t.fx_rate for t in rows} == {D("7.800000")}
    original_in = sum((t.original_amount for t in rows if t.direction == "in"), D(0))
    original_out = sum((t.original_amount for t in rows if t.direction == "out"), D(0))
    assert (original_in, original_out) == (D("3360.00"), D("-3293.95"))
    yuan_in = sum((t.amount for t in rows if t.direction == "in"), D(0))
    yuan_out = sum((t.amount for t in rows if t.direction == "out"), D(0))
    assert (yuan_in, yuan_out) == (D("26208.00"), D("-25692.81"))  # each line rounded half-up to the fen
    assert [str(t.balance) for t in rows][:3] == ["18296.23", "18393.73", "-6644.27"]  # balances in yuan too


def test_the_page_fits_the_german_export_from_the_built_in_layouts_and_imports_it(
    debtor: Any, people: dict[str, Any], presets: Any, euro: Any, django_capture_on_commit_callbacks: Any
) -> None:
    html, applied, done = upload_apply_confirm(
        _client(people),
        debtor,
        ING,
        "Umsatzanzeige.csv",
        "ING 德国（本院）",
        django_capture_on_commit_callbacks,
    )
    assert "金额以逗号作小数点“是”" in html and 'id="apply-suggestions"' in html
    assert "共 7 行，可导入 7 行，有问题 0 行" in applied
    assert done.status_code == 302
    job = ImportJob.objects.get()
    assert (job.status, job.imported, job.preset.name, job.preset.decimal_comma) == (
        "done",
        7,
        "ING 德国（本院）",
        True,
    )
    stored = Transaction.objects.filter(job=job).order_by("row_no")
    assert [(timezone.localtime(t.occurred_at).date(), str(t.original_amount)) for t in stored] == [
        (d, a) for d, a, _ in ING_LINES
    ]


def test_the_column_wise_import_declines_a_decimal_comma_layout(
    debtor: Any, people: dict[str, Any], presets: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """However long the file, the import reads such a layout per line, never with the column-wise
    query's decimal-point patterns (which read '1,250' as 1,250): the same layout without the option
    is staged column-wise."""
    from zhixing.analytics.services import columnar_rows

    monkeypatch.setattr(columnar_layout, "MIN_ROWS", 0)
    data = '日期,金额\n2024-01-02,"1,250"\n2024-01-03,"-12,50"\n'.encode()
    fields = {**ING_LAYOUT, "delimiter": ",", "header_row": 1, "header_marker": "", "date_format": ""}
    fields |= {
        "date_column": "日期",
        "amount_column": "金额",
        "balance_column": "",
        "counterparty_column": "",
        "summary_column": "",
        "category_column": "",
        "default_currency": "CNY",
    }
    comma = services.save_preset(people["judge"], fields)
    plain = services.save_preset(
        people["judge"], {**fields, "decimal_comma": False, "code": "p", "name": "p"}
    )
    staged = columnar_rows.stage(read_statement(data, plain), plain, lambda line: line)
    assert staged is not None
    staged.close()
    assert columnar_rows.stage(read_statement(data, comma), comma, lambda line: line) is None
    job = load(debtor, people["judge"], comma, data)
    assert [t.amount for t in Transaction.objects.filter(job=job).order_by("row_no")] == [
        D("1.25"),
        D("-12.50"),
    ]
