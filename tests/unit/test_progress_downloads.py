"""Pure helpers of ADR 0012: progress fractions, the freeze amount a form offers, download file names."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import unquote

import pytest

from zhixing.core import downloads, progress
from zhixing.inquiry import rules

D = Decimal


@pytest.mark.parametrize(
    ("done", "total", "finished", "fraction", "percent", "complete", "text"),
    [
        (0, 32, None, 0.0, 0, False, "已反馈 0/32"),
        (12, 32, None, 0.375, 37, False, "已反馈 12/32"),
        (31, 32, None, 31 / 32, 96, False, "已反馈 31/32"),
        (32, 32, None, 1.0, 100, True, "已反馈 32/32"),
        (40, 32, None, 1.0, 100, True, "已反馈 32/32"),  # never more than all
        (-1, 32, None, 0.0, 0, False, "已反馈 0/32"),
        (0, 0, None, 1.0, 100, True, "已反馈 0/0"),  # nothing to do is done, no division by zero
        (5, 32, True, 5 / 32, 15, True, "已反馈 5/32"),  # ended early (rejected, failed)
        (32, 32, False, 1.0, 100, False, "已反馈 32/32"),  # counted but still settling
    ],
)
def test_progress(
    done: int, total: int, finished: bool | None, fraction: float, percent: int, complete: bool, text: str
) -> None:
    p = progress.of(done, total, "已反馈", finished=finished)
    assert (p.fraction, p.percent, p.complete, p.running, p.text) == (
        fraction,
        percent,
        complete,
        not complete,
        text,
    )


def test_percent_rounds_down_so_999_is_not_100() -> None:
    assert progress.of(999, 1000).percent == 99


@pytest.mark.parametrize(
    ("room", "balance", "frozen", "expected"),
    [
        (D("12000.00"), D("51995.59"), D("0"), D("12000.00")),  # the claim, the account holds more
        (D("80000.00"), D("51995.59"), D("0"), D("51995.59")),  # capped by the balance
        (D("80000.00"), D("51995.59"), D("30000.00"), D("21995.59")),  # less what is already frozen
        (D("80000.00"), D("30000.00"), D("30000.00"), D("0.00")),  # the account is fully frozen
        (D("0"), D("51995.59"), D("0"), D("0.00")),  # the claim is covered: nothing to offer
        (D("-5"), D("100"), D("0"), D("0.00")),  # never negative
        (D("12000.005"), None, D("0"), D("12000.01")),  # unknown balance caps nothing; rounded to fen
        (D("500"), D("100"), D("200"), D("0.00")),  # frozen above the reported balance
    ],
)
def test_freeze_default(room: Decimal, balance: Decimal | None, frozen: Decimal, expected: Decimal) -> None:
    got = rules.freeze_default(room, balance, frozen)
    assert got == expected and got.as_tuple().exponent == -2


def test_content_disposition_for_a_chinese_report_name() -> None:
    name = downloads.case_file_name("（2026）粤0106执123号", "财产分析报告", "docx")
    assert name == "（2026）粤0106执123号-财产分析报告.docx"
    header = downloads.content_disposition(name)
    assert header == (
        'attachment; filename="2026_0106_123.docx"; '
        "filename*=UTF-8''%EF%BC%882026%EF%BC%89%E7%B2%A40106%E6%89%A7123%E5%8F%B7-"
        "%E8%B4%A2%E4%BA%A7%E5%88%86%E6%9E%90%E6%8A%A5%E5%91%8A.docx"
    )
    assert unquote(header.split("UTF-8''")[1]) == name
    assert header.isascii()


@pytest.mark.parametrize(
    ("name", "safe", "fallback"),
    [
        ("查控日志.xlsx", "查控日志.xlsx", "download.xlsx"),
        ('a/b\\c:"d".pdf', "a_b_c_d_.pdf", "a_b_c_d.pdf"),
        ("..", "download", "download"),
        ("报告\r\nX-Injected: 1.docx", "报告_X-Injected_ 1.docx", "X-Injected_1.docx"),
        ("evidence.csv", "evidence.csv", "evidence.csv"),
    ],
)
def test_names_are_safe_for_file_systems_and_headers(name: str, safe: str, fallback: str) -> None:
    assert downloads.safe_name(name) == safe
    assert downloads.ascii_fallback(downloads.safe_name(name)) == fallback
    header = downloads.content_disposition(name, inline=True)
    assert header.startswith("inline; ") and "\n" not in header and "\r" not in header


def test_long_names_keep_their_extension() -> None:
    name = downloads.safe_name("甲" * 300 + ".docx")
    assert len(name) == downloads.MAX_NAME and name.endswith(".docx")


def test_file_response_names_the_file() -> None:
    resp = downloads.file_response(b"x", "text/csv", "证据材料.csv")
    assert resp["Content-Disposition"].startswith('attachment; filename="download.csv"; filename*=UTF-8')
    assert resp.content == b"x"
