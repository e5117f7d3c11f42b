"""Layout classes stay on the elements they were written for.

`.grid` in app.css is a CSS grid for cards (`display:grid`); on a `<table>` it laid the public 失信 query
result out as 1,449 px of overlapping text and stacked the restriction table one character per line
(issue 13). Tables take `listing` (or no class) instead.
"""

from __future__ import annotations

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "zhixing"
LAYOUT_ONLY = {"grid", "grid2", "grid3"}
TABLE = re.compile(r"<table\b[^>]*\bclass=\"([^\"]*)\"", re.IGNORECASE)


def test_no_table_carries_a_css_grid_layout_class() -> None:
    offenders = []
    for path in sorted(SRC.rglob("*.html")):
        for match in TABLE.finditer(path.read_text(encoding="utf-8")):
            classes = set(match.group(1).split())
            if classes & LAYOUT_ONLY:
                offenders.append(f"{path.relative_to(SRC)}: {match.group(0)}")
    assert offenders == []


def test_the_scan_sees_the_templates() -> None:
    tables = sum(len(TABLE.findall(p.read_text(encoding="utf-8"))) for p in SRC.rglob("*.html"))
    assert tables >= 10
