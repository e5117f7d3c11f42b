"""The consequence table, exhaustively: every event × measure has exactly one lawful row."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from zhixing.cases.models import ClosingMode
from zhixing.cases.term import Suspension
from zhixing.measures import rules
from zhixing.measures.rules import ACTIONS_FOR, DEFAULT_TABLE, Action, Decider, Event, Measure

RULES_MD = Path("/work/shared/domain/rules.md")
CELLS = [(e, m) for e in Event for m in Measure]


def test_every_event_and_measure_has_a_row() -> None:
    assert set(DEFAULT_TABLE) == set(Event)
    for event, row in DEFAULT_TABLE.items():
        assert set(row) == set(Measure), event


@pytest.mark.parametrize(("event", "measure"), CELLS)
def test_each_row_takes_an_action_its_measure_allows_and_cites_an_article(
    event: Event, measure: Measure
) -> None:
    rule = DEFAULT_TABLE[event][measure]
    assert rule.action in ACTIONS_FOR[measure]
    assert rule.article.strip()
    assert rule.source == "—" or re.fullmatch(r"rules\.md §\d+(\.\d+)?", rule.source)
    assert rule.scope in ("all", "excess", "sold", "claimed")
    assert (
        rule.scope == "all"
        or (
            rule.scope == "excess" and event == Event.PAYMENT and measure in (Measure.FREEZE, Measure.SEIZURE)
        )
        # A sale's consequences act only on the asset its lot sold (issue 18).
        or (
            rule.scope == "sold"
            and event in (Event.SALE_RULING_SERVED, Event.SALE_BALANCE_PAID, Event.SET_OFF_RULING_SERVED)
            and measure in (Measure.SEIZURE, Measure.TITLE, Measure.PROCEEDS)
        )
        # A third-party objection acts only on the claimed asset's lot in bidding (issue 19, R-0.15), its
        # outcome on that lot and, once final, on that asset's freeze or seizure.
        or (
            rule.scope == "claimed"
            and event
            in (
                Event.THIRD_PARTY_OBJECTION_FILED,
                Event.THIRD_PARTY_OBJECTION_CLEARED,
                Event.THIRD_PARTY_OBJECTION_UPHELD,
            )
            and measure == Measure.LOT
        )
        # An objection to the asset's reference price acts only on that asset's lot (issue 19, R-4.3.8).
        or (
            rule.scope == "claimed"
            and event
            in (Event.PRICE_OBJECTION_FILED, Event.PRICE_OBJECTION_CLEARED, Event.PRICE_OBJECTION_UPHELD)
            and measure == Measure.LOT
        )
        or (
            rule.scope == "claimed"
            and event == Event.THIRD_PARTY_OBJECTION_FINAL
            and measure in (Measure.FREEZE, Measure.SEIZURE, Measure.LOT)
        )
    )
    # Where the article is marked unconfirmed or open, the row is configurable.
    if "可配置" in rule.article or "未核实" in rule.article:
        assert rule.configurable, (event, measure)


@pytest.mark.skipif(not RULES_MD.exists(), reason="../shared (rules.md) is absent on this checkout")
def test_every_cited_section_exists_in_rules_md() -> None:
    text = RULES_MD.read_text(encoding="utf-8")
    for row in DEFAULT_TABLE.values():
        for rule in row.values():
            if rule.source != "—":
                section = rule.source.split("§")[1]
                assert re.search(rf"^##+ {re.escape(section)}[ .]", text, re.M), rule.source


def test_events_cover_every_closing_mode_and_suspension_ground() -> None:
    assert {rules.closing_event(m) for m in ClosingMode.values} <= set(Event)
    assert {rules.suspension_event(g) for g in Suspension.Ground.values} <= set(Event)


# A sale's title, proceeds and term clock are not measures on the debtor: closing leaves them alone.
@pytest.mark.parametrize("measure", [m for m in Measure if m not in rules.SALE_MEASURES])
def test_closed_as_performed_ends_every_measure_automatically(measure: Measure) -> None:
    rule = DEFAULT_TABLE[Event.CLOSED_PERFORMED][measure]
    assert rule.action != Action.KEEP and rule.decider == Decider.AUTO and not rule.configurable


@pytest.mark.parametrize(
    "event", [Event.CLOSED_TERMINATED, Event.CLOSED_REFUSED, Event.CLOSED_DISMISSED, Event.CLOSED_WITHDRAWN]
)
def test_a_case_ended_without_performance_frees_the_debtor(event: Event) -> None:
    row = DEFAULT_TABLE[event]
    for m in (Measure.CONSUMPTION, Measure.EXIT, Measure.LISTING, Measure.EXPOSURE, Measure.PENDING):
        assert row[m].action != Action.KEEP and row[m].decider == Decider.AUTO, m


def test_listing_removal_grounds_follow_article_10_and_9() -> None:
    assert "第10条第1款第7项" in DEFAULT_TABLE[Event.CLOSED_TERMINATED][Measure.LISTING].article
    assert "第10条第1款第6项" in DEFAULT_TABLE[Event.CLOSED_REFUSED][Measure.LISTING].article
    assert "第9条" in DEFAULT_TABLE[Event.CLOSED_DISMISSED][Measure.LISTING].article
    for e in (Event.SUSPENDED_RETRIAL, Event.SUSPENDED_BANKRUPTCY):
        assert DEFAULT_TABLE[e][Measure.LISTING].action == Action.REMOVE
    for e in (
        Event.SUSPENDED_APPLICANT_AGREES,
        Event.SUSPENDED_OBJECTION,
        Event.SUSPENDED_OTHER,
        Event.CLOSED_DORMANT,
    ):
        assert DEFAULT_TABLE[e][Measure.LISTING].action == Action.KEEP


def test_part_payment_touches_only_the_excess_of_controls() -> None:
    row = DEFAULT_TABLE[Event.PAYMENT]
    assert {m for m, r in row.items() if r.action != Action.KEEP} == {Measure.FREEZE, Measure.SEIZURE}
    assert row[Measure.FREEZE].scope == "excess" and row[Measure.FREEZE].decider == Decider.JUDGE


def test_resumption_keeps_everything() -> None:
    assert all(r.action == Action.KEEP for r in DEFAULT_TABLE[Event.RESUMED].values())


def test_exit_restriction_is_not_tied_to_the_listing() -> None:
    assert DEFAULT_TABLE[Event.LISTING_REMOVED][Measure.EXIT].action == Action.KEEP
    assert DEFAULT_TABLE[Event.LISTING_REMOVED][Measure.EXPOSURE].action == Action.REMOVE


# -- configuration --------------------------------------------------------------------------------------


def test_a_configurable_cell_can_be_made_automatic() -> None:
    t = rules.table({"payment.freeze": "release:auto"})
    assert t[Event.PAYMENT][Measure.FREEZE].decider == Decider.AUTO
    assert t[Event.PAYMENT][Measure.FREEZE].scope == "excess"
    assert DEFAULT_TABLE[Event.PAYMENT][Measure.FREEZE].decider == Decider.JUDGE  # defaults untouched


def test_a_configurable_cell_can_be_kept() -> None:
    assert (
        rules.table({"closed_dormant.consumption": "keep"})[Event.CLOSED_DORMANT][Measure.CONSUMPTION].action
        == Action.KEEP
    )


@pytest.mark.parametrize(
    ("cell", "value", "message"),
    [
        ("closed_performed.listing", "keep", "不可配置"),
        ("payment.freeze", "lift:auto", "不能采取"),
        ("payment.freeze", "release:sometimes", "无法识别的后果配置"),
        ("payment.nothing", "keep", "无法识别的事件或措施"),
        ("someday.freeze", "keep", "无法识别的事件或措施"),
    ],
)
def test_bad_configuration_is_refused_naming_the_cell(cell: str, value: str, message: str) -> None:
    with pytest.raises(rules.TableError, match=message):
        rules.table({cell: value})


@pytest.mark.parametrize(
    ("outstanding", "event"),
    [("0", Event.PAID_IN_FULL), ("-0.01", Event.PAID_IN_FULL), ("0.01", Event.PAYMENT)],
)
def test_payment_event(outstanding: str, event: Event) -> None:
    from decimal import Decimal

    assert rules.payment_event(Decimal(outstanding)) == event


@pytest.mark.parametrize(("event", "measure"), CELLS)
def test_every_row_labels_itself_in_chinese(event: Event, measure: Measure) -> None:
    label = DEFAULT_TABLE[event][measure].label()
    assert label and re.search(r"[\u4e00-\u9fff]", label)
