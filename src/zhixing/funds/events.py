"""Signals the funds domain sends to itself (its clocks) from the ledger, which may not import them.

`case_money_moved`: a posting moved one or more case accounts (receivers get `case_ids` and the
posting's `kind`); sent by `services.ledger.post` inside the posting's transaction, after the balances
moved and while the accounts are locked.
"""

from __future__ import annotations

from django.dispatch import Signal

case_money_moved = Signal()
