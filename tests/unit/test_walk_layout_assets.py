"""Walk findings 9–10 (layout, checked by eye at 390 px and 1366 px): the rules that keep the case page's
amounts on a phone screen and the situation wall's rotated court names inside the chart."""

from __future__ import annotations

from pathlib import Path

STATIC = Path(__file__).resolve().parents[2] / "src" / "zhixing" / "core" / "static" / "zhixing"


def test_claim_tables_wrap_labels_on_a_phone() -> None:
    css = (STATIC / "app.css").read_text(encoding="utf-8")
    phone = css[css.index("@media (max-width: 760px)") :]
    assert "table.claim { display:table; width:100%; overflow:visible; }" in phone
    assert "table.claim th { white-space:normal; }" in phone


def test_rotated_chart_labels_get_room() -> None:
    js = (STATIC / "charts.js").read_text(encoding="utf-8")
    assert "left: rotated ? 64 : 16" in js
    assert '{ interval: 0, rotate: 40, width: 112, overflow: "truncate" }' in js
