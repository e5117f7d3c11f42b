"""The inquiry log's case links open for every post that reads the log (issue 3 walk, 5 Dec 2026).

The president and the higher court's president read the log (supervision) but not the asset register
(least knowledge): the demo walk found their case links answering 403. A post that opens registers is
taken to the case's register; the others to the case page.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.inquiry.conftest import open_case
from zhixing.inquiry import services

pytestmark = pytest.mark.django_db

HREF = re.compile(r'<td><a href="([^"]+)">（')
READERS = [
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
]


def test_every_case_link_of_the_log_opens(people: dict[str, Any], quiet: None) -> None:
    case = open_case(people)
    services.start_inquiry(people["judge"], case, ["deposit"])
    register = reverse("inquiry_case", args=[case.pk])
    detail = reverse("case_detail", args=[case.pk])
    got = {}
    for who in READERS:
        client = Client()
        client.force_login(people[who])
        links = set(HREF.findall(client.get(reverse("inquiry_log")).content.decode()))
        assert links and all(client.get(url).status_code == 200 for url in links), (who, links)
        got[who] = links
    # posts that open registers are taken to the register, the others (the presidents among them) to the
    # case page
    page = {"clerk", "bailiff", "finance", "president", "gd_president"}
    assert got == {who: {detail if who in page else register} for who in READERS}
