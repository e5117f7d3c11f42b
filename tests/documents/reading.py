"""Reading a generated document back: the Word file's text, and the PDF drawn to an image."""

from __future__ import annotations

import io
import re
from typing import Any

import pypdfium2 as pdfium
from docx import Document as WordFile

TAG = re.compile(r"\{[{%]|[}%]\}")
IDENTIFIER = re.compile(r"^[0-9A-Za-z\-]+$")


def word_text(data: bytes) -> str:
    doc = WordFile(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        parts += [c.text for row in t.rows for c in row.cells]
    return "\n".join(parts)


def latin_left(text: str, context: dict[str, Any]) -> list[str]:
    """Latin words in the text once identifiers from the context (ID numbers, credit codes, the hex key of
    an inquiry request's notice number: tokens with a digit) are removed."""
    tokens = {
        token
        for value in context.values()
        for token in re.split(r"[^0-9A-Za-z\-]+", str(value))
        if token and IDENTIFIER.match(token) and re.search(r"\d", token)
    }
    for token in sorted(tokens, key=len, reverse=True):  # longest first: "2026" must not split a hex key
        text = text.replace(token, "")
    return re.findall(r"[A-Za-z]+", text)


def pdf_pages(data: bytes) -> list[Any]:
    """Each page drawn at 1x as a PIL image, with the page's extracted text."""
    doc = pdfium.PdfDocument(data)
    out = []
    for page in doc:
        img = page.render(scale=1).to_pil().convert("L")
        out.append((img, page.get_textpage().get_text_range()))
    return out


def ink(img: Any) -> int:
    """How many pixels are dark (text drawn, not boxes of a missing font: those are few and hollow)."""
    return sum(img.histogram()[:128])
