"""Every write of the analytics domain: imports, presets, relatives, profiles, batches."""

from .imports import create_import, install_builtin_presets, run_import, save_preset
from .profiles import add_related_person, compute_profile, create_batch, run_batch
from .rates import set_exchange_rate

__all__ = [
    "add_related_person",
    "compute_profile",
    "create_batch",
    "create_import",
    "install_builtin_presets",
    "run_batch",
    "run_import",
    "save_preset",
    "set_exchange_rate",
]
