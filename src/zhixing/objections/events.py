"""Events of objections, sent inside the ruling's transaction.

`act_objection_upheld(case, act_type, act_id, number, actor)`: an objection to an enforcement act was
upheld; the measures domain undoes that act through its consequence table (measures.receivers).
`third_party_objection_filed(case, asset_id, objection_id, number, actor)`: a third party claims a seized
asset (CPL 238), sent in the filing's transaction; the consequence table suspends its lot in bidding.
"""

from django.dispatch import Signal

act_objection_upheld = Signal()
third_party_objection_filed = Signal()
