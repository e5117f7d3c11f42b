"""The imported rows of a debtor, filtered (the rows page, its API, and the links from indicators).

Filters apply to the values the indicators use: a corrected line is found by its corrected direction,
amount, counterparty and category. `RowFilter.from_params` reads the query string the page, the API and
the indicator links share (`params()` writes it back).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.db.models import BooleanField, DecimalField, Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Abs, Coalesce
from django.utils import timezone

from zhixing.core.errors import ServiceError

from .models import Profile, Transaction, TransactionCorrection
from .params import amount_param, day_param, object_id_param

PAGE_SIZE = 50


@dataclass
class RowFilter:
    start: date | None = None
    end: date | None = None
    direction: str = ""
    min_amount: Decimal | None = None
    max_amount: Decimal | None = None
    counterparty: str = ""
    category: str = ""
    kind: str = ""
    job: int | None = None
    counted: bool = False  # only lines the indicators count (no duplicates, ignored or excluded lines)
    foreign: bool = False
    corrected: bool = False
    profile: int | None = None  # with `rule`: the evidence rows of that finding of that profile
    rule: str = ""
    ids: list[int] = field(default_factory=list)

    @classmethod
    def from_params(cls, params: Any) -> RowFilter:
        """From a query string (QueryDict or dict); a bad value is a ServiceError naming the field.

        Ids, amounts and days are read strictly (`params`), so nothing the database or the local→UTC
        conversion of a day cannot take reaches the query.
        """

        def get(name: str) -> str:
            return str(params.get(name) or "").strip()

        direction, kind = get("direction"), get("kind")
        if direction and direction not in Transaction.Direction.values:
            raise ServiceError(f"收支取值无效：{direction}", field="direction")
        if kind and kind not in Transaction.Kind.values:
            raise ServiceError(f"类型取值无效：{kind}", field="kind")
        return cls(
            start=day_param(get("start"), "start", "起始日"),
            end=day_param(get("end"), "end", "终止日"),
            direction=direction,
            min_amount=amount_param(get("min_amount"), "min_amount", "最低金额"),
            max_amount=amount_param(get("max_amount"), "max_amount", "最高金额"),
            counterparty=get("counterparty")[:100],
            category=get("category")[:64],
            kind=kind,
            job=object_id_param(get("job"), "job", "导入编号"),
            counted=get("counted") == "1",
            foreign=get("foreign") == "1",
            corrected=get("corrected") == "1",
            profile=object_id_param(get("profile"), "profile", "画像编号"),
            rule=get("rule")[:40],
        )

    def params(self) -> dict[str, str]:
        """The non-empty filters as query-string values (for links and pagination)."""
        out: dict[str, str] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "ids" or value in (None, "", False):
                continue
            out[f.name] = "1" if value is True else str(value)
        return out


def _local_bound(day: date, end: bool) -> datetime:
    """The first (or last) instant of the local `day`; `from_params` keeps the day where this fits."""
    return timezone.make_aware(datetime.combine(day, time.max if end else time.min))


CATEGORY_RULE = "cat:"  # `rule` = "cat:<category>": the lines behind a spending category of the profile


def evidence_ids(party_id: int, profile_id: int, rule: str) -> list[int]:
    """The transaction ids behind one finding (or, for "cat:<category>", one spending category) of one
    profile of this debtor (empty if none)."""
    prof = Profile.objects.filter(pk=profile_id, party_id=party_id).only("findings", "indicators").first()
    if prof is None:
        return []
    if rule.startswith(CATEGORY_RULE):
        cat = (prof.indicators or {}).get("categories", {}).get(rule[len(CATEGORY_RULE) :])
        return [int(i) for i in cat.get("ids", [])] if cat else []
    found = next((f for f in prof.findings if f.get("rule") == rule), None)
    return [int(i) for i in found.get("evidence", [])] if found else []


def rows(party_id: int, flt: RowFilter) -> QuerySet[Transaction]:
    """The debtor's lines matching `flt`, with the effective values annotated (`eff_*`)."""
    qs = (
        Transaction.objects.filter(party_id=party_id)
        .select_related("correction", "job")
        .annotate(
            eff_direction=Coalesce("correction__direction", "direction"),
            eff_amount=Coalesce(
                "correction__amount", "amount", output_field=DecimalField(max_digits=18, decimal_places=2)
            ),
            eff_counterparty=Coalesce("correction__counterparty", "counterparty"),
            eff_category=Coalesce("correction__category", "category"),
            eff_excluded=Coalesce("correction__excluded", Value(False), output_field=BooleanField()),
        )
    )
    if flt.start:
        qs = qs.filter(occurred_at__gte=_local_bound(flt.start, end=False))
    if flt.end:
        qs = qs.filter(occurred_at__lte=_local_bound(flt.end, end=True))
    if flt.direction:
        qs = qs.filter(eff_direction=flt.direction)
    if flt.min_amount is not None or flt.max_amount is not None:
        qs = qs.annotate(eff_abs=Abs("eff_amount"))
        if flt.min_amount is not None:
            qs = qs.filter(eff_abs__gte=flt.min_amount)
        if flt.max_amount is not None:
            qs = qs.filter(eff_abs__lte=flt.max_amount)
    if flt.counterparty:
        qs = qs.filter(
            Q(eff_counterparty__icontains=flt.counterparty) | Q(counterparty_account=flt.counterparty)
        )
    if flt.category:
        qs = qs.filter(Q(eff_category__icontains=flt.category) | Q(summary__icontains=flt.category))
    if flt.kind:
        qs = qs.filter(kind=flt.kind)
    if flt.job:
        qs = qs.filter(job_id=flt.job)
    if flt.counted:
        qs = qs.filter(duplicate_of__isnull=True, eff_excluded=False).exclude(kind=Transaction.Kind.IGNORED)
    if flt.foreign:
        qs = qs.exclude(currency="CNY")
    if flt.corrected:
        qs = qs.filter(Exists(TransactionCorrection.objects.filter(transaction_id=OuterRef("pk"))))
    if flt.profile and flt.rule:
        qs = qs.filter(pk__in=evidence_ids(party_id, flt.profile, flt.rule))
    if flt.ids:
        qs = qs.filter(pk__in=flt.ids)
    return qs.order_by("occurred_at", "id")


def transaction_of(user: Any, tx_id: int) -> tuple[Transaction, Any] | None:
    """A line and its debtor ref, if the user may read the debtor's case (else None)."""
    from .queries import debtor

    tx = Transaction.objects.select_related("party", "job", "correction").filter(pk=tx_id).first()
    if tx is None:
        return None
    ref = debtor(user, tx.party.case_id, tx.party_id)
    return (tx, ref) if ref is not None else None


def jobs_of(party_id: int) -> list[tuple[int, str]]:
    """(id, label) of the debtor's statement imports, for the filter's choice."""
    from .models import ImportJob

    return [
        (pk, f"#{pk} {name}")
        for pk, name in ImportJob.objects.filter(party_id=party_id, kind=ImportJob.Kind.STATEMENT)
        .order_by("-pk")
        .values_list("pk", "file_name")[:100]
    ]
