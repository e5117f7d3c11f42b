"""Inquiry's events, for the domains above it and for inquiry's own reactions (they connect at ready;
inquiry never imports a receiver).

- `queries_settled(request_ids=[...])` is sent in the transaction that records the answer (or the final
  failure) of query requests, so a receiver's writes commit or roll back with the answer. Analytics
  uses it to move an analysis lead that became a targeted query to found / not found.
- `round_completed(rounds=[(case id, batch id), ...])` is sent after a batch's query answers for a case
  are applied and no query of that case in that batch is still in flight (answered, or failed for good)
  — a judge's 一键查控, a centralised batch, or the periodic 终本 re-inquiry alike. It is sent outside
  the answers' transaction; receivers run their own (triage re-evaluates). Two workers finishing the
  last answers of one round at the same moment may each see the other's still in flight: the periodic
  sweeps are the net.
"""

from __future__ import annotations

from django.dispatch import Signal

queries_settled = Signal()
round_completed = Signal()
