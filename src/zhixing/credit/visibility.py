"""What each partner kind may see of a restricted subject: the measures of its business, and which fields.

One table (`VIEWS`) decides every partner answer — the single check, the JSON batch, the compact JSON
and CSV batch, privacy mode, the change feed and the interception receipt — so no format can show more
than another. A partner sees:

* the screening codes its business enforces (`rules.PARTNER_CODES`: a railway refuses soft sleepers and
  G/EMU trains, an airline flights and, for international flights, the exit restriction …); the
  answer's mask is the subject's mask ANDed with them;
* of the measures behind a hit, only those that set one of those codes (a railway is never told about
  an exit restriction, nor about a consumption restriction limited to hotels, nor their court or case);
* of each such measure, only the fields listed for its kind.

A partner kind missing from the table sees nothing (fail closed). Pure module: no Django.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from . import rules

# Per visible measure: its label (限制消费 / 限制出境 / 失信被执行人), since when, the deciding court and the
# case number — what a refusal message names so that the person knows whom to turn to.
MEASURE_FIELDS = ("measure", "since", "court", "case_number")


@dataclass(frozen=True)
class PartnerView:
    """One row of the visibility table: the codes a partner kind enforces and the measure fields it gets."""

    codes: tuple[str, ...]
    fields: tuple[str, ...]

    @property
    def mask(self) -> int:
        return rules.mask_of(self.codes)


VIEWS: dict[str, PartnerView] = {
    # Carriers and hotels refuse a ticket or a room and tell the person which court and case.
    "airline": PartnerView(rules.PARTNER_CODES["airline"], MEASURE_FIELDS),
    "railway": PartnerView(rules.PARTNER_CODES["railway"], MEASURE_FIELDS),
    "hotel": PartnerView(rules.PARTNER_CODES["hotel"], MEASURE_FIELDS),
    # Regulators, banks and employers act on the published list (失信规定 Art 8) and the items they sell.
    "market": PartnerView(rules.PARTNER_CODES["market"], MEASURE_FIELDS),
    "bank": PartnerView(rules.PARTNER_CODES["bank"], MEASURE_FIELDS),
    "recruitment": PartnerView(rules.PARTNER_CODES["recruitment"], MEASURE_FIELDS),
    # Border control (出入境边防检查) refuses exit: it sees exit restrictions, never consumption or the list.
    "border": PartnerView(rules.PARTNER_CODES["border"], MEASURE_FIELDS),
    # Media receive exposure notices; they screen nobody.
    "media": PartnerView((), ()),
}

NOTHING = PartnerView((), ())


def view_of(kind: str) -> PartnerView:
    """The table row of a partner kind; an unknown kind sees nothing."""
    return VIEWS.get(kind, NOTHING)


def visible_measures(view: PartnerView, rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Of a subject's measures (`queries.subject_details` rows, each with its `mask`), those the view
    may see, each reduced to the view's fields, earliest first.
    """
    mask = view.mask
    seen = [r for r in rows if r["mask"] & mask]
    seen.sort(key=lambda r: r["since"])
    return [{f: r[f] for f in view.fields} for r in seen]


def visible_since(view: PartnerView, rows: Iterable[Mapping[str, Any]]) -> Any:
    """Since when the earliest measure the view may see is in force, or None (or the field is hidden)."""
    if "since" not in view.fields:
        return None
    return min((r["since"] for r in rows if r["mask"] & view.mask), default=None)
