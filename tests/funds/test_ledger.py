"""The funds ledger: appropriations, allocations down the tree, disbursements and
reversals. The invariants (at an area, allocated ≤ received; at a project, disbursed ≤
received) hold after any sequence of postings, and a posting that would break one is
refused with the record and field named, changing nothing."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fupin.core.errors import Conflict, InvalidInput
from fupin.funds import services
from fupin.funds.models import Account, AppendOnlyError, Entry
from fupin.funds.services import Overdrawn, check_accounts
from fupin.geo.models import AdminArea
from fupin.programs import services as programs
from tests.conftest import BAYAN, YANSHOU

PROVINCE = "230000000000"
DAY = dt.date(2009, 5, 1)


def _project(actor, code: str, area_code: str):
    return programs.project_create(
        actor=actor,
        data=programs.ProjectData(
            code=code,
            name=f"项目{code}",
            program="village_advancement",
            category="infrastructure",
            area_code=area_code,
            start_year=2009,
            end_year=2009,
        ),
    )


@pytest.fixture
def tree(db, province_user, yanshou_village, bayan_village):
    areas = {code: AdminArea.objects.get(code=code) for code in (PROVINCE, YANSHOU, BAYAN)}
    projects = {
        "p1": _project(province_user, "P1", yanshou_village),
        "p2": _project(province_user, "P2", bayan_village),
    }
    return areas, projects


def _balance(**node) -> tuple[Decimal, Decimal, Decimal]:
    account = Account.objects.filter(source="central", year=2009, **node).first()
    return (account.received, account.allocated, account.disbursed) if account else (0, 0, 0)


def test_money_flows_down_and_out(tree, province_user):
    areas, projects = tree
    services.appropriate(actor=province_user, area=areas[PROVINCE], source="central", year=2009, amount="1000", on=DAY)
    services.allocate(
        actor=province_user,
        from_area=areas[PROVINCE],
        to_area=areas[YANSHOU],
        source="central",
        year=2009,
        amount="600",
        on=DAY,
    )
    services.allocate(
        actor=province_user,
        from_area=areas[YANSHOU],
        project=projects["p1"],
        source="central",
        year=2009,
        amount="500",
        on=DAY,
    )
    services.disburse(actor=province_user, project=projects["p1"], source="central", year=2009, amount="450", on=DAY)
    assert _balance(area=areas[PROVINCE]) == (1000, 600, 0)
    assert _balance(area=areas[YANSHOU]) == (600, 500, 0)
    assert _balance(project=projects["p1"]) == (500, 0, 450)
    assert check_accounts() == []


@pytest.mark.parametrize(
    "posting",
    ["allocation beyond the appropriation", "over-disbursement", "allocation to a project elsewhere", "bad amount"],
)
def test_a_posting_that_breaks_the_ledger_is_refused_and_changes_nothing(tree, province_user, posting):
    areas, projects = tree
    services.appropriate(actor=province_user, area=areas[PROVINCE], source="central", year=2009, amount="1000", on=DAY)
    services.allocate(
        actor=province_user,
        from_area=areas[PROVINCE],
        to_area=areas[YANSHOU],
        source="central",
        year=2009,
        amount="300",
        on=DAY,
    )
    services.allocate(
        actor=province_user,
        from_area=areas[YANSHOU],
        project=projects["p1"],
        source="central",
        year=2009,
        amount="200",
        on=DAY,
    )
    entries, balances = Entry.objects.count(), list(Account.objects.values_list("received", "allocated", "disbursed"))
    with pytest.raises(InvalidInput) as exc:
        if posting == "allocation beyond the appropriation":
            services.allocate(
                actor=province_user,
                from_area=areas[PROVINCE],
                to_area=areas[BAYAN],
                source="central",
                year=2009,
                amount="700.01",
                on=DAY,
            )
        elif posting == "over-disbursement":
            services.disburse(
                actor=province_user, project=projects["p1"], source="central", year=2009, amount="200.01", on=DAY
            )
        elif posting == "allocation to a project elsewhere":
            services.allocate(
                actor=province_user,
                from_area=areas[YANSHOU],
                project=projects["p2"],
                source="central",
                year=2009,
                amount="1",
                on=DAY,
            )
        else:
            services.disburse(actor=province_user, project=projects["p1"], source="central", year=2009, amount="-5")
    assert exc.value.record and exc.value.field
    if posting in ("allocation beyond the appropriation", "over-disbursement"):
        assert isinstance(exc.value, Overdrawn) and exc.value.field == "amount"
    assert Entry.objects.count() == entries
    assert list(Account.objects.values_list("received", "allocated", "disbursed")) == balances


def test_a_reversal_corrects_and_cannot_strand_money_that_moved_on(tree, province_user):
    areas, projects = tree
    appropriation = services.appropriate(
        actor=province_user, area=areas[PROVINCE], source="central", year=2009, amount="1000", on=DAY
    )
    allocation = services.allocate(
        actor=province_user,
        from_area=areas[PROVINCE],
        to_area=areas[YANSHOU],
        source="central",
        year=2009,
        amount="600",
        on=DAY,
    )
    services.allocate(
        actor=province_user,
        from_area=areas[YANSHOU],
        project=projects["p1"],
        source="central",
        year=2009,
        amount="500",
        on=DAY,
    )
    with pytest.raises(Overdrawn):  # Yanshou passed 500 of the 600 on
        services.reverse(actor=province_user, entry=allocation, reason="wrong county")
    with pytest.raises(Overdrawn):  # the province allocated 600 of the 1000
        services.reverse(actor=province_user, entry=appropriation, reason="withdrawn")
    assert Entry.objects.filter(reverses__isnull=False).count() == 0
    to_project = Entry.objects.get(project=projects["p1"], kind="allocation")
    correction = services.reverse(actor=province_user, entry=to_project, reason="project cancelled")
    assert correction.amount == Decimal("-500") and correction.reverses == to_project
    services.reverse(actor=province_user, entry=allocation, reason="wrong county")
    assert _balance(area=areas[YANSHOU]) == (0, 0, 0)
    with pytest.raises(Conflict):
        services.reverse(actor=province_user, entry=allocation, reason="again")
    with pytest.raises(InvalidInput):
        services.reverse(actor=province_user, entry=correction, reason="undo the undo")
    assert check_accounts() == []


def test_entries_are_never_changed_or_deleted(tree, province_user):
    areas, _ = tree
    entry = services.appropriate(actor=province_user, area=areas[PROVINCE], source="central", year=2009, amount="1")
    entry.amount = Decimal("2")
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        Entry.objects.filter(pk=entry.pk).update(amount=3)
    with pytest.raises(AppendOnlyError):
        Entry.objects.all().delete()
    assert Entry.objects.get(pk=entry.pk).amount == 1


# --- property: any sequence of postings keeps the invariants ------------------------------------

NODES = ["province", "yanshou", "bayan", "p1", "p2"]
PARENT = {"yanshou": "province", "bayan": "province", "p1": "yanshou", "p2": "bayan"}
SOURCES = ["central", "sector"]
amounts = st.integers(min_value=1, max_value=2_000).map(lambda fen: Decimal(fen) / 100)
postings = st.one_of(
    st.tuples(st.just("appropriate"), st.sampled_from(SOURCES), amounts),
    st.tuples(
        st.just("allocate"), st.sampled_from(["yanshou", "bayan", "p1", "p2"]), st.sampled_from(SOURCES), amounts
    ),
    st.tuples(st.just("disburse"), st.sampled_from(["p1", "p2"]), st.sampled_from(SOURCES), amounts),
    st.tuples(st.just("reverse"), st.integers(min_value=0, max_value=30)),
)


class Model:
    """The ledger's rules in plain Python: what each posting should do."""

    def __init__(self) -> None:
        self.acc = {
            (n, s): {"received": Decimal(0), "allocated": Decimal(0), "disbursed": Decimal(0)}
            for n in NODES
            for s in SOURCES
        }
        self.entries: list[tuple[str, str, str, Decimal, bool]] = []  # kind, node, source, amount, reversed

    def available(self, node: str, source: str) -> Decimal:
        a = self.acc[(node, source)]
        return a["received"] - a["allocated"] - a["disbursed"]

    def apply(self, kind: str, node: str, source: str, amount: Decimal) -> bool:
        if kind == "appropriate":
            if self.available(node, source) + amount < 0:
                return False
            self.acc[(node, source)]["received"] += amount
        elif kind == "allocate":
            parent = PARENT[node]
            if amount > 0 and amount > self.available(parent, source):
                return False
            if amount < 0 and self.available(node, source) < -amount:
                return False
            self.acc[(parent, source)]["allocated"] += amount
            self.acc[(node, source)]["received"] += amount
        else:
            if amount > self.available(node, source):
                return False
            self.acc[(node, source)]["disbursed"] += amount
        return True


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(postings, min_size=1, max_size=25))
def test_any_sequence_of_postings_keeps_the_invariants(tree, province_user, sequence):
    areas, projects = tree
    node = {"province": areas[PROVINCE], "yanshou": areas[YANSHOU], "bayan": areas[BAYAN], **projects}
    with transaction.atomic():
        model = Model()
        posted: list[tuple[Entry, tuple[str, str, str, Decimal]]] = []
        for step in sequence:
            before = Entry.objects.count()
            if step[0] == "reverse":
                candidates = [p for p in posted if p[1] is not None]
                if not candidates:
                    continue
                entry, (kind, name, source, amount) = candidates[step[1] % len(candidates)]
                expected = model.apply(kind, name, source, -amount)
                try:
                    services.reverse(actor=province_user, entry=entry, reason="correction")
                    done = True
                except InvalidInput:
                    done = False
                if done:
                    posted = [(e, None if e.pk == entry.pk else k) for e, k in posted]
            else:
                kind, name, source, amount = (
                    step[0],
                    *(("province",) if step[0] == "appropriate" else (step[1],)),
                    *step[-2:],
                )
                expected = model.apply(kind, name, source, amount)
                try:
                    if kind == "appropriate":
                        entry = services.appropriate(
                            actor=province_user, area=node[name], source=source, year=2009, amount=amount, on=DAY
                        )
                    elif kind == "allocate":
                        target = {"to_area": node[name]} if name in ("yanshou", "bayan") else {"project": node[name]}
                        entry = services.allocate(
                            actor=province_user,
                            from_area=node[PARENT[name]],
                            source=source,
                            year=2009,
                            amount=amount,
                            on=DAY,
                            **target,
                        )
                    else:
                        entry = services.disburse(
                            actor=province_user, project=node[name], source=source, year=2009, amount=amount, on=DAY
                        )
                    done = True
                    posted.append((entry, (kind, name, source, amount)))
                except InvalidInput:
                    done = False
            assert done == expected, step
            assert Entry.objects.count() == before + (1 if done else 0)
        assert check_accounts() == []
        for account in Account.objects.all():
            assert 0 <= account.allocated + account.disbursed <= account.received
        transaction.set_rollback(True)


# --- concurrency: two disbursements that together would overdraw -----------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_racing_disbursements_cannot_overdraw(django_db_blocker):
    """Two sessions disburse 60 each from a project holding 100, at the same moment: the
    account's row lock makes the second wait for the first and then see only 40 left."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite has a single writer (the PostgreSQL suite runs this)")
    from fupin.accounts.models import User
    from fupin.geo.services import areas_load, read_area_file

    if not AdminArea.objects.exists():
        areas_load(rows=read_area_file())
    actor = User.objects.create_superuser("racer", password="x")
    village = AdminArea.objects.filter(code__startswith=YANSHOU[:6], level="village").order_by("code").first()
    project = _project(actor, "RACE", village.code)
    province = AdminArea.objects.get(code=PROVINCE)
    services.appropriate(actor=actor, area=province, source="central", year=2009, amount="100", on=DAY)
    services.allocate(
        actor=actor, from_area=province, project=project, source="central", year=2009, amount="100", on=DAY
    )

    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def disburse() -> None:
        try:
            with transaction.atomic():
                barrier.wait(timeout=10)
                services.disburse(actor=actor, project=project, source="central", year=2009, amount="60", on=DAY)
            outcomes.append("paid")
        except Overdrawn:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=disburse) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == ["paid", "refused"]
    account = Account.objects.get(project=project, source="central", year=2009)
    assert account.disbursed == 60 and account.received == 100
    assert Entry.objects.filter(kind="disbursement").count() == 1
    assert check_accounts() == []


def test_a_county_sees_what_reached_it_and_not_other_counties_entries(tree, province_user, county_user):
    areas, _projects = tree
    services.appropriate(actor=province_user, area=areas[PROVINCE], source="central", year=2009, amount="100", on=DAY)
    to_yanshou = services.allocate(
        actor=province_user,
        from_area=areas[PROVINCE],
        to_area=areas[YANSHOU],
        source="central",
        year=2009,
        amount="60",
        on=DAY,
    )
    to_bayan = services.allocate(
        actor=province_user,
        from_area=areas[PROVINCE],
        to_area=areas[BAYAN],
        source="central",
        year=2009,
        amount="40",
        on=DAY,
    )
    visible = set(Entry.objects.visible_to(county_user).values_list("pk", flat=True))
    assert to_yanshou.pk in visible
    assert to_bayan.pk not in visible
    assert len(visible) == 1  # not the province's appropriation either
