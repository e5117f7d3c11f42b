"""The portal domain's models, one module per feature; each is imported here so Django finds it."""

from .party import NodePushRule, PartyMessage, PortalCode  # noqa: F401  (party portal)
