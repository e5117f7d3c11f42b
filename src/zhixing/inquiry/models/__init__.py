"""Network asset inquiry and control (网络执行查控): partners, requests, the asset register, receivables.

A request to a partner institution is a persisted row (`InquiryRequest`) and a durable timer: its
`due_at` says when a worker should (re)send or poll it; workers claim due rows in batches with a lease
(`lease_until`), so a crashed worker's rows are simply claimed again — with the same idempotency key,
so the partner acts once (DESIGN invariant 6).
"""

from ..alerts import ControlAlert as ControlAlert  # re-exported: the control-term alerts of this app
from ..dormant_notices import DormantAttention as DormantAttention  # re-exported: unsearchable dormant cases
from ..dormant_notices import ReinquiryNotice as ReinquiryNotice  # re-exported: re-inquiry results told
from ..triage_records import CaseTriage as CaseTriage  # re-exported: the triage of a case
from ..triage_records import TriageFlag as TriageFlag
from .assets import Asset as Asset
from .assets import RegisterView as RegisterView
from .dormant import DormantRound as DormantRound
from .partners import Partner as Partner
from .partners import PartnerCategory as PartnerCategory
from .requests import CallbackLog as CallbackLog
from .requests import DeductionReceivable as DeductionReceivable
from .requests import InquiryBatch as InquiryBatch
from .requests import InquiryRequest as InquiryRequest
from .vocabulary import CONTROL_ACTIONS as CONTROL_ACTIONS
from .vocabulary import MONEY as MONEY
from .vocabulary import Action as Action
