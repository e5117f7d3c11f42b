"""Quality metrics (执行质效) for a court and the courts below it, per court, team or handler.

Reads case facts through `zhixing.cases.queries_quality`, the 终本 compliance and petition counts through
the source registry (`sources`), and computes with the pure `metric_rules`. The configuration of the
UNCONFIRMED definitions is ``settings.ZHIXING_COMMAND["metrics"]`` (keys of `MetricConfig`).
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings

from zhixing.cases import queries_quality
from zhixing.courts.models import Court, Staff, Team

from . import metric_rules as mr
from . import sources

GROUPS = {"court": "法院", "team": "执行团队", "handler": "承办人"}


def config() -> mr.MetricConfig:
    """The metric definitions in force: MetricConfig's defaults overridden by the settings."""
    given = dict(getattr(settings, "ZHIXING_COMMAND", {}).get("metrics", {}))
    known = {f.name for f in fields(mr.MetricConfig)}
    unknown = sorted(set(given) - known)
    if unknown:
        raise ValueError(f"ZHIXING_COMMAND['metrics'] has unknown keys {unknown}; known: {sorted(known)}")
    for key in ("excluded_types", "actual_modes", "property_modes"):
        if key in given:
            given[key] = tuple(given[key])
    for key in ("target_90", "target_80"):
        if key in given:
            given[key] = Decimal(str(given[key]))
    return mr.MetricConfig(**given)


def _facts(court_ids: list[int], start: date, end: date) -> list[mr.CaseFacts]:
    return [
        mr.CaseFacts(
            id=r["id"],
            court_id=r["court_id"],
            type_code=r["case_type__code"],
            filed_on=r["filed_on"],
            closed_on=r["closed_on"],
            closing_mode=r["closing_mode"] or "",
            claim=r["principal"] + r["adjudged_interest"] + r["litigation_costs"],
            paid=mr.in_place(r["closing_mode"] or "", r["paid_amount"], r["closing_details"]),
            term_due=r["term_due"],
            team_id=r["team_id"],
            handler_id=r["handler_id"],
        )
        for r in queries_quality.case_facts(court_ids, start, end)
    ]


def _source_counts(name: str, court_ids: list[int], start: date, end: date) -> dict[str, int] | None:
    reader = sources.get(name)
    return None if reader is None else dict(reader(court_ids, start, end))


@dataclass
class Row:
    key: Hashable
    name: str
    results: list[mr.Result]
    is_total: bool = False


@dataclass
class Report:
    court: Court
    start: date
    end: date
    group: str
    rows: list[Row]
    total: Row
    standard: mr.Standard | None
    cfg: mr.MetricConfig
    definitions: list[mr.Result] = field(default_factory=list)


def report(court: Court, start: date, end: date, group: str = "court") -> Report:
    """Every metric for `court` (with the courts below it), one row per court, team or handler.

    Source-fed metrics (终本合格率, 信访办结率) are counted per court; a team or handler row shows them
    as 未接入 since the sources answer by court only.
    """
    if group not in GROUPS:
        raise ValueError(f"group must be one of {sorted(GROUPS)}")
    if start > end:
        raise ValueError("start must not be after end")
    cfg = config()
    courts = list(Court.objects.filter(path__startswith=court.path).order_by("path"))
    court_ids = [c.pk for c in courts]
    facts = _facts(court_ids, start, end)
    total_results = mr.court_metrics(
        facts,
        start,
        end,
        cfg,
        _source_counts("dormant_compliance", court_ids, start, end),
        _source_counts("petition_counts", court_ids, start, end),
        _source_counts("objection_counts", court_ids, start, end),
    )
    total = Row("total", f"{court.name}（合计）" if len(courts) > 1 else court.name, total_results, True)
    per_court: dict[Hashable, list[mr.Result]] = {}
    rows: list[Row] = []
    by_court = mr.group_by(facts, lambda f: f.court_id)
    if group == "court" or len(courts) > 1:
        for c in courts:
            per_court[c.pk] = mr.court_metrics(
                by_court.get(c.pk, []),
                start,
                end,
                cfg,
                _source_counts("dormant_compliance", [c.pk], start, end),
                _source_counts("petition_counts", [c.pk], start, end),
                _source_counts("objection_counts", [c.pk], start, end),
            )
    if group == "court":
        rows = [Row(c.pk, c.name, per_court[c.pk]) for c in courts]
    else:
        attr = "team_id" if group == "team" else "handler_id"
        groups = mr.group_by(facts, lambda f: getattr(f, attr))
        names: dict[Hashable, str]
        if group == "team":
            names = dict(Team.objects.filter(pk__in=[k for k in groups if k]).values_list("pk", "name"))
        else:
            names = dict(Staff.objects.filter(pk__in=[k for k in groups if k]).values_list("pk", "full_name"))
        keys = sorted(groups, key=lambda k: (k is None, names.get(k, "")))
        rows = [
            Row(
                k,
                names.get(k, "未分配") if k else ("未分团队" if group == "team" else "未分案"),
                mr.court_metrics(groups[k], start, end, cfg),
            )
            for k in keys
        ]
    standard = mr.courts_reaching_standard(per_court, cfg) if len(courts) > 1 else None
    return Report(court, start, end, group, rows, total, standard, cfg, definitions=total_results)


def as_json(rep: Report) -> dict[str, Any]:
    def res(r: mr.Result) -> dict[str, Any]:
        return {
            "code": r.code,
            "label": r.label,
            "numerator": None if r.numerator is None else str(r.numerator),
            "denominator": None if r.denominator is None else str(r.denominator),
            "value": None if r.value is None else str(r.value),
            "unit": r.unit,
            "target": None if r.target is None else str(r.target),
            "met": r.met,
            "state": r.state,
            "unconfirmed": r.unconfirmed,
            "definition": r.definition,
        }

    return {
        "court": rep.court.code,
        "start": rep.start.isoformat(),
        "end": rep.end.isoformat(),
        "group": rep.group,
        "total": [res(r) for r in rep.total.results],
        "rows": [
            {"key": str(row.key), "name": row.name, "metrics": [res(r) for r in row.results]}
            for row in rep.rows
        ],
        "courts_standard": None if rep.standard is None else res(rep.standard.result),
    }
