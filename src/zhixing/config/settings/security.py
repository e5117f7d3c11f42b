"""Security: Argon2 passwords, login throttling, sessions, CSRF and secure headers."""

from .env import SettingsError, env_bool, env_int, env_str

_secret = env_str("SECRET_KEY", "")
if not _secret:
    # Embedded demo default only; production must set SECRET_KEY (checked below).
    _secret = "zhixing-embedded-demo-key-change-me-in-production-0123456789"
SECRET_KEY = _secret
PRODUCTION = env_bool("ZHIXING_PRODUCTION", False)
if PRODUCTION and "embedded-demo" in SECRET_KEY:
    raise SettingsError("SECRET_KEY must be set when ZHIXING_PRODUCTION=1")

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
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
AXES_VERBOSE = False

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("ZHIXING_SESSION_SECONDS", 8 * 3600)
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_HSTS_SECONDS = 31536000
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
