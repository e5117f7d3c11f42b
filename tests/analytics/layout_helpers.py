"""Building layouts in tests: an unsaved StatementPreset with the model's defaults plus the given fields."""

from __future__ import annotations

from typing import Any

from zhixing.analytics.models import StatementPreset
from zhixing.analytics.parsing import Line, iter_lines


def layout(**fields: Any) -> StatementPreset:
    base: dict[str, Any] = {"name": "测试版式", "code": "t", "header_row": 1, "date_column": "日期"}
    return StatementPreset(**{**base, **fields})


def read(data: bytes | str, preset: StatementPreset, **kw: Any) -> list[Line]:
    """Every line of the file, failing the test with the row and reason of the first bad one."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    out = []
    for row_no, _, line, error in iter_lines(raw, preset, **kw):
        assert line is not None, f"row {row_no}: {error}"
        out.append(line)
    return out


def errors(data: str, preset: StatementPreset, **kw: Any) -> list[tuple[int, str]]:
    return [(r, e) for r, _, line, e in iter_lines(data.encode("utf-8"), preset, **kw) if line is None]
