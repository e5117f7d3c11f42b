"""Events of objections, sent inside the ruling's transaction.

`act_objection_upheld(case, act_type, act_id, number, actor)`: an objection to an enforcement act was
upheld; the measures domain undoes that act through its consequence table (measures.receivers).
"""

from django.dispatch import Signal

act_objection_upheld = Signal()
