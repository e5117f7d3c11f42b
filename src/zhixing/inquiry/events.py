"""Inquiry's events, for whoever acts on them (triage re-evaluation; flow nodes may listen too).

`round_completed` is sent after a batch's query answers for a case are applied and no query of that
case in that batch is still in flight (answered, or failed for good) — a judge's 一键查控, a centralised
batch, or the periodic 终本 re-inquiry alike. Keyword `rounds`: list of (case id, batch id). It is sent
outside the answers' transaction; receivers run their own. Two workers finishing the last answers of
one round at the same moment may each see the other's still in flight: the periodic sweeps are the net.
"""

from django.dispatch import Signal

round_completed = Signal()
