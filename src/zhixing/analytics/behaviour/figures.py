"""The committed figures file (docs/analytics-quality-figures.json) and its Markdown tables (pure)."""

# ruff: noqa: E501  (tables of events and layouts: one record per line reads better than wrapped)

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FIGURES = Path(__file__).resolve().parents[4] / "docs" / "analytics-quality-figures.json"


def load(path: Path = FIGURES) -> dict[str, Any]:
    return dict(json.loads(path.read_text(encoding="utf-8")))


def dump(figures: dict[str, Any], path: Path) -> None:
    path.write_text(
        json.dumps(figures, ensure_ascii=False, indent=1, sort_keys=False) + "\n", encoding="utf-8"
    )


def _pct(r: dict[str, Any]) -> str:
    if r["value"] is None:
        return "— (0/0)"
    lo, hi = r["ci95"]
    return f"{r['value']:.2f} [{lo:.2f}–{hi:.2f}] ({r['k']}/{r['n']})"


def markdown(result: dict[str, Any]) -> str:
    """The per-rule table: counts, precision and recall with Wilson 95 % intervals."""
    lines = [
        "| rule | positives | TP | FP | FN | precision [95 % CI] (k/n) | recall [95 % CI] (k/n) |",
        "|---|---|---|---|---|---|---|",
    ]
    for rule, r in result["rules"].items():
        lines.append(
            f"| `{rule}` | {r['tp'] + r['fn']} | {r['tp']} | {r['fp']} | {r['fn']} | {_pct(r['precision'])} | {_pct(r['recall'])} |"
        )
    return "\n".join(lines)


def variants_markdown(result: dict[str, Any]) -> str:
    """Recall by planted variant, and false positives by the honest flow that caused them."""
    lines = [
        "| rule | recall by variant (found/positives) | false positives by honest flow |",
        "|---|---|---|",
    ]
    for rule, r in result["rules"].items():
        var = (
            ", ".join(f"{v} {x['found']}/{x['positives']}" for v, x in r["recall_by_variant"].items()) or "—"
        )
        fps = ", ".join(f"{k} {n}" for k, n in r["false_positives_by_honest_flow"].items()) or "—"
        lines.append(f"| `{rule}` | {var} | {fps} |")
    return "\n".join(lines)


def gate_markdown(figures_: dict[str, Any]) -> str:
    """The gate's floors per rule: what tests/analytics/test_quality_gate.py accepts."""
    from .stats import floor

    lines = ["| rule | precision floor | recall floor |", "|---|---|---|"]
    for rule, full in figures_["full"]["rules"].items():
        gate = figures_["gate"]["rules"][rule]
        cells = []
        for metric in ("precision", "recall"):
            lowest = floor(full, gate, metric)
            cells.append("—" if lowest is None else f"{lowest:.2f}")
        lines.append(f"| `{rule}` | {cells[0]} | {cells[1]} |")
    return "\n".join(lines)
