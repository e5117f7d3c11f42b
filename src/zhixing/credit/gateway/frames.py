"""The frames between a web worker and the screening engine's process (`engine_process`, `remote`).

A frame is ``<u32 length><u64 request number><payload>``; the length counts what follows it. A request's
payload is its kind (``c`` check, ``b`` batch) and five length-prefixed fields (partner key, content type,
accept, query string, body); an answer's is its status, content type, headers and body. Strings are
UTF-8 with ``surrogateescape``, so whatever the web worker decoded from the request's bytes arrives as it
was. Nothing is unpickled: a peer can only send data, never code.
"""

from __future__ import annotations

import struct

from .wire import Answer, Job

HEAD = struct.Struct("<IQ")  # frame length (after these 4 bytes), request number
JOB = struct.Struct("<cIIIII")  # kind, then the lengths of key, content type, accept, query, body
ANSWER = struct.Struct("<HIII")  # status, content type length, header count, body length
PAIR = struct.Struct("<II")  # a header's name and value lengths
KINDS = {"check": b"c", "batch": b"b"}
NAMES = {v: k for k, v in KINDS.items()}
MAX_FRAME = (
    1 << 31
)  # a frame longer than this is a broken peer, never a request (bodies are limited far below)


def _b(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


def _s(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


def job_frame(number: int, job: Job) -> bytes:
    """A request as the web worker sends it."""
    key, ctype, accept, query = _b(job.key), _b(job.content_type), _b(job.accept), _b(job.query)
    body = job.body
    payload_len = JOB.size + len(key) + len(ctype) + len(accept) + len(query) + len(body)
    return b"".join(
        (
            HEAD.pack(payload_len + 8, number),
            JOB.pack(KINDS[job.kind], len(key), len(ctype), len(accept), len(query), len(body)),
            key,
            ctype,
            accept,
            query,
            body,
        )
    )


def read_job(payload: memoryview) -> Job:
    """The request of a frame's payload (ValueError when it is not one)."""
    kind, *lengths = JOB.unpack_from(payload)
    if kind not in NAMES or JOB.size + sum(lengths) != len(payload):
        raise ValueError("not a screening request frame")
    fields, at = [], JOB.size
    for n in lengths:
        fields.append(payload[at : at + n])
        at += n
    key, ctype, accept, query, body = fields
    return Job(
        kind=NAMES[kind],
        key=_s(bytes(key)),
        content_type=_s(bytes(ctype)),
        accept=_s(bytes(accept)),
        query=_s(bytes(query)),
        body=bytes(body),
    )


def answer_frame(number: int, answer: Answer) -> bytes:
    """An answer as the engine's process sends it back (without its audit call: that stays behind)."""
    ctype = _b(answer.content_type)
    parts = [b"", ANSWER.pack(answer.status, len(ctype), len(answer.headers), len(answer.body)), ctype]
    for name, value in answer.headers:
        parts += [PAIR.pack(len(name), len(value)), name, value]
    parts.append(answer.body)
    size = sum(len(p) for p in parts)
    parts[0] = HEAD.pack(size + 8, number)
    return b"".join(parts)


def read_answer(payload: memoryview) -> Answer:
    """The answer of a frame's payload (ValueError when it is not one)."""
    status, ctype_len, n_headers, body_len = ANSWER.unpack_from(payload)
    at = ANSWER.size
    ctype = _s(bytes(payload[at : at + ctype_len]))
    at += ctype_len
    headers = []
    for _ in range(n_headers):
        name_len, value_len = PAIR.unpack_from(payload, at)
        at += PAIR.size
        headers.append(
            (bytes(payload[at : at + name_len]), bytes(payload[at + name_len : at + name_len + value_len]))
        )
        at += name_len + value_len
    if at + body_len != len(payload):
        raise ValueError("not a screening answer frame")
    return Answer(status, bytes(payload[at:]), content_type=ctype, headers=headers)


class Reader:
    """Splits a byte stream into frames: `feed` returns the complete ones as (request number, payload)."""

    def __init__(self) -> None:
        self.buf = bytearray()

    def feed(self, data: bytes) -> list[tuple[int, memoryview]]:
        buf = self.buf
        buf += data
        out: list[tuple[int, memoryview]] = []
        at, end = 0, len(buf)
        while end - at >= HEAD.size:
            length, number = HEAD.unpack_from(buf, at)
            if length < 8 or length > MAX_FRAME:
                raise ValueError("broken frame length")
            if end - at - 4 < length:
                break
            out.append((number, memoryview(bytes(buf[at + HEAD.size : at + 4 + length]))))
            at += 4 + length
        if at:
            del buf[:at]
        return out
