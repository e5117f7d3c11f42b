"""Every auction write (each audited in its own transaction)."""

from .bank_money import pay_balance, record_deposit
from .bidders import join_lot, register_bidder
from .bidding import place_bid, place_bids, place_token_bids
from .lots import LotInput, LotInvalid, create_lot, publish_lot, suspend_lot
from .pricing import set_aside_price, set_reference_price
from .settlement import close_due, close_lot, confirm_sale, record_default, serve_ruling, set_off
from .suspension import cancel_lot, resume_lot

__all__ = [
    "LotInput",
    "LotInvalid",
    "cancel_lot",
    "close_due",
    "close_lot",
    "confirm_sale",
    "create_lot",
    "join_lot",
    "pay_balance",
    "place_bid",
    "place_bids",
    "place_token_bids",
    "publish_lot",
    "record_default",
    "record_deposit",
    "register_bidder",
    "resume_lot",
    "serve_ruling",
    "set_aside_price",
    "set_off",
    "set_reference_price",
    "suspend_lot",
]
