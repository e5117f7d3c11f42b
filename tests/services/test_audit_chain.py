"""The audit chain detects an edited record and a deleted record, and the command names the link."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from tests import factories
from zhixing.core.audit import verify_chain
from zhixing.core.models import AuditRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(people):
    for _ in range(3):
        factories.case(people["clerk"])
    return list(AuditRecord.objects.order_by("id"))


def test_intact_chain_verifies(chain, capsys):
    report = verify_chain()
    assert report.ok
    assert report.checked == len(chain)
    call_command("verify_audit")
    assert f"共{len(chain)}条" in capsys.readouterr().out


def test_edited_record_is_named(chain):
    victim = chain[-2]
    # Tamper behind the application's back, as someone with database access would.
    with connection.cursor() as cur:
        cur.execute("UPDATE core_auditrecord SET action = %s WHERE id = %s", ["case.delete", victim.pk])
    report = verify_chain()
    assert report.broken_at == victim.pk
    assert "篡改" in report.reason
    with pytest.raises(CommandError, match=f"#{victim.pk}"):
        call_command("verify_audit")


def test_edited_payload_is_detected(chain):
    victim = chain[3]
    AuditRecord.objects.filter(pk=victim.pk).update(after={"number": "forged"})
    assert verify_chain().broken_at == victim.pk


def test_deleted_record_is_named_by_its_successor(chain):
    victim, successor = chain[2], chain[3]
    AuditRecord.objects.filter(pk=victim.pk).delete()
    report = verify_chain()
    assert report.broken_at == successor.pk
    assert "删除" in report.reason


def test_deleted_last_record_is_detected(chain):
    AuditRecord.objects.filter(pk=chain[-1].pk).delete()
    report = verify_chain()
    assert report.broken_at == chain[-1].pk
