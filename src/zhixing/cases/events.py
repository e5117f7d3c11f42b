"""Signals a case sends when something happens to it, for the domains above cases to act on.

cases may not import the later domains (inquiry, credit, funds, measures), so they learn of a case's
events here. Every signal is sent inside the transaction that made the change, so a receiver's writes
commit or roll back with the event. Receivers connect in their app's `ready()`.
"""

from __future__ import annotations

from django.dispatch import Signal

# Domains that cases may not import (e.g. funds: money still on the case account) veto a closing:
# receivers get `case` (row-locked) and `mode`, and return a Chinese reason to refuse or None.
closing_vetoes = Signal()
# ...and learn that it closed (same transaction, after the veto): funds closes the case's sub-account so
# money sent afterwards is unidentified (不明款) of the court, never a balance on a closed case.
# Receivers get `case` (row-locked, already saved with its closing mode) and `actor`.
case_closed = Signal()
# Money performed on a case (执行到位): a receipt booked, an unidentified receipt claimed, a deduction
# booked, a payment recorded by hand, or a reversal (negative). Receivers get `case_ids` (the cases whose
# `paid_amount` moved, sorted), `actor` and `payments` — (case id, amount, paid_on) per payment booked,
# so a receiver keeping running totals adds the delta without recounting; one send per transaction,
# however many payments it booked.
payments_recorded = Signal()
# Enforcement suspended (中止执行): receivers get `case`, `ground` (Suspension.Ground value) and `actor`.
case_suspended = Signal()
# Enforcement resumed after a suspension: receivers get `case` and `actor`.
case_resumed = Signal()
# What the other domains' records show about the 终本 preconditions (rules_dormant.PRECONDITIONS): receivers
# get `case` and return {key: (held, detail)} for the keys they know (credit: the consumption restriction
# and the listing; inquiry: the network inquiry). Asked before a dormant closing and on the checklist page.
dormant_facts = Signal()
# A 执恢 case filed to resume a closed or dormant case (`services.resume_case`): receivers get `origin`,
# `case` (the new case, its parties copied) and `actor`, in the filing's transaction, and carry their
# measures over (inquiry: the found property and its controls).
case_refiled = Signal()
# Flow nodes completed (by hand or by a platform event): receivers get `nodes` (the saved `Node` rows,
# with `node_type`) and `actor`; sent in the completing transaction. The party portal pushes them to
# the parties (定向推送).
nodes_completed = Signal()
# A preservation case's (执保) controls carried into the enforcement case filed for the same parties and
# basis (诉执衔接, `services.preservation`): receivers get `preservation` (the 执保 case), `case` (the new
# enforcement case, its parties saved) and `actor`, in the filing's transaction (inquiry: the assets and
# their controls move with their original rank, dates and renewal history).
preservation_carried = Signal()
