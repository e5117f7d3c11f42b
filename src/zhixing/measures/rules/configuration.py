"""The effective table: the defaults with a court's overrides of configurable cells applied."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from .case_events import DEFAULT_TABLE
from .vocabulary import (
    ACTION_LABELS,
    ACTIONS_FOR,
    EVENT_LABELS,
    MEASURE_LABELS,
    Action,
    Decider,
    Event,
    Measure,
    Rule,
)


class TableError(ValueError):
    """A configuration override the table refuses (Chinese message naming the cell)."""


def parse_override(value: str) -> tuple[Action, Decider]:
    """ "release:judge" → (Action.RELEASE, Decider.JUDGE); "keep" → (Action.KEEP, Decider.AUTO)."""
    action, _, decider = value.partition(":")
    try:
        return Action(action), Decider(decider or "auto")
    except ValueError as exc:
        raise TableError(f"无法识别的后果配置：{value}（应为 动作:决定方，如 release:judge）") from exc


def table(overrides: Mapping[str, str] | None = None) -> dict[Event, dict[Measure, Rule]]:
    """The effective table: the defaults with a court's overrides of configurable cells applied.

    `overrides` maps "event.measure" to "action:decider" (e.g. {"payment.freeze": "release:auto"}).
    Overriding a cell an article settles, or giving a measure an action it cannot take, is refused.
    """
    out = {e: dict(row) for e, row in DEFAULT_TABLE.items()}
    for cell, value in (overrides or {}).items():
        ev, _, me = cell.partition(".")
        try:
            event, measure = Event(ev), Measure(me)
        except ValueError as exc:
            raise TableError(f"无法识别的事件或措施：{cell}") from exc
        rule = out[event][measure]
        if not rule.configurable:
            raise TableError(
                f"{EVENT_LABELS[event]}×{MEASURE_LABELS[measure]}由法律规定（{rule.article}），不可配置"
            )
        action, decider = parse_override(value)
        if action not in ACTIONS_FOR[measure]:
            raise TableError(f"{MEASURE_LABELS[measure]}不能采取“{ACTION_LABELS[action]}”")
        out[event][measure] = replace(rule, action=action, decider=decider)
    return out
