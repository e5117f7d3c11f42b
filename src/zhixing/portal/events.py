"""Signals the portal sends for other domains (the command center's alert stream subscribes).

``tip_received(sender=Tip, tip=<Tip>)`` — sent after the transaction that registered a public tip-off
commits (never for a tip that rolled back). Receivers must not raise; they read the tip, its case and
its deadline (`tip.due_on`) and raise their own alerts.
"""

from __future__ import annotations

from django.dispatch import Signal

tip_received = Signal()
