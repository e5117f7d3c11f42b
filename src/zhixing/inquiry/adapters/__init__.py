"""Partner adapters: how a message reaches an institution. `protocol` speaks the signed-JSON protocol."""

from .protocol import PartnerClient, TransportError, client_for

__all__ = ["PartnerClient", "TransportError", "client_for"]
