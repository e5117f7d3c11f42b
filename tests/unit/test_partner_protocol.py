"""The partner protocol's signing and verification."""

import pytest

from zhixing.core.partner_protocol import ProtocolError, encode_body, partner_of, sign_headers, verify

SECRET = "s3cret"


def signed(body: bytes = b'{"a":1}', ts: int = 1_800_000_000) -> dict[str, str]:
    return sign_headers("bank-icbc", SECRET, "POST", "/callback", body, "key-1", timestamp=ts)


def test_round_trip_returns_the_idempotency_key():
    headers = signed()
    assert partner_of(headers) == "bank-icbc"
    assert verify(SECRET, "POST", "/callback", b'{"a":1}', headers, now=1_800_000_010) == "key-1"


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda h, b: (h, b'{"a":2}'), "签名不符"),
        (lambda h, b: ({**h, "X-ZX-Signature": "0" * 64}, b), "签名不符"),
        (lambda h, b: ({k: v for k, v in h.items() if k != "X-ZX-Signature"}, b), "缺少"),
        (lambda h, b: ({**h, "Idempotency-Key": "key-2"}, b), "签名不符"),
        (lambda h, b: ({**h, "X-ZX-Timestamp": "abc"}, b), "时间戳格式"),
    ],
)
def test_tampering_is_rejected(mutate, message):
    headers, body = mutate(signed(), b'{"a":1}')
    with pytest.raises(ProtocolError, match=message):
        verify(SECRET, "POST", "/callback", body, headers, now=1_800_000_010)


def test_stale_message_is_rejected_as_replay():
    with pytest.raises(ProtocolError, match="重放"):
        verify(SECRET, "POST", "/callback", b'{"a":1}', signed(), now=1_800_000_000 + 301)


def test_wrong_secret_or_path_is_rejected():
    with pytest.raises(ProtocolError):
        verify("other", "POST", "/callback", b'{"a":1}', signed(), now=1_800_000_000)
    with pytest.raises(ProtocolError):
        verify(SECRET, "POST", "/other", b'{"a":1}', signed(), now=1_800_000_000)


def test_body_encoding_is_canonical():
    assert encode_body({"b": 1, "a": "张"}) == '{"a":"张","b":1}'.encode()
