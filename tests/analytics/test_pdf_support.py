"""Issue 13 #10: without Chromium or the CJK fonts the PDF button is disabled and the page says what is
missing; the PDF address answers with the same words instead of a server error."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from zhixing.analytics import services
from zhixing.core import browser

from .conftest import FIXTURES, load


@pytest.fixture(autouse=True)
def _fresh():
    browser.invalidate()
    yield
    browser.invalidate()


@pytest.fixture
def prof(debtor: Any, people: dict[str, Any], presets: dict[str, Any]) -> Any:
    load(debtor, people["judge"], presets["alipay"], (FIXTURES / "alipay_sample.csv").read_bytes())
    return services.compute_profile(people["judge"], debtor, start=date(2024, 1, 1), end=date(2024, 3, 31))


def _client(people: dict[str, Any]) -> Client:
    c = Client()
    c.force_login(people["judge"])
    return c


def test_check_names_each_missing_part(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    monkeypatch.setenv("ZHIXING_CHROMIUM", str(tmp_path / "no-chromium"))
    monkeypatch.setattr(browser, "CJK_FONT_PATTERNS", (str(tmp_path / "none*"),))
    monkeypatch.setattr(browser, "has_cjk_font", lambda patterns=None: False)
    result = browser.check()
    assert result.missing == ["Chromium 浏览器", "中文字体（Noto CJK）"]
    assert not result.ok
    assert result.message.startswith("本机暂不能生成 PDF：缺少Chromium 浏览器、中文字体（Noto CJK）。")


def test_check_finds_a_configured_chromium_and_a_font(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    exe = tmp_path / "chromium"
    exe.write_text("#!/bin/sh\n")
    exe.chmod(0o755)
    (tmp_path / "NotoSansCJK-Regular.ttc").write_text("")
    monkeypatch.setenv("ZHIXING_CHROMIUM", str(exe))
    assert browser.chromium_path() == str(exe)
    assert browser.has_cjk_font((str(tmp_path / "Noto*CJK*"),)) is True
    assert browser.has_cjk_font((str(tmp_path / "nothing*"),)) is False


def test_profile_page_disables_pdf_and_says_what_is_missing(
    prof: Any, people: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(browser, "check", lambda: browser.BrowserSupport(["中文字体（Noto CJK）"]))
    html = _client(people).get(reverse("analytics:profile", args=[prof.pk])).content.decode()
    assert (
        '<button type="button" class="small secondary" id="export-pdf" disabled '
        'aria-describedby="pdf-missing">导出 PDF</button>'
    ) in html
    assert reverse("analytics:report_pdf", args=[prof.pk]) not in html
    assert 'id="pdf-missing"' in html and "本机暂不能生成 PDF：缺少中文字体（Noto CJK）。" in html


def test_pdf_address_answers_with_the_message(
    prof: Any, people: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(browser, "check", lambda: browser.BrowserSupport(["Chromium 浏览器"]))
    resp = _client(people).get(reverse("analytics:report_pdf", args=[prof.pk]))
    assert resp.status_code == 503
    assert "本机暂不能生成 PDF：缺少Chromium 浏览器。" in resp.content.decode()


def test_profile_page_offers_the_pdf_when_supported(
    prof: Any, people: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(browser, "check", lambda: browser.BrowserSupport([]))
    html = _client(people).get(reverse("analytics:profile", args=[prof.pk])).content.decode()
    assert (
        f'<a href="{reverse("analytics:report_pdf", args=[prof.pk])}" id="export-pdf" '
        'data-download="正在生成 PDF 报告…">导出 PDF</a>' in html
    )
    assert 'id="pdf-missing"' not in html


def test_this_machine_has_what_the_pdf_needs() -> None:
    """The test machines install chromium and fonts-noto-cjk (scripts/system-deps.sh)."""
    assert browser.check().ok, browser.check().message
