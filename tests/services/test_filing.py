"""Filing: case numbers, parties, claim arithmetic, deadlines created, and bad input changing nothing."""

import threading
import time
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connections

from tests import factories
from zhixing.cases import services
from zhixing.cases.models import CaseNumberCounter, EnforcementCase, Node, Party
from zhixing.core.audit import verify_chain
from zhixing.core.errors import NeedsConfirmation, NotPermitted, ServiceError
from zhixing.core.models import AuditRecord

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def test_case_numbers_are_consecutive_per_court_type_year(people, courts):
    clerk = people["clerk"]
    first = factories.case(clerk)
    second = factories.case(clerk)
    assert first.number == "（2026）粤0106执1号"
    assert second.number == "（2026）粤0106执2号"
    yx_clerk = factories.staff(courts["yx"], "clerk")
    assert factories.case(yx_clerk).number == "（2026）粤0104执1号"
    # A 执保 case names the lawsuit whose preservation ruling it carries out (诉执衔接).
    preserved = factories.case(clerk, case_type="执保", lawsuit_number="（2026）粤0106民初7号")
    assert preserved.number == "（2026）粤0106执保1号"
    last_year = factories.case(clerk, filed_on=date(2025, 12, 30), applied_on=date(2025, 12, 29))
    assert last_year.number == "（2025）粤0106执1号"
    assert CaseNumberCounter.objects.get(court=courts["th"], case_type__code="执", year=2026).last == 2


def test_filing_stores_parties_claim_and_fee(people):
    case = factories.case(people["clerk"], principal="500000", adjudged_interest="0", litigation_costs="0")
    assert case.application_fee == Decimal("7400.00")
    assert case.claim_amount == Decimal("500000.00")
    debtor = case.parties.get(role=Party.Role.DEBTOR)
    assert (debtor.sex, debtor.birth_date, debtor.is_minor) == ("M", date(1991, 1, 1), False)
    assert [a.name for a in debtor.aliases.all()] == ["张叁"]
    applicant = case.parties.get(role=Party.Role.APPLICANT)
    assert applicant.credit_code == factories.VALID_CREDIT


def test_filing_creates_nodes_with_computed_deadlines(people):
    case = factories.case(people["clerk"])  # applied 2026-03-02, filed 2026-03-04
    due = {n.node_type.code: (n.status, n.due_on) for n in case.nodes.select_related("node_type")}
    assert due == {
        "decide_filing": ("done", date(2026, 3, 9)),
        "assign_handler": ("pending", date(2026, 3, 11)),
        "network_inquiry": ("pending", date(2026, 3, 9)),
        # 民诉解释 Art 480 (2022): 10 days from receipt of the application (2 March), not from filing (4
        # March). Before issue 15 this asserted 16 March (4 March + 10 = Saturday 14th, rolled to Monday).
        "notice": ("pending", date(2026, 3, 12)),
        "investigation": ("pending", date(2026, 4, 7)),  # 4 April is Qingming: rolled past the holiday
        "term": ("pending", date(2026, 9, 4)),
    }
    case.refresh_from_db()
    assert case.term_due == date(2026, 9, 4)
    assert case.next_due_on == date(2026, 3, 9)


def test_notice_counts_from_receipt_past_a_holiday(people):
    # Received Friday 26 Sep 2025, filed Monday 29 Sep: 26 Sep + 10 = 6 Oct, inside the National Day
    # holiday (1–8 Oct 2025) → the first working day after it, Thursday 9 Oct (CPL Art 85).
    case = factories.case(
        people["clerk"],
        applied_on=date(2025, 9, 26),
        filed_on=date(2025, 9, 29),
        effective_on=date(2025, 8, 1),
        performance_deadline=date(2025, 8, 20),
    )
    notice = case.nodes.get(node_type__code="notice")
    assert (notice.started_on, notice.due_on) == (date(2025, 9, 26), date(2025, 10, 9))


def test_node_type_anchor_change_reanchors_pending_nodes(people):
    from zhixing.cases.models import NodeType
    from zhixing.cases.services import recompute_case_deadlines

    case = factories.case(people["clerk"])
    NodeType.objects.filter(code="notice").update(anchor=NodeType.Anchor.FILED)
    recompute_case_deadlines(case)
    notice = case.nodes.get(node_type__code="notice")
    assert (notice.started_on, notice.due_on) == (date(2026, 3, 4), date(2026, 3, 16))


def test_non_litigation_term_is_three_months(people):
    case = factories.case(people["clerk"], instrument_type="administrative_decision")
    assert case.non_litigation is True
    assert case.term_due == date(2026, 6, 4)


def test_minor_debtor_is_flagged(people):
    minor_id = factories.make_id(date(2010, 5, 1))
    case = factories.case(
        people["clerk"],
        parties=[
            services.PartyData(
                role="applicant", kind="person", name="李四", id_number=factories.VALID_IDS[1]
            ),
            services.PartyData(role="debtor", kind="person", name="小王", id_number=minor_id),
        ],
    )
    assert case.parties.get(role="debtor").is_minor is True


def _nothing_written(before_cases: int, before_audit: int) -> None:
    assert EnforcementCase.objects.count() == before_cases
    assert AuditRecord.objects.count() == before_audit
    assert Node.objects.filter(case__isnull=True).count() == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"principal": "-1"}, "principal"),
        ({"principal": "100.001"}, "principal"),
        ({"principal": "99999999999999999"}, "principal"),
        ({"principal": "abc"}, "principal"),
        ({"litigation_costs": "-5"}, "litigation_costs"),
        ({"principal": "0"}, "principal"),
        ({"performance_deadline": date(2025, 11, 1)}, "performance_deadline"),
        # 执行工作规定 Art 16: the period had not expired on the day the application came in.
        ({"performance_deadline": date(2026, 3, 2)}, "performance_deadline"),
        ({"performance_deadline": date(2026, 12, 31)}, "performance_deadline"),
        ({"filed_on": date(2026, 3, 11)}, "filed_on"),
        ({"applied_on": date(2026, 3, 5)}, "applied_on"),
        ({"case_type": "执配"}, "case_type"),
        ({"case_type": "执恢"}, "case_type"),
        ({"instrument_type": "nonsense"}, "instrument_type"),
        ({"basis_number": "  "}, "basis_number"),
    ],
)
def test_bad_filing_input_names_the_field_and_writes_nothing(people, overrides, field):
    before = (EnforcementCase.objects.count(), AuditRecord.objects.count())
    with pytest.raises(ServiceError) as err:
        factories.case(people["clerk"], **overrides)
    assert err.value.field == field
    assert err.value.message
    _nothing_written(*before)


@pytest.mark.parametrize(
    ("party", "field"),
    [
        (
            services.PartyData(role="debtor", kind="person", name="错号", id_number="110105194912310021"),
            "parties[1].id_number",
        ),
        (
            services.PartyData(role="debtor", kind="person", name="错日期", id_number="110105194913310026"),
            "parties[1].id_number",
        ),
        (services.PartyData(role="debtor", kind="person", name="无号"), "parties[1].id_number"),
        (
            services.PartyData(
                role="debtor", kind="organisation", name="坏公司", credit_code="91110000600037341A"
            ),
            "parties[1].credit_code",
        ),
        (services.PartyData(role="debtor", kind="person", name=""), "parties[1].name"),
    ],
)
def test_bad_party_identity_is_refused(people, party, field):
    applicant = services.PartyData(
        role="applicant", kind="organisation", name="某银行", credit_code=factories.VALID_CREDIT
    )
    before = (EnforcementCase.objects.count(), AuditRecord.objects.count())
    with pytest.raises(ServiceError) as err:
        factories.case(people["clerk"], parties=[applicant, party])
    assert err.value.field == field
    _nothing_written(*before)


def test_a_case_needs_an_applicant_and_a_debtor(people):
    only_debtor = [
        services.PartyData(role="debtor", kind="person", name="张三", id_number=factories.VALID_IDS[2])
    ]
    with pytest.raises(ServiceError) as err:
        factories.case(people["clerk"], parties=only_debtor)
    assert err.value.field == "parties"


def test_duplicate_filing_warns_and_needs_confirmation(people):
    first = factories.case(people["clerk"], basis_number="（2025）粤0106民初77号")
    with pytest.raises(NeedsConfirmation) as err:
        factories.case(people["clerk"], basis_number="（2025）粤0106民初77号")
    assert first.number in err.value.message
    again = factories.case(people["clerk"], basis_number="（2025）粤0106民初77号", confirm_duplicate=True)
    assert again.number == "（2026）粤0106执2号"


@pytest.mark.parametrize(
    "spelling",
    [
        "(2025)粤0106民初77号",
        "（２０２５）粤0106民初77号",
        " （2025） 粤0106民初77号 ",
        "〔2025〕粤0106民初77号",
    ],
)
def test_duplicate_is_found_however_the_basis_is_spelled(people, spelling):
    first = factories.case(people["clerk"], basis_number="（2025）粤0106民初77号")
    with pytest.raises(services.DuplicateFiling) as err:
        factories.case(people["clerk"], basis_number=spelling)
    assert err.value.numbers == [first.number]
    assert err.value.field == "confirm_duplicate"


def test_other_courts_cases_are_neither_duplicates_nor_named(people, courts):
    yx_clerk = factories.staff(courts["yx"], "clerk")
    factories.case(yx_clerk, basis_number="（2025）粤0106民初77号")
    own = factories.case(people["clerk"], basis_number="（2025）粤0106民初77号")
    assert own.number == "（2026）粤0106执1号"


def test_closed_cases_are_not_duplicates(people):
    first = factories.case(people["clerk"], basis_number="（2025）粤0106民初78号")
    services.close_case(
        people["judge"],
        first,
        mode="withdrawn",
        closed_on=date(2026, 3, 10),
        details={"document_ref": "销案通知", "ground": "other"},
    )
    assert factories.case(people["clerk"], basis_number="（2025）粤0106民初78号").number.endswith("执2号")


def test_a_confirmation_covers_the_cases_shown_not_later_ones(people):
    basis = "（2025）粤0106民初79号"
    first = factories.case(people["clerk"], basis_number=basis)
    second = factories.case(
        people["clerk"], basis_number=basis, confirm_duplicate=True, confirmed_duplicates=[first.number]
    )
    # The same confirmed form submitted again (a double click): the second case was not shown.
    before = EnforcementCase.objects.count()
    with pytest.raises(services.DuplicateFiling) as err:
        factories.case(
            people["clerk"], basis_number=basis, confirm_duplicate=True, confirmed_duplicates=[first.number]
        )
    assert err.value.numbers == [first.number, second.number]
    assert EnforcementCase.objects.count() == before


def _race(n: int, submit):
    """Run `submit(i)` in `n` threads started together; (results, errors) in thread order."""
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = submit(i)
        except BaseException as exc:  # collected, asserted by the test
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def slow_numbering(monkeypatch):
    """Widen the race: every filing lingers in its transaction before it takes a case number."""
    from zhixing.cases.services import filing

    original = filing._next_seq

    def slow(*args, **kwargs):
        time.sleep(0.3)
        return original(*args, **kwargs)

    monkeypatch.setattr(filing, "_next_seq", slow)


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_of_one_application_file_one_case(people, monkeypatch):
    """Four clerks submit the same application at once: one case; three are told its number.

    Runs on SQLite and PostgreSQL: before the fix, each submission checked for duplicates before its
    transaction and all four were filed.
    """
    slow_numbering(monkeypatch)
    clerks = [people["clerk"], people["assistant"], people["judge"], people["director"]]
    basis = "（2025）粤0106民初555号"
    with time_machine.travel(NOW, tick=True):
        results = _race(len(clerks), lambda i: factories.case(clerks[i], basis_number=basis))
    filed = [r for r in results if isinstance(r, EnforcementCase)]
    refused = [r for r in results if isinstance(r, services.DuplicateFiling)]
    assert len(filed) == 1, results
    assert len(refused) == 3, results
    assert all(r.numbers == [filed[0].number] for r in refused)
    assert all(filed[0].number in str(r) for r in refused)
    assert EnforcementCase.objects.count() == 1
    assert verify_chain().ok


@pytest.mark.parametrize("who", ["bailiff", "finance", "operator", "president", "gz_director", "yx_director"])
def test_only_own_court_filing_roles_may_file(people, courts, who):
    with pytest.raises(NotPermitted):
        services.file_case(people[who], courts["th"], factories.filing())
    assert EnforcementCase.objects.count() == 0


def test_filing_is_audited(people):
    case = factories.case(people["clerk"])
    rec = AuditRecord.objects.get(action="case.file")
    assert rec.case_id == case.pk
    assert rec.actor_id == people["clerk"].pk
    assert rec.after["number"] == "（2026）粤0106执1号"
