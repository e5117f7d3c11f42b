"""The lot's clock pauses the case's enforcement term (审限规定 Art 9: the auction or sale of seized
property is not counted): the period starts when the first announcement is published and ends when
the disposal ends (the sale confirmed, a set-off made). The pause and the resumption are rows of the
measures consequence table (events `auction_started` / `auction_ended`); this module only sends them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ..events import auction_ended, auction_started
from ..models import Lot


def pause_term(actor: Any, lot: Lot, on: date) -> None:
    """The lot's chain began: the case's auction period starts (a re-auction continues a running one)."""
    auction_started.send(
        sender=Lot,
        case_id=lot.case_id,
        asset_id=lot.asset_id,
        lot_id=lot.pk,
        on=on,
        ref=f"拍卖公告（标的{lot.pk}）",
        actor=actor,
    )


def resume_term(actor: Any, lot: Lot, on: date, document_ref: str) -> None:
    """The disposal ended: the term runs again from `on`."""
    auction_ended.send(
        sender=Lot,
        case_id=lot.case_id,
        asset_id=lot.asset_id,
        lot_id=lot.pk,
        on=on,
        ref=document_ref,
        actor=actor,
    )
