"""The portal domain's models, one module per feature; each is imported here so Django finds it."""

from .party import NodePushRule, PartyMessage, PortalCode  # noqa: F401  (party portal)
from .petitions import Petition  # noqa: F401
from .public import CaseQueryCode, PublishedRuling  # noqa: F401
from .tips import RewardOffer, Tip, TipPhoto  # noqa: F401
