"""Every write of the analytics domain: imports, layouts, relatives, profiles, batches, exports."""

from .corrections import correct_transaction
from .exports import record_export
from .imports import create_import, run_import
from .layout_copies import copy_preset
from .layouts import delete_preset, install_builtin_presets, save_preset
from .leads import follow_lead, record_field_result, settle_requested
from .profiles import add_related_person, compute_profile, create_batch, run_batch
from .rates import RATE_REFUSED, set_exchange_rate

__all__ = [
    "RATE_REFUSED",
    "add_related_person",
    "compute_profile",
    "copy_preset",
    "correct_transaction",
    "create_batch",
    "create_import",
    "delete_preset",
    "follow_lead",
    "install_builtin_presets",
    "record_export",
    "record_field_result",
    "run_batch",
    "run_import",
    "save_preset",
    "set_exchange_rate",
    "settle_requested",
]
