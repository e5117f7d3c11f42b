"""Credit punishment: dishonest list, consumption and exit restrictions, partners, screening, exposure.

The models by concept: `listings` (the dishonest list, applications to list, corrections),
`restrictions` (consumption and exit restrictions, private consumption); the other concepts' models
live in their own modules beside this package and are re-exported here, so `credit.models` names them all.
"""

from __future__ import annotations

from ..border_notices import BorderNotice
from ..exposures import ExposureNotice  # refers to Listing by name
from ..hashtables import KeyedHash, PrivacyTable  # refer to Partner by name
from ..listing_notices import DebtorProfile, ListingNotice, NoticeRecipient
from ..proposals import Proposal
from ..repairs import CreditRepair, LegalRepChange
from ..screening_partners import Interception, Partner
from ..screening_register import ChangeEvent, RestrictedSubject
from .listings import Correction, Listing, ListingApplication
from .restrictions import PrivateConsumption, Restriction

__all__ = [
    "BorderNotice",
    "ChangeEvent",
    "Correction",
    "CreditRepair",
    "DebtorProfile",
    "ExposureNotice",
    "Interception",
    "KeyedHash",
    "LegalRepChange",
    "Listing",
    "ListingApplication",
    "ListingNotice",
    "NoticeRecipient",
    "Partner",
    "PrivacyTable",
    "PrivateConsumption",
    "Proposal",
    "RestrictedSubject",
    "Restriction",
]
