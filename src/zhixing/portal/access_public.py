"""Who may do what with tip-offs, rewards, petitions, query codes and published rulings (staff side).

Court scoping as everywhere: a user reads their own court and those below it, and writes only their own
court (`zhixing.courts.queries`). On top of it, by role:

| action | roles |
|---|---|
| read the disclosure pages of a case, the lists | any role with 查看案件 |
| issue a query code, act on / close a tip | judge, assistant, director |
| publish a ruling | judge, director |
| offer / withdraw a reward, pay a reward (propose its payout) | the case's handler (承办法官), the director |
| approve a reward's payout, send its payment order | the payouts' chain and finance (`zhixing.funds`) |
| register a petition at the counter | clerk, assistant, judge, director, operator |
| answer a petition | the person it is routed to, or the director |
"""

from __future__ import annotations

from typing import Any

from zhixing.courts.queries import can_read_court, can_write_court
from zhixing.courts.roles import Cap, Role

HANDLERS = frozenset({Role.JUDGE, Role.ASSISTANT, Role.DIRECTOR})
DECIDERS = frozenset({Role.JUDGE, Role.DIRECTOR})
COUNTER = frozenset({Role.CLERK, Role.ASSISTANT, Role.JUDGE, Role.DIRECTOR, Role.OPERATOR})


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "court_id", None))


def may_read(user: Any, court: Any) -> bool:
    return _active(user) and user.can(Cap.CASE_READ) and can_read_court(user, court)


def _writes(user: Any, court: Any, roles: frozenset[str]) -> bool:
    return _active(user) and user.is_active and user.role in roles and can_write_court(user, court)


def may_handle(user: Any, court: Any) -> bool:
    return _writes(user, court, HANDLERS)


def may_decide(user: Any, court: Any) -> bool:
    return _writes(user, court, DECIDERS)


def may_reward(user: Any, case: Any) -> bool:
    """Offer, withdraw or pay (propose the payout of) a case's reward: its handler or the director.

    A reward is the applicant's money given away on the court's word, so no other judge of the court
    decides it; paying only proposes a payout of purpose 悬赏金, which the payouts' approval chain
    (judge → director → president, never the proposer) and finance's payment order still stand between
    the proposal and the bank.
    """
    if not _writes(user, case.court, DECIDERS):
        return False
    return user.role == Role.DIRECTOR or (case.handler_id is not None and user.pk == case.handler_id)


def may_register(user: Any, court: Any) -> bool:
    return _writes(user, court, COUNTER)


def may_answer(user: Any, petition: Any) -> bool:
    if not _writes(user, petition.court, COUNTER | DECIDERS):
        return False
    return user.pk == petition.routed_to_id or user.role == Role.DIRECTOR
