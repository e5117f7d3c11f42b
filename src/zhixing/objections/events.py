"""Events of objections, sent inside the ruling's transaction.

`act_objection_upheld(case, act_type, act_id, number, actor)`: an objection to an enforcement act was
upheld; the measures domain undoes that act through its consequence table (measures.receivers).
`third_party_objection_filed(case, asset_id, objection_id, number, actor)`: a third party claims a seized
asset (CPL 238), sent in the filing's transaction; the consequence table suspends its lot in bidding.

The outcome of a third-party objection, each with (case, asset_id, objection_id, number, actor), sent in
the transaction that records it (`lot_consequences`):
`third_party_objection_cleared`: the cause of the lot's suspension ended (withdrawn; rejected and no suit
in the window; the suit lost by the objector) — the suspended lot is resumed (网拍规定 Art 28);
`third_party_objection_upheld`: upheld — the asset's suspended or unpublished lot is withdrawn;
`third_party_objection_final`: the objector's claim is final (upheld and no suit in the window; the
suit won by the objector) — the asset's controls are released (民诉解释 2015 Art 314(2)).
"""

from django.dispatch import Signal

act_objection_upheld = Signal()
third_party_objection_filed = Signal()
third_party_objection_cleared = Signal()
third_party_objection_upheld = Signal()
third_party_objection_final = Signal()
