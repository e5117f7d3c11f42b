"""Events network inquiry sends to the domains above it (they connect; inquiry never imports them).

`queries_settled(request_ids=[...])` is sent in the transaction that records the answer (or the final
failure) of query requests, so a receiver's writes commit or roll back with the answer. Analytics uses
it to move an analysis lead that became a targeted query to found / not found.
"""

from __future__ import annotations

from django.dispatch import Signal

queries_settled = Signal()
