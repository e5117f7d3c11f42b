"""Permission matrix of the documents pages: each URL × each 粤0106 role, the higher courts, a sibling court,
a platform administrator and anonymous. 200 page / 302 done / L to the login page / 403 refused / 404 not
readable. Documents with full identity numbers download only for identity.view or inquiry.request."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests import factories
from zhixing.documents import pdf, services

# backend_neutral: a role × route matrix decides the same on both databases; the PostgreSQL stage skips it
# (docs/adr/0029-postgresql-stage-runs-what-can-differ.md).
pytestmark = [pytest.mark.django_db, pytest.mark.backend_neutral]

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
    "admin",
    "anon",
]


def _case(p: dict[str, Any]) -> Any:
    case = factories.case(p["clerk"])
    factories.serve_notice(case)
    return case


def _doc(p: dict[str, Any], code: str = "enforcement_notice") -> Any:
    case = _case(p)
    if code == "fine_decision":
        debtor = str(case.parties.get(role="debtor").pk)
        return services.generate(p["judge"], case, code, debtor, {"act": "拒不报告财产", "amount": "1000"})
    return services.generate(p["judge"], case, code)


def _template_file() -> bytes:
    return services.default_file("closing_notice").read_bytes()


Setup = Callable[[dict[str, Any]], tuple[str, dict[str, Any]]]
ROWS: list[tuple[str, str, Setup, str]] = [
    (
        "case documents page",
        "GET",
        lambda p: (reverse("case_documents", args=[_case(p).pk]), {}),
        "200 200 200 200 200 200 200 200 200 200 404 404 L",
    ),
    (
        "make a document",
        "POST",
        lambda p: (reverse("case_document_generate", args=[_case(p).pk]), {"kind": "enforcement_notice"}),
        "302 302 302 403 403 403 302 403 403 403 404 404 L",
    ),
    (
        "download Word",
        "GET",
        lambda p: (reverse("document_docx", args=[_doc(p).pk]), {}),
        "200 200 200 200 200 200 200 200 200 200 404 404 L",
    ),
    (
        "download PDF",
        "GET",
        lambda p: (reverse("document_pdf", args=[_doc(p).pk]), {}),
        "200 200 200 200 200 200 200 200 200 200 404 404 L",
    ),
    (
        "download a document with full identity numbers",
        "GET",
        lambda p: (reverse("document_docx", args=[_doc(p, "fine_decision").pk]), {}),
        "403 200 200 403 200 403 200 200 200 200 404 404 L",
    ),
    (
        "templates page",
        "GET",
        lambda p: (reverse("document_templates"), {}),
        "200 200 200 200 200 200 200 200 200 200 200 200 L",
    ),
    (
        "template versions page",
        "GET",
        lambda p: (reverse("document_template_versions", args=["closing_notice"]), {}),
        "200 200 200 200 200 200 200 200 200 200 200 200 L",
    ),
    (
        "upload a template version",
        "POST",
        lambda p: (
            reverse("document_template_upload", args=["closing_notice"]),
            {"file": io.BytesIO(_template_file()), "note": "调整措辞"},
        ),
        "403 403 403 403 403 403 403 403 403 403 403 302 L",
    ),
    (
        "choose the current version",
        "POST",
        lambda p: (reverse("document_template_current", args=["closing_notice"]), {"number": "1"}),
        "403 403 403 403 403 403 403 403 403 403 403 302 L",
    ),
]


@pytest.fixture
def everyone(people: dict[str, Any], settings: Any, tmp_path: Any) -> dict[str, Any]:
    settings.MEDIA_ROOT = tmp_path / "media"
    admin = factories.staff(people["judge"].court, "judge", username="th_admin")
    admin.is_superuser = True
    admin.court = None
    admin.save()
    return {**people, "admin": admin}


@pytest.fixture
def pdf_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Draw each distinct Word file to PDF once; the other roles' downloads of it reuse the drawing.

    Every role downloads the very same document (see `test_matrix`), and the view decides who may read
    it before drawing, so a second drawing of the same bytes proves nothing more and costs seconds."""
    drawn: dict[tuple[bytes, str], bytes] = {}
    draw = pdf.docx_to_pdf

    def once(data: bytes, title: str = "") -> bytes:
        if (data, title) not in drawn:
            drawn[(data, title)] = draw(data, title)
        return drawn[(data, title)]

    monkeypatch.setattr(pdf, "docx_to_pdf", once)


@pytest.mark.parametrize(("name", "method", "setup", "expected"), ROWS, ids=[r[0] for r in ROWS])
def test_matrix(
    everyone: dict[str, Any], pdf_once: None, name: str, method: str, setup: Setup, expected: str
) -> None:
    """The row's data is made once; each caller's request runs in a savepoint rolled back after it, so
    every caller meets the same fresh state (a refusal cannot lean on an earlier caller's action)."""
    got = []
    url, data = setup(everyone)
    for who in USERS:
        client = Client()
        if who != "anon":
            client.force_login(everyone[who])
        with transaction.atomic():
            if method == "POST":
                body = {
                    k: io.BytesIO(v.getvalue()) if isinstance(v, io.BytesIO) else v for k, v in data.items()
                }
                r = client.post(url, body)
            else:
                r = client.get(url)
            transaction.set_rollback(True)
        if r.status_code == 302:
            got.append("L" if "/login" in r["Location"] else "302")
        else:
            got.append(str(r.status_code))
        if r.status_code == 200 and name == "download PDF":
            assert r["Content-Type"] == "application/pdf" and r.content.startswith(b"%PDF-"), who
    assert " ".join(got) == expected
