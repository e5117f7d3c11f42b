"""Sign-in security: Argon2 hashes, throttled failures, secure headers, CSRF, tokens."""

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.hashers import get_hasher
from django.test import Client

from tests import factories
from zhixing.courts.services import issue_token, revoke_token, staff_for_token

pytestmark = pytest.mark.django_db


def test_passwords_hash_with_argon2_in_configured_settings():
    # The autouse fixture swaps in a fast hasher for other tests; the settings module itself says Argon2.
    from zhixing.config.settings import security

    assert security.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert django_settings.AXES_FAILURE_LIMIT == 5


def test_argon2_hash_round_trip(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    encoded = get_hasher("argon2").encode("zhixing2026", get_hasher("argon2").salt())
    assert encoded.startswith("argon2$argon2id$")


def test_login_works_and_repeated_failures_lock_out(people):
    client = Client()
    resp = client.post("/login/", {"username": "th_clerk", "password": factories.PASSWORD})
    assert resp.status_code == 302
    client.logout()
    for _ in range(5):
        resp = client.post("/login/", {"username": "th_judge", "password": "wrong-password"})
    resp = client.post("/login/", {"username": "th_judge", "password": factories.PASSWORD})
    assert resp.status_code == 429
    assert "锁定" in resp.content.decode()


def test_secure_headers_are_set(people):
    resp = Client().get("/login/")
    assert resp.headers["X-Frame-Options"] == "DENY"
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in resp.headers["Content-Security-Policy"]
    assert resp.headers["Referrer-Policy"] == "same-origin"


def test_csrf_is_enforced_on_login(people):
    client = Client(enforce_csrf_checks=True)
    resp = client.post("/login/", {"username": "th_clerk", "password": factories.PASSWORD})
    assert resp.status_code == 403


def test_api_tokens_authenticate_until_revoked(people):
    raw = issue_token(None, people["judge"], "对接测试")
    assert staff_for_token(raw) == people["judge"]
    assert staff_for_token(raw + "x") is None
    token = people["judge"].api_tokens.get()
    assert token.digest != raw  # only the digest is stored
    revoke_token(None, token)
    assert staff_for_token(raw) is None


def test_unauthenticated_pages_redirect_to_login(db):
    resp = Client().get("/")
    assert resp.status_code == 302
    assert resp.headers["Location"].startswith("/login/")


def test_one_address_spraying_passwords_over_many_usernames_is_refused(people, settings):
    """Axes locks a username+address pair; one address trying every username is stopped too (429),
    even with a correct password, while another address signs in."""
    settings.ZHIXING_LOGIN_ADDRESS_FAILURE_LIMIT = 6
    sprayer = Client(REMOTE_ADDR="203.0.113.9")
    for username in ["th_clerk", "th_judge", "th_director", "th_finance", "yx_judge", "gz_director"]:
        resp = sprayer.post("/login/", {"username": username, "password": "Spring2026!"})
        assert resp.status_code == 200  # the form again: one failure per username, no pair locked
    resp = sprayer.post("/login/", {"username": "th_clerk", "password": factories.PASSWORD})
    assert resp.status_code == 429 and "锁定" in resp.content.decode()
    other = Client(REMOTE_ADDR="198.51.100.7")
    assert other.post("/login/", {"username": "th_clerk", "password": factories.PASSWORD}).status_code == 302
