"""What a third-party objection's outcome does to the claimed asset's disposal, told to the measures
consequence table as events (sent inside the transaction recording the outcome; the table's rows and
their articles decide, `zhixing.measures.rules`):

* cleared — the cause of a lot's suspension ended: withdrawn, rejected and no suit within the window,
  or the suit lost by the objector → the suspended lot is resumed (网拍规定 Art 28);
* upheld — enforcement against the asset is suspended (CPL-2023 Art 238) → its suspended or
  unpublished lot is withdrawn (撤回拍卖) and the deposits released;
* final — upheld and no suit within the window, or the suit won by the objector → the asset's freeze
  or seizure is released (民诉解释 2015 numbering Art 314(2)).

Only third-party objections (with an asset) send them; an act objection's undoing is `acts.undo_act`.
"""

from __future__ import annotations

from typing import Any

from django.dispatch import Signal

from .events import third_party_objection_cleared, third_party_objection_final, third_party_objection_upheld
from .models import Objection

# Why the cause of a suspension ended, as the audit and the consequence's reference say it.
WITHDRAWN = "异议人撤回异议"
LAPSED = "驳回异议裁定送达后15日内未提起执行异议之诉"
SUIT_LOST = "执行异议之诉案外人败诉"
UPHELD_FINAL = "异议成立裁定送达后15日内申请执行人未提起诉讼"
SUIT_WON = "执行异议之诉案外人胜诉"


def _send(signal: Signal, actor: Any, obj: Objection) -> None:
    if obj.kind != Objection.Kind.THIRD_PARTY or obj.asset_id is None:
        return
    signal.send(
        sender=Objection,
        case=obj.case,
        asset_id=obj.asset_id,
        objection_id=obj.pk,
        number=obj.number,
        actor=actor,
    )


def cleared(actor: Any, obj: Objection) -> None:
    """The cause of the lot's suspension ended: resume it (网拍规定 Art 28)."""
    _send(third_party_objection_cleared, actor, obj)


def upheld(actor: Any, obj: Objection) -> None:
    """Upheld: withdraw the asset's suspended or unpublished lot."""
    _send(third_party_objection_upheld, actor, obj)


def final(actor: Any, obj: Objection) -> None:
    """The objector's claim is final: release the asset's controls (民诉解释 2015 Art 314(2))."""
    _send(third_party_objection_final, actor, obj)
