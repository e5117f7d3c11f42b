"""Public portal pages (no login, rate-limited, bad input) and the staff pages' permission matrix."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests.portal.conftest import PNG
from zhixing.portal import petitions_services, public_codes, tips_services
from zhixing.portal.models import Tip, TipPhoto

pytestmark = pytest.mark.django_db

USERS = [
    "clerk",
    "judge",
    "assistant",
    "bailiff",
    "operator",
    "finance",
    "director",
    "president",
    "gz_director",
    "gd_president",
    "yx_director",
    "anon",
]


def _tip(case: Any) -> Tip:
    return tips_services.submit(
        tips_services.TipData(
            case.number, "assets", "线索", "李群众", "13800138000", (tips_services.Photo("a.png", PNG),)
        )
    )


def test_progress_by_case_number_and_code_and_one_error_for_every_failure(
    pcase: Any, people: dict[str, Any]
) -> None:
    code = public_codes.issue(people["judge"], pcase).query_code
    c = Client()
    ok = c.post(reverse("public_progress"), {"number": pcase.number, "code": code})
    assert ok.status_code == 200
    body = ok.content.decode()
    assert pcase.number in body and "王某某" in body and "王小明" not in body
    answers = []
    for number, typed in [
        (pcase.number, "ZZZZZZZZ" if code != "ZZZZZZZZ" else "YYYYYYYY"),
        ("（2026）粤0106执4040号", code),
        (pcase.number, "<script>"),
    ]:
        resp = c.post(reverse("public_progress"), {"number": number, "code": typed})
        assert resp.status_code == 404
        answers.append(resp.context["error"])
        assert "progress-result" not in resp.content.decode()
    assert answers == [public_codes.GENERIC] * 3


def test_progress_lookups_are_rate_limited_per_client(pcase: Any, settings: Any) -> None:
    settings.ZHIXING_PORTAL_PUBLIC = {"code_tries_per_hour": 2}
    c = Client()
    statuses = [
        c.post(reverse("public_progress"), {"number": pcase.number, "code": "ABCDEFGH"}).status_code
        for _ in range(3)
    ]
    assert statuses == [404, 404, 429]


def test_public_pages_are_rate_limited(settings: Any) -> None:
    settings.ZHIXING_PORTAL_PUBLIC = {"public_per_minute": 2}
    c = Client()
    assert [c.get(reverse("public_portal")).status_code for _ in range(3)] == [200, 200, 429]


def test_a_tip_with_a_photo_is_accepted_and_bad_uploads_get_a_clear_error(pcase: Any) -> None:
    c = Client()
    post = {
        "case_number": pcase.number,
        "kind": "whereabouts",
        "content": "被执行人常在某商场出现",
        "reporter_name": "李群众",
        "reporter_phone": "13800138000",
    }
    bad = c.post(reverse("public_tip"), {**post, "photos": SimpleUploadedFile("x.jpg", b"%PDF-1.4 nope")})
    assert bad.status_code == 422
    assert bad.context["error"] == "照片“x.jpg”不是JPEG或PNG图片，请上传照片文件"
    assert Tip.objects.count() == 0
    ok = c.post(reverse("public_tip"), {**post, "photos": SimpleUploadedFile("p.png", PNG, "image/png")})
    assert ok.status_code == 200
    tip = Tip.objects.get()
    assert ok.context["reference"] == tip.reference and TipPhoto.objects.filter(tip=tip).count() == 1


def test_an_oversized_tip_is_refused_before_it_is_read(pcase: Any, settings: Any) -> None:
    settings.ZHIXING_PORTAL_PUBLIC = {"photos_max": 1, "photo_max_bytes": 1024}
    big = SimpleUploadedFile("big.png", PNG + b"\x00" * (300 * 1024), "image/png")
    resp = Client().post(
        reverse("public_tip"), {"case_number": pcase.number, "kind": "assets", "content": "x", "photos": big}
    )
    assert resp.status_code == 413
    assert (
        resp.context["error"] == "提交的内容过大（照片最多1张、每张不超过0MB），请删减后重新提交，本次未受理"
    )
    assert Tip.objects.count() == 0


def test_a_public_petition_is_registered_with_its_due_day(pcase: Any) -> None:
    resp = Client().post(
        reverse("public_petition"),
        {
            "case_number": pcase.number,
            "content": "执行太慢",
            "petitioner_name": "信访人",
            "petitioner_phone": "13700137000",
        },
    )
    assert resp.status_code == 200 and resp.context["due_on"].isoformat() == "2026-04-22"


# -- staff pages: who may open and do what -------------------------------------------------------------

Setup = Callable[[dict[str, Any], Any], tuple[str, str, dict[str, str]]]


def _get(name: str, with_case: bool = False) -> Setup:
    return lambda p, case: ("GET", reverse(name, args=[case.pk] if with_case else []), {})


def _photo(p: dict[str, Any], case: Any) -> tuple[str, str, dict[str, str]]:
    return "GET", reverse("portal_tip_photo", args=[TipPhoto.objects.get(tip=_tip(case)).pk]), {}


def _code(p: dict[str, Any], case: Any) -> tuple[str, str, dict[str, str]]:
    return "POST", reverse("portal_case_action", args=[case.pk, "code"]), {}


def _reward(p: dict[str, Any], case: Any) -> tuple[str, str, dict[str, str]]:
    return (
        "POST",
        reverse("portal_case_action", args=[case.pk, "reward"]),
        {"amount": "1000", "terms": "悬赏"},
    )


def _act(p: dict[str, Any], case: Any) -> tuple[str, str, dict[str, str]]:
    return "POST", reverse("portal_row_action", args=["tips", _tip(case).pk, "act"]), {"note": "已核查"}


def _answer(p: dict[str, Any], case: Any) -> tuple[str, str, dict[str, str]]:
    row = petitions_services.register(
        None, petitions_services.PetitionData(case.number, "信访人", "13700137000", "请尽快执行")
    )
    return "POST", reverse("portal_row_action", args=["petitions", row.pk, "answer"]), {"answer": "已答复"}


#                                              clerk judge asst bail oper fin  dir  pres gz   gd   yx   anon
MATRIX: list[tuple[str, Setup, str]] = [
    ("tips list", _get("portal_tips"), "200 200 200 200 200 200 200 200 200 200 200 L"),
    ("petitions list", _get("portal_petitions"), "200 200 200 200 200 200 200 200 200 200 200 L"),
    ("rulings list", _get("portal_rulings"), "200 200 200 200 200 200 200 200 200 200 200 L"),
    ("case page", _get("portal_case", True), "200 200 200 200 200 200 200 200 200 200 404 L"),
    ("case badge", _get("portal_case_badge", True), "200 200 200 200 200 200 200 200 200 200 404 L"),
    ("tip photo", _photo, "200 200 200 200 200 200 200 200 200 200 404 L"),
    ("issue code", _code, "403 302 302 403 403 403 302 403 403 403 404 L"),
    ("offer reward", _reward, "403 302 403 403 403 403 302 403 403 403 404 L"),
    ("act on tip", _act, "403 302 302 403 403 403 302 403 403 403 404 L"),
    ("answer petition", _answer, "403 302 403 403 403 403 302 403 403 403 404 L"),
]


def _status(resp: Any) -> str:
    if resp.status_code == 302 and resp["Location"].startswith("/login/"):
        return "L"
    return str(resp.status_code)


@pytest.mark.parametrize(("label", "setup", "expected"), MATRIX, ids=[m[0] for m in MATRIX])
def test_permission_matrix(
    label: str, setup: Setup, expected: str, pcase: Any, people: dict[str, Any]
) -> None:
    got = []
    for who in USERS:
        sid = transaction.savepoint()
        client = Client()
        if who != "anon":
            client.force_login(people[who])
        method, url, data = setup(people, pcase)
        resp = client.get(url) if method == "GET" else client.post(url, data)
        got.append(_status(resp))
        transaction.savepoint_rollback(sid)
    assert " ".join(got) == expected


def test_list_pages_cost_the_same_queries_for_one_row_or_many(
    pcase: Any, people: dict[str, Any], django_assert_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(people["judge"])
    counts = []
    for n in (1, 5):
        while Tip.objects.count() < n:
            _tip(pcase)
            petitions_services.register(
                None, petitions_services.PetitionData(pcase.number, "信访人", "13700137000", "请尽快执行")
            )
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("portal_tips") + "?status=new").status_code == 200
            assert client.get(reverse("portal_petitions")).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
    assert counts[0] <= 40  # budget for the two pages together (session, menu, worklist, two lists)
