"""E-service (电子送达) and the party portal: the SMS and e-mail gateways, retries, sign-in limits.

The SMS gateway is a partner over the signed protocol (docs/partner-protocol.md); `make run` uses the
sandbox's simulated gateway (SMS-GW) with its derived secret. E-mail goes over SMTP to
ZHIXING_SMTP_HOST:ZHIXING_SMTP_PORT (tests start a local server on their own port).
"""

from __future__ import annotations

from .env import env_int, env_str
from .partners import ZHIXING_SANDBOX_URL


def _sandbox_sms_secret() -> str:
    from zhixing.partners.sandbox.holdings import partner_secret

    return partner_secret("SMS-GW")


ZHIXING_ESERVICE = {
    "sms_code": env_str("ZHIXING_SMS_CODE", "SMS-GW"),
    "sms_url": env_str("ZHIXING_SMS_URL", "") or ZHIXING_SANDBOX_URL,
    "sms_secret": env_str("ZHIXING_SMS_SECRET", "") or _sandbox_sms_secret(),
    "smtp_host": env_str("ZHIXING_SMTP_HOST", "127.0.0.1"),
    "smtp_port": env_int("ZHIXING_SMTP_PORT", 8025),
    "mail_from": env_str("ZHIXING_MAIL_FROM", "songda@court.example.cn"),
    "http_timeout": env_int("ZHIXING_ESERVICE_HTTP_TIMEOUT", 10),
    "max_attempts": env_int("ZHIXING_ESERVICE_MAX_ATTEMPTS", 4),
    "backoff_base": env_int("ZHIXING_ESERVICE_BACKOFF_BASE", 30),  # seconds, doubled per attempt
    "lease_seconds": env_int("ZHIXING_ESERVICE_LEASE", 120),
    "claim_batch": env_int("ZHIXING_ESERVICE_CLAIM_BATCH", 2000),
    "sms_batch": env_int("ZHIXING_ESERVICE_SMS_BATCH", 500),
    # Party portal sign-in (R-portal): code life, requests per phone and per client address, tries.
    "code_minutes": env_int("ZHIXING_PORTAL_CODE_MINUTES", 5),
    "code_per_phone": env_int("ZHIXING_PORTAL_CODE_PER_PHONE", 5),
    "code_per_client": env_int("ZHIXING_PORTAL_CODE_PER_CLIENT", 20),
    "code_window": env_int("ZHIXING_PORTAL_CODE_WINDOW", 3600),
    "code_tries": env_int("ZHIXING_PORTAL_CODE_TRIES", 5),
}
