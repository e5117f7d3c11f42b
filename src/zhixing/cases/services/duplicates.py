"""The duplicate-filing guard (立案查重): one basis against one debtor is one open case per court.

A filing locks the rows of its natural keys — court, the basis number in one spelling (`rules.basis_key`)
and each debtor's ID number or credit code — and looks for open cases of the court with the same key in
the same transaction, before it numbers its own case. Concurrent submissions of one application (two
clerks, a retry, a double click) therefore queue: the first files, every later one finds the first's
case and is asked to confirm, with its number. Only the court's own cases are looked at and named.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Q

from zhixing.core.errors import NeedsConfirmation
from zhixing.courts.models import Court

from ..models import OPEN_STATUSES, FilingKey, Party
from ..rules import basis_key, filing_key


class DuplicateFiling(NeedsConfirmation):
    """Open cases of this court already enforce the same basis against one of the same debtors.

    `numbers` are their case numbers; the filing goes ahead only when the user confirms these.
    """

    def __init__(self, numbers: list[str]) -> None:
        self.numbers = numbers
        super().__init__(
            f"同一执行依据对同一被执行人已有在办案件：{'、'.join(numbers)}。确认重复立案请勾选确认后再提交",
            field="confirm_duplicate",
        )


def lock_keys(court: Court, basis_number: str, debtor_ids: list[str]) -> None:
    """Take the filing-key rows of (court, basis, each debtor) until the transaction ends.

    Keys are created and locked in one order (their digests, sorted), so two filings sharing several
    debtors never wait on each other crosswise. On PostgreSQL a concurrent first filing of the same key
    makes our INSERT wait for its commit and then fail on the unique constraint: the row exists then,
    and we lock it like any other. SQLite runs one writing transaction at a time (IMMEDIATE), so there
    the rows only mark the keys. Must run inside the filing's transaction.
    """
    keys = sorted({filing_key(basis_number, d) for d in debtor_ids})
    have = set(FilingKey.objects.filter(court=court, key__in=keys).values_list("key", flat=True))
    for key in keys:
        if key not in have:
            try:
                with transaction.atomic():
                    FilingKey.objects.create(court=court, key=key)
            except IntegrityError:
                pass  # a concurrent filing of the same key created it first, and has committed
    list(FilingKey.objects.select_for_update().filter(court=court, key__in=keys).order_by("key"))


def open_duplicates(court: Court, basis_number: str, debtor_ids: list[str]) -> list[str]:
    """Numbers of the open cases of `court` enforcing the same basis against one of the debtors."""
    wanted = basis_key(basis_number)
    rows = (
        Party.objects.filter(role=Party.Role.DEBTOR, case__court=court, case__status__in=OPEN_STATUSES)
        .filter(Q(id_number__in=debtor_ids) | Q(credit_code__in=debtor_ids))
        .values_list("case__number", "case__basis_number")
    )
    return sorted({number for number, basis in rows if basis_key(basis) == wanted})


def refuse_unconfirmed(
    court: Court,
    basis_number: str,
    debtor_ids: list[str],
    *,
    confirmed: bool,
    shown: list[str] | None = None,
) -> None:
    """Raise `DuplicateFiling` unless the user confirmed the duplicates (all of `shown`, when given).

    A confirmation covers the cases the user was shown: a case filed meanwhile (the first click of a
    double click on a confirmed form) needs a new confirmation.
    """
    found = open_duplicates(court, basis_number, debtor_ids)
    if found and not (confirmed and (shown is None or set(found) <= set(shown))):
        raise DuplicateFiling(found)
