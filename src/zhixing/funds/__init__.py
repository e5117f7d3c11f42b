"""Case funds: one case one account, the double-entry ledger, receipts, payouts, distribution plans."""
