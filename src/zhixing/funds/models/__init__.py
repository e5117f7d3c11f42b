"""Case funds: custody accounts, case accounts (一案一账号), the append-only double-entry ledger,
receipts (incl. 不明款), payouts with approvals, statement imports and distribution plans.

Ledger sign convention: an entry's `amount` is signed, debit positive, credit negative; every
`Transaction`'s entries sum to zero. `LedgerAccount.balance` is the running sum of its entries (updated
in the posting transaction under a row lock), so a balance read is one row. Credit-normal accounts
(case money, payables, fees, unidentified receipts) show `-balance` as their natural balance.
"""

from ..portal_link import PortalToken as PortalToken  # re-exported: one link model of this app
from .base import MONEY as MONEY
from .base import ZERO as ZERO
from .base import AppendOnlyError as AppendOnlyError
from .base import AppendOnlyModel as AppendOnlyModel
from .base import AppendOnlyQuerySet as AppendOnlyQuerySet
from .clocks import PayoutClock as PayoutClock
from .clocks import PayoutHold as PayoutHold
from .distribution import DistributionClaim as DistributionClaim
from .distribution import DistributionCounter as DistributionCounter
from .distribution import DistributionObjection as DistributionObjection
from .distribution import DistributionPlan as DistributionPlan
from .inbox import BankNotice as BankNotice
from .interest import InterestAllocation as InterestAllocation
from .interest import InterestCredit as InterestCredit
from .ledger import DEBIT_NORMAL as DEBIT_NORMAL
from .ledger import NO_OVERDRAFT as NO_OVERDRAFT
from .ledger import AccountKind as AccountKind
from .ledger import CaseAccount as CaseAccount
from .ledger import CustodyAccount as CustodyAccount
from .ledger import Entry as Entry
from .ledger import LedgerAccount as LedgerAccount
from .ledger import Transaction as Transaction
from .payouts import Payout as Payout
from .payouts import PayoutApproval as PayoutApproval
from .receipts import Receipt as Receipt
from .reconciliation import Reconciliation as Reconciliation
from .reconciliation import ReconciliationAlert as ReconciliationAlert
from .reconciliation import ReconciliationItem as ReconciliationItem
from .reconciliation import StatementLayout as StatementLayout
from .statements import StatementImport as StatementImport
from .withholding import IncomeWithholding as IncomeWithholding
