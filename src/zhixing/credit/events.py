"""Signals the credit domain sends, for the domains above it (zhixing.measures) to act on.

Sent inside the transaction that made the change, so a receiver's writes commit or roll back with it.
"""

from __future__ import annotations

from django.dispatch import Signal

# A dishonest listing left the list (deleted or revoked): receivers get `listing`, `trigger`, `actor`.
listing_removed = Signal()
