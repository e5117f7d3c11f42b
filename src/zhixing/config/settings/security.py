"""Security: Argon2 passwords, login throttling, sessions, CSRF and secure headers."""

from .env import env_bool, env_int, env_str

# Embedded demo default only; production refuses it, a short or a shared key (see production.py).
_DEMO_SECRET_KEY = "zhixing-embedded-demo-key-change-me-in-production-0123456789"
SECRET_KEY = env_str("SECRET_KEY", "") or _DEMO_SECRET_KEY
PRODUCTION = env_bool("ZHIXING_PRODUCTION", False)

ALLOWED_HOSTS = [h for h in env_str("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in env_str("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Throttle repeated failed logins: lock a username+IP pair after N failures for a cool-off period.
AXES_FAILURE_LIMIT = env_int("ZHIXING_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("ZHIXING_LOGIN_COOLOFF_MINUTES", 15) / 60
# A failed sign-in is recorded under the typed username cut to the column's length (never a 500).
AXES_USERNAME_CALLABLE = "zhixing.core.inputguard.axes_username"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Failed sign-ins of one address across all usernames per cool-off window (courts/login_throttle.py).
ZHIXING_LOGIN_ADDRESS_FAILURE_LIMIT = env_int("ZHIXING_LOGIN_ADDRESS_FAILURE_LIMIT", 30)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
AXES_VERBOSE = False
# The lockout keys on the one source of client addresses (X-Forwarded-For only from TRUSTED_PROXIES).
AXES_CLIENT_IP_CALLABLE = "zhixing.core.clientaddr.client_address"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("ZHIXING_SESSION_SECONDS", 8 * 3600)
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
CSRF_FAILURE_VIEW = "zhixing.core.views.csrf_failure"  # the platform's Chinese 403, JSON on the API
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    # Behind the TLS-terminating proxy (one of TRUSTED_PROXIES; X-Forwarded-Proto from anyone else is
    # dropped by zhixing.core.clientaddr.ProxyHeadersMiddleware): plain HTTP is redirected to HTTPS and
    # browsers are told to use HTTPS only, for the court's subdomains too.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("ZHIXING_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("ZHIXING_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("ZHIXING_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("ZHIXING_HSTS_PRELOAD", True)
