"""Signals other domains listen to (the measures consequence table reacts to the sale's events)."""

from django.dispatch import Signal

# The sale-confirmation ruling was served on the buyer: title passes (网拍规定 Art 22); the seizure of
# the asset is to be released. Sent with case_id, asset_id, lot_id, served_on, actor.
sale_ruling_served = Signal()
# The set-off ruling (以物抵债裁定) was served on the creditor who takes the asset: title passes and the
# seizure is to be released, as for a sale (拍卖变卖规定 Arts 16, 26). Same arguments as above.
set_off_ruling_served = Signal()
# The buyer paid the balance: the proceeds go into the case account. Sent with case_id, asset_id, lot_id,
# receipt_key (the funds idempotency key), amount, value_date, payer, memo, actor.
sale_balance_paid = Signal()
# A lot's chain of rounds began (the first announcement) or ended (sale confirmed, set-off): the case's
# term does not count the time between (审限规定 Art 9). Sent with case_id, asset_id, lot_id, on, ref, actor.
auction_started = Signal()
auction_ended = Signal()
