"""The frames between a web worker and the screening engine's process (credit/gateway/frames.py)."""

from __future__ import annotations

import pytest

from zhixing.credit.gateway.frames import (
    HEAD,
    Reader,
    answer_frame,
    job_frame,
    read_answer,
    read_job,
)
from zhixing.credit.gateway.wire import Answer, Job


def _job(**over: object) -> Job:
    fields: dict[str, object] = {
        "kind": "batch",
        "key": "zxp_abc",
        "content_type": "text/plain",
        "accept": "text/csv",
        "query": "court=1&x=%E4%B8%AD",
        "body": b"110101199003074514\n110101199003074515\n",
    }
    fields.update(over)
    return Job(**fields)  # type: ignore[arg-type]


def _fields(job: Job) -> tuple[object, ...]:
    return (job.kind, job.key, job.content_type, job.accept, job.query, job.body)


@pytest.mark.parametrize(
    "job",
    [
        _job(),
        _job(kind="check", body=b'{"id": "110101199003074514"}', query="", accept=""),
        _job(key="", content_type="", accept="", query="", body=b""),
        # Header values the web worker decoded as Latin-1 (any byte) and a lone surrogate: unchanged.
        _job(key="zxp_\xe9\xff", content_type="application/json; charset=\udcff"),
        _job(body=bytes(range(256)) * 40),
    ],
)
def test_a_request_arrives_as_it_was_sent(job: Job) -> None:
    frame = job_frame(7, job)
    frames = Reader().feed(frame)
    assert [n for n, _ in frames] == [7]
    assert _fields(read_job(frames[0][1])) == _fields(job)


def test_an_answer_arrives_as_it_was_sent_without_its_audit_call() -> None:
    answer = Answer(
        429,
        "请求过于频繁".encode(),
        content_type="text/csv; charset=utf-8",
        headers=[(b"retry-after", b"60"), (b"x-screening-hits", b"3"), (b"x-empty", b"")],
    )
    got = read_answer(Reader().feed(answer_frame(2**40, answer))[0][1])
    assert (got.status, got.body, got.content_type, got.headers, got.call) == (
        429,
        "请求过于频繁".encode(),
        "text/csv; charset=utf-8",
        [(b"retry-after", b"60"), (b"x-screening-hits", b"3"), (b"x-empty", b"")],
        None,
    )


@pytest.mark.parametrize("chunk", [1, 3, 17, 1000])
def test_frames_split_anywhere_are_joined_in_order(chunk: int) -> None:
    jobs = [_job(key=f"k{i}", body=b"x" * i) for i in range(12)]
    stream = b"".join(job_frame(i, job) for i, job in enumerate(jobs))
    reader, got = Reader(), []
    for at in range(0, len(stream), chunk):
        got += reader.feed(stream[at : at + chunk])
    assert [n for n, _ in got] == list(range(12))
    assert [_fields(read_job(p)) for _, p in got] == [_fields(j) for j in jobs]
    assert reader.buf == bytearray()


def test_a_broken_peer_is_refused_not_read() -> None:
    with pytest.raises(ValueError, match="frame length"):
        Reader().feed(HEAD.pack(3, 1))  # shorter than its own request number
    frame = bytearray(job_frame(1, _job()))
    frame[HEAD.size] = ord("x")  # an unknown kind
    with pytest.raises(ValueError, match="not a screening request"):
        read_job(Reader().feed(bytes(frame))[0][1])
    truncated = job_frame(1, _job())[:-1]
    # A frame whose payload lengths disagree with its own length is refused too.
    short = HEAD.pack(len(truncated) - 4, 1) + truncated[HEAD.size :]
    with pytest.raises(ValueError, match="not a screening request"):
        read_job(Reader().feed(short)[0][1])
