"""PDF of a generated Word document, drawn with the Noto CJK font (fpdf2; no browser, no office suite).

The PDF is made from the stored .docx itself (read back with python-docx), so Word and PDF say the same
words: headings centred in bold, paragraphs with their alignment and line breaks, tables as ruled grids.
That is all the platform's templates use (ADR 0021). The font is the one `scripts/run-deps.sh` installs
(Debian's fonts-noto-cjk); `ZHIXING_CJK_FONT` names another .ttc/.otf/.ttf. Without one, `PdfUnavailable`
says what to install instead of printing boxes.
"""

from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass
from pathlib import Path

from docx import Document as WordFile
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.table import Table
from docx.text.paragraph import Paragraph
from fpdf import FPDF
from fpdf.fonts import FontFace

NOTO = Path("/usr/share/fonts/opentype/noto")
# (regular, bold, index of Simplified Chinese in the collection: JP, KR, SC, TC, HK)
CANDIDATES = (
    (NOTO / "NotoSerifCJK-Regular.ttc", NOTO / "NotoSerifCJK-Bold.ttc", 2),
    (NOTO / "NotoSansCJK-Regular.ttc", NOTO / "NotoSansCJK-Bold.ttc", 2),
)
MISSING = (
    "服务器未安装中文字体，无法生成 PDF（Debian/Ubuntu：apt-get install fonts-noto-cjk，"
    "或重新执行 make run 自动安装）；Word 文件不受影响。"
)


class PdfUnavailable(RuntimeError):
    """No CJK font on this server; the message tells the administrator what to install."""


@dataclass(frozen=True)
class Font:
    regular: Path
    bold: Path
    index: int


def find_font() -> Font | None:
    """The CJK font the PDFs use: ZHIXING_CJK_FONT, else Noto Serif CJK, else Noto Sans CJK."""
    named = os.environ.get("ZHIXING_CJK_FONT", "")
    if named:
        path = Path(named)
        index = 2 if path.suffix.lower() == ".ttc" else 0
        return Font(path, path, index) if path.is_file() else None
    for regular, bold, index in CANDIDATES:
        if regular.is_file():
            return Font(regular, bold if bold.is_file() else regular, index)
    return None


def support() -> str:
    """'' when PDFs can be made, else the reason (shown where a PDF button would be)."""
    return "" if find_font() is not None else MISSING


class _Pdf(FPDF):
    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("cjk", size=9)
        self.cell(0, 10, f"第 {self.page_no()} 页 共 {{nb}} 页", align="C")


def _new_pdf(font: Font, title: str) -> _Pdf:
    pdf = _Pdf(format="A4")
    pdf.set_margins(26, 30, 26)  # 党政机关公文格式 GB/T 9704: about 28 mm left, 37 mm top
    pdf.set_auto_page_break(True, margin=25)
    # One face only: parsing and subsetting a CJK collection is most of a PDF's cost, so headings are
    # set larger rather than in the bold face.
    pdf.add_font("cjk", "", str(font.regular), collection_font_number=font.index)
    pdf.set_title(title)
    pdf.set_creator("智执 Zhixing")
    pdf.add_page()
    return pdf


_ALIGN = {WD_ALIGN_PARAGRAPH.CENTER: "C", WD_ALIGN_PARAGRAPH.RIGHT: "R"}
# Chinese line breaking (GB/T 15834 usage): these never begin a line, those never end one.
NO_START = set("，。、；：？！）》」』】〕’”…—％,.;:?!)%")
NO_END = set("（《「『【〔‘“(")
_TOKEN = re.compile(r"[0-9A-Za-z.,%\-]+|.", re.S)


def wrap(pdf: FPDF, text: str, width: float) -> list[str]:
    """Lines of `text` within `width`: numbers and Latin words kept whole, closing punctuation hung at
    the end of the line rather than starting the next, opening brackets carried to the next line."""
    lines: list[str] = []
    for hard in text.split("\n"):
        line = ""
        for token in _TOKEN.findall(hard):
            if line and pdf.get_string_width(line + token) > width and token[0] not in NO_START:
                carry = ""
                while line and line[-1] in NO_END:
                    carry, line = line[-1] + carry, line[:-1]
                lines.append(line)
                line = carry
            line += token
        lines.append(line)
    return lines


def _paragraph(pdf: _Pdf, p: Paragraph) -> None:
    text = p.text.strip("\n")
    style = (p.style.name if p.style is not None else "") or ""
    if style.startswith(("Title", "Heading")):
        size = 20 if style in ("Title", "Heading 1") else 16
        pdf.set_font("cjk", "", size)
        pdf.multi_cell(0, size * 0.55, text, align="C")
        pdf.ln(3)
        return
    pdf.set_font("cjk", "", 13)
    if not text:
        pdf.ln(4)
        return
    align = _ALIGN.get(p.alignment, "L") if p.alignment is not None else "L"
    if align == "L" and p.paragraph_format.first_line_indent is not None:
        text = "\u3000\u3000" + text  # two characters' first-line indent, as the Word file sets it
    for line in wrap(pdf, text, pdf.w - pdf.l_margin - pdf.r_margin):
        pdf.cell(0, 8, line, align=align, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1.5)


def _table(pdf: _Pdf, t: Table) -> None:
    pdf.set_font("cjk", "", 11)
    # The header row shaded rather than bold: one face only (see `_new_pdf`).
    head = FontFace(emphasis=None, fill_color=(235, 235, 235))
    with pdf.table(line_height=7, text_align="LEFT", headings_style=head) as grid:
        for row in t.rows:
            cells = grid.row()
            for cell in row.cells:
                cells.cell(cell.text)
    pdf.ln(2)


def docx_to_pdf(data: bytes, title: str = "") -> bytes:
    """Draw the Word file's headings, paragraphs and tables, in order, onto A4 pages."""
    font = find_font()
    if font is None:
        raise PdfUnavailable(MISSING)
    word = WordFile(io.BytesIO(data))
    pdf = _new_pdf(font, title)
    for block in word.iter_inner_content():
        if isinstance(block, Paragraph):
            _paragraph(pdf, block)
        else:
            _table(pdf, block)
    return bytes(pdf.output())
