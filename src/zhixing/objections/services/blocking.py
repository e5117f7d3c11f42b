"""The disposal guard: why pending or upheld third-party objections forbid disposing of an asset."""

from __future__ import annotations

from django.utils import timezone

from .. import rules
from ..conf import retrial_blocks
from ..models import Objection


def facts(obj: Objection) -> rules.BlockFacts:
    return rules.BlockFacts(
        obj.status, obj.served_on, obj.suit_due, obj.suit_state, obj.number, obj.retrial_state
    )


# rule
def disposal_refusals(asset_id: int) -> list[str]:
    """The disposal guard (`zhixing.core.disposal_guards`): why third-party objections forbid disposing of
    `asset_id` today; empty when none does."""
    today = timezone.localdate()
    rows = Objection.objects.filter(asset_id=asset_id, kind=Objection.Kind.THIRD_PARTY).exclude(
        status=Objection.Status.WITHDRAWN
    )
    blocks = retrial_blocks()
    return [r for r in (rules.block_reason(facts(o), today, retrial_blocks=blocks) for o in rows) if r]
