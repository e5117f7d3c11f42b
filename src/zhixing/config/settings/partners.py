"""Partner institutions and network inquiry (网络执行查控): where the sandbox listens, and the knobs.

`make run` serves the partner sandbox on PORT+1 (see zhixing.config.launcher); production points
ZHIXING_SANDBOX_URL nowhere and gives each `Partner` row its real base URL.
"""

from .env import env_bool, env_int, env_str

# The same rule as the launcher: HOST, PORT, and the sandbox on ZHIXING_SANDBOX_PORT (default PORT+1).
# A wildcard listen address is reached through loopback.
_port = env_int("PORT", 8000)
_host = env_str("HOST", "127.0.0.1").strip() or "127.0.0.1"
_host = "127.0.0.1" if _host in ("0.0.0.0", "::", "[::]") else _host  # noqa: S104 - a client URL, not a bind
_sandbox_port = env_int("ZHIXING_SANDBOX_PORT", _port + 1)
_production = env_bool("ZHIXING_PRODUCTION", False)

# Base URL of partners whose `Partner.base_url` is empty (the simulated institutions), and of the
# custody bank unless FUNDS_BANK_URL is set (settings/funds.py). Production has no sandbox unless one
# is configured explicitly (a staging deployment).
ZHIXING_SANDBOX_URL = env_str("ZHIXING_SANDBOX_URL", "") or (
    "" if _production else f"http://{_host}:{_sandbox_port}"
)
# Where partners deliver signed callbacks (this platform as partners reach it); production must set it.
ZHIXING_PLATFORM_URL = env_str("ZHIXING_PLATFORM_URL", "") or f"http://{_host}:{_port}"
ZHIXING_INQUIRY = {
    # Roles that approve freeze, seize and deduct, in order; a step is signed by the requester when
    # the requester holds that role.
    "approval_chain": env_str("ZHIXING_INQUIRY_APPROVAL_CHAIN", "judge,director").split(","),
    "warn_days": env_int("ZHIXING_INQUIRY_WARN_DAYS", 30),
    "http_timeout": env_int("ZHIXING_INQUIRY_HTTP_TIMEOUT", 10),
    "max_attempts": env_int("ZHIXING_INQUIRY_MAX_ATTEMPTS", 6),
    "backoff_base": env_int("ZHIXING_INQUIRY_BACKOFF_BASE", 5),
    "backoff_cap": env_int("ZHIXING_INQUIRY_BACKOFF_CAP", 600),
    "poll_after": env_int("ZHIXING_INQUIRY_POLL_AFTER", 60),
    # How long a claimed row stays with its worker before another may take it (0: 3 × timeout + 30 s).
    "lease_seconds": env_int("ZHIXING_INQUIRY_LEASE", 0),
    "claim_batch": env_int("ZHIXING_INQUIRY_CLAIM_BATCH", 2000),
    "send_batch": env_int("ZHIXING_INQUIRY_SEND_BATCH", 500),
    # Enqueue one dispatch job right after new requests commit (the periodic task is the safety net).
    "kick_on_commit": True,
    "triage_simple_max": env_str("ZHIXING_TRIAGE_SIMPLE_MAX", "100000"),
    "triage_complex_min": env_str("ZHIXING_TRIAGE_COMPLEX_MIN", "1000000"),
}
