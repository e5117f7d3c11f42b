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

An objection to an asset's reference price (参考价异议, an act objection of act_type `valuation`), each
with (case, asset_id, price_id, objection_id, number, actor), sent in the transaction that records it
(`valuation`):
`price_objection_filed`: filed within its window — the asset's lot in bidding is suspended;
`price_objection_cleared`: withdrawn or rejected (or upheld, for lots not made from that price) — the
suspended lot is resumed (网拍规定 Art 28);
`price_objection_upheld`: upheld, the price set aside — the lots made from it are withdrawn.
"""

from django.dispatch import Signal

act_objection_upheld = Signal()
third_party_objection_filed = Signal()
third_party_objection_cleared = Signal()
third_party_objection_upheld = Signal()
third_party_objection_final = Signal()
price_objection_filed = Signal()
price_objection_cleared = Signal()
price_objection_upheld = Signal()
