"""Signals other domains listen to (the measures consequence table reacts to the sale's events)."""

from django.dispatch import Signal

# The sale-confirmation ruling was served on the buyer: title passes (网拍规定 Art 22); the seizure of
# the asset is to be released. Sent with case_id, asset_id, lot_id, served_on.
sale_ruling_served = Signal()
