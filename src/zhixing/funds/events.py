"""Signals the funds domain sends to itself (its clocks) from the ledger, which may not import them.

`case_money_moved`: a posting moved one or more case accounts (receivers get `case_ids` and the
posting's `kind`); sent by `services.ledger.post` inside the posting's transaction, after the balances
moved and while the accounts are locked.

`payout_settled`: a payout reached an end — `paid`, `failed` (the bank returned it), `rejected` or
`cancelled`. Receivers get `payout` (the row, status already changed), `outcome` (the status) and
`actor`; sent inside the transaction that changed the status, so a consequence applied by a receiver
(the portal marks a reward offer paid, or payable again) commits or rolls back with it. Other domains
subscribe by the payout's `purpose` and `source`; a receiver must be idempotent (a status is reached
once, but a receiver may be asked again by a retry of its own).
"""

from __future__ import annotations

from django.dispatch import Signal

case_money_moved = Signal()
payout_settled = Signal()
