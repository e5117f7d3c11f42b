"""PDF line breaking: Chinese punctuation never starts a line, amounts and numbers are never split."""

from __future__ import annotations

from zhixing.documents import pdf


def _pdf() -> pdf.FPDF:
    font = pdf.find_font()
    assert font is not None, pdf.MISSING
    return pdf._new_pdf(font, "测试")


def test_wrap_keeps_numbers_whole_and_punctuation_off_the_line_start() -> None:
    p = _pdf()
    p.set_font("cjk", "", 13)
    text = ("责令被执行人给付人民币491141.92元（其中本金430782.39元），" * 6) + "\n第二行。"
    lines = pdf.wrap(p, text, 60)
    assert "".join(lines) == text.replace("\n", "")
    assert lines[-1] == "第二行。"
    for line in lines:
        assert line and line[0] not in pdf.NO_START, line
        assert line[-1] not in pdf.NO_END, line
    joined = "|".join(lines)
    assert "491141.92" in joined.replace("|", "") and all(
        n in line for n in ("491141.92",) for line in lines if "4911" in line
    )


def test_support_names_what_to_install_without_a_font(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("ZHIXING_CJK_FONT", str(tmp_path / "missing.ttc"))
    assert pdf.support() == pdf.MISSING
    monkeypatch.delenv("ZHIXING_CJK_FONT")
    assert pdf.support() == ""
