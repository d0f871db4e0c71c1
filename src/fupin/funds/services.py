"""Every write to the funds ledger. Each posts one entry (or one reversing entry), updates
the accounts it touches with their rows locked, checks the ledger's invariants on the
locked rows, and records its audit event, all in one transaction.

Two postings that touch the same account queue on its row lock (``SELECT ... FOR UPDATE``
on PostgreSQL; SQLite's single writer, taken at BEGIN IMMEDIATE), so the second sees what
the first wrote and is refused if together they would overdraw."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin.core.audit import audit_log, snapshot
from fupin.core.choices import Role
from fupin.core.errors import InvalidInput
from fupin.core.policy import check_role, check_scope
from fupin.core.validation import check_choice, check_date, check_text, check_year
from fupin.funds import rules
from fupin.funds.authority import PROJECT, check_appropriation
from fupin.funds.choices import EntryKind, Source
from fupin.funds.models import Account, Entry
from fupin.funds.rules import Overdrawn, check_entry_date, check_overdraft
from fupin.geo.models import AdminArea
from fupin.programs.models import Project

CENT = Decimal("0.01")


__all__ = ["Overdrawn", "allocate", "appropriate", "check_accounts", "disburse", "reverse"]


def _amount(value: Any, *, record: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, TypeError) as exc:
        raise InvalidInput(_("Not a number."), field="amount", record=record) from exc
    if not amount.is_finite():
        raise rules.AMOUNT_POSITIVE.refusal(record=record)
    rules.AMOUNT_POSITIVE.check(record=record, values={"amount": amount, "reverses": ""})
    if amount != amount.quantize(CENT):
        raise InvalidInput(_("At most two decimal places (fen)."), field="amount", record=record)
    if amount >= Decimal("1e14"):
        raise InvalidInput(_("The amount is too large."), field="amount", record=record)
    return amount


def _accounts(keys: list[dict[str, Any]]) -> list[Account]:
    """The accounts for these keys, created if missing, locked in id order (so that two
    postings never wait on each other in opposite orders)."""
    ids = []
    for key in keys:
        account = Account.objects.filter(**key).first()
        if account is None:
            try:
                with transaction.atomic():
                    account = Account.objects.create(**key)
            except IntegrityError:  # created meanwhile by another posting
                account = Account.objects.get(**key)
        ids.append(account.pk)
    locked = {a.pk: a for a in Account.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
    return [locked[pk] for pk in ids]


def _node(area: AdminArea | None = None, project: Project | None = None) -> dict[str, Any]:
    return {"area": area, "project": None} if area is not None else {"area": None, "project": project}


def _post(
    *,
    actor: Any,
    kind: str,
    source: str,
    year: int,
    amount: Decimal,
    on: dt.date,
    area: AdminArea,
    to_area: AdminArea | None = None,
    project: Project | None = None,
    reverses: Entry | None = None,
    document: str = "",
    note: str = "",
    record: str,
) -> Entry:
    """Apply one movement (``amount`` may be negative for a reversal) to the accounts and
    write its entry, refusing anything that breaks an invariant."""
    on = check_entry_date(year, check_date(on, field_name="date", record=record), record=record)
    document = check_text(document, field_name="document", record=record, max_length=100)
    note = check_text(note, field_name="note", record=record, max_length=200)
    if kind == EntryKind.DISBURSEMENT and amount > 0:
        first = Entry.objects.filter(kind=EntryKind.ALLOCATION, project=project, source=source, year=year).aggregate(
            first=Min("date")
        )["first"]
        rules.DISBURSED_AFTER_ALLOCATION.check(
            record=record, values={"kind": kind, "amount": amount, "date": on, "first_allocation": first}
        )
    key = {"source": source, "year": year}
    if kind == EntryKind.APPROPRIATION:
        [acc] = _accounts([{**(_node(project=project) if project is not None else _node(area)), **key}])
        part = "appropriation:project" if project is not None else "appropriation:area"
        check_overdraft(part, available=acc.available, asked=-amount, record=record)
        acc.received += amount
        changed = [acc]
    elif kind == EntryKind.ALLOCATION:
        target = _node(to_area) if to_area is not None else _node(project=project)
        src, dst = _accounts([{**_node(area), **key}, {**target, **key}])
        check_overdraft("allocation:from", available=src.available, asked=amount, record=record)
        check_overdraft("allocation:to", available=dst.available, asked=-amount, record=record)
        src.allocated += amount
        dst.received += amount
        changed = [src, dst]
    else:
        [acc] = _accounts([{**_node(project=project), **key}])
        check_overdraft("disbursement:project", available=acc.available, asked=amount, record=record)
        acc.disbursed += amount
        changed = [acc]
    for acc in changed:
        acc.save(update_fields=["received", "allocated", "disbursed"])
    entry = Entry.objects.create(
        kind=kind,
        source=source,
        year=year,
        date=on,
        amount=amount,
        area=area,
        to_area=to_area,
        project=project,
        reverses=reverses,
        document=document,
        note=note,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    audit_log(
        actor=actor,
        action=f"fund.{kind}" + (".reverse" if reverses is not None else ""),
        obj=entry,
        root=project if project is not None else entry,
        after=snapshot(entry),
        area_code=project.area.code if project is not None and kind != EntryKind.ALLOCATION else area.code,
        note=note,
    )
    return entry


@transaction.atomic
def appropriate(
    *,
    actor: Any,
    source: str,
    year: int,
    amount: Any,
    area: AdminArea | None = None,
    project: Project | None = None,
    on: dt.date | None = None,
    document: str = "",
    note: str = "",
) -> Entry:
    """Funds of a source and year enter the ledger: at an area (central and provincial
    funds at the province, a city's or county's own funds at that city or county...) or,
    for credit and what households put in, at a project. Who may appropriate what where
    is the table of ``funds.authority``."""
    if (area is None) == (project is None):
        raise rules.APPROPRIATE_ONE_PLACE.refusal(record=None)
    place_area: AdminArea = project.area if project is not None else area  # type: ignore[assignment]
    record = project.code if project is not None else place_area.code
    check_role(actor, Role.COUNTY, record=record)
    check_scope(actor, place_area.code, record=record, field="project" if project is not None else "area")
    source = check_choice(source, Source, field_name="source", record=record)
    place = PROJECT if project is not None else place_area.level
    check_appropriation(actor, source, place, record=record)
    return _post(
        actor=actor,
        kind=EntryKind.APPROPRIATION,
        source=source,
        year=check_year(year, field_name="year", record=record),
        amount=_amount(amount, record=record),
        on=on or timezone.localdate(),
        area=place_area,
        project=project,
        document=document,
        note=note,
        record=record,
    )


@transaction.atomic
def allocate(
    *,
    actor: Any,
    from_area: AdminArea,
    source: str,
    year: int,
    amount: Any,
    to_area: AdminArea | None = None,
    project: Project | None = None,
    on: dt.date | None = None,
    document: str = "",
    note: str = "",
) -> Entry:
    """Pass funds down: from an area to an area below it, or to a project in it."""
    record = from_area.code
    check_role(actor, Role.COUNTY, record=record)
    check_scope(actor, from_area.code, record=record, field="from_area")
    entry = {
        "kind": EntryKind.ALLOCATION,
        "area": from_area.code,
        "to_area": to_area.code if to_area is not None else "",
        "project": project.code if project is not None else "",
        "project_area": project.area.code if project is not None else "",
    }
    for rule in (rules.ALLOCATE_ONE_TARGET, rules.ALLOCATE_BELOW, rules.ALLOCATE_PROJECT_IN):
        rule.check(record=record, values=entry)
    return _post(
        actor=actor,
        kind=EntryKind.ALLOCATION,
        source=check_choice(source, Source, field_name="source", record=record),
        year=check_year(year, field_name="year", record=record),
        amount=_amount(amount, record=record),
        on=on or timezone.localdate(),
        area=from_area,
        to_area=to_area,
        project=project,
        document=document,
        note=note,
        record=record,
    )


@transaction.atomic
def disburse(
    *,
    actor: Any,
    project: Project,
    source: str,
    year: int,
    amount: Any,
    on: dt.date | None = None,
    document: str = "",
    note: str = "",
) -> Entry:
    """A project pays out funds allocated to it."""
    record = project.code
    check_role(actor, Role.TOWNSHIP, record=record)
    check_scope(actor, project.area.code, record=record, field="project")
    return _post(
        actor=actor,
        kind=EntryKind.DISBURSEMENT,
        source=check_choice(source, Source, field_name="source", record=record),
        year=check_year(year, field_name="year", record=record),
        amount=_amount(amount, record=record),
        on=on or timezone.localdate(),
        area=project.area,
        project=project,
        document=document,
        note=note,
        record=record,
    )


@transaction.atomic
def reverse(*, actor: Any, entry: Entry, reason: str, on: dt.date | None = None) -> Entry:
    """Correct an entry by posting its opposite. Refused when the money has moved on (an
    allocation whose receiver has allocated or disbursed it): reverse those first."""
    entry = Entry.objects.select_related("area", "to_area", "project__area").get(pk=entry.pk)
    record = f"#{entry.pk}"
    check_role(actor, Role.COUNTY if entry.kind != EntryKind.DISBURSEMENT else Role.TOWNSHIP, record=record)
    check_scope(actor, entry.area.code, record=record)
    if entry.reverses_id is not None:
        raise rules.REVERSAL_OF_REVERSAL.refusal(record=record)
    by = Entry.objects.filter(reverses=entry).first()
    if by is not None:
        raise rules.ALREADY_REVERSED.refusal(record=record, reverses=_key(entry), by=_key(by))
    if not reason.strip():
        raise rules.REVERSAL_REASON.refusal(record=record)
    return _post(
        actor=actor,
        kind=entry.kind,
        source=entry.source,
        year=entry.year,
        amount=-entry.amount,
        on=on or timezone.localdate(),
        area=entry.area,
        to_area=entry.to_area,
        project=entry.project,
        reverses=entry,
        document=entry.document,
        note=reason.strip(),
        record=record,
    )


def _key(entry: Entry) -> str:
    """The entry's key in the exchange format (``dbframes.ledger_key``): its number, or
    ``#<id>`` for an entry bulk-loaded without one."""
    return entry.number or f"#{entry.pk}"


def check_accounts() -> list[str]:
    """Differences between the accounts and the sums of the ledger (an empty list when
    they agree): what an auditor runs, and what the property tests check."""
    from collections import defaultdict

    sums: dict[tuple[Any, ...], dict[str, Decimal]] = defaultdict(
        lambda: {"received": Decimal(0), "allocated": Decimal(0), "disbursed": Decimal(0)}
    )
    for e in Entry.objects.values("kind", "source", "year", "amount", "area_id", "to_area_id", "project_id"):
        key = (e["source"], e["year"])
        if e["kind"] == EntryKind.APPROPRIATION:
            reached = ("project", e["project_id"]) if e["project_id"] else ("area", e["area_id"])
            sums[(*reached, *key)]["received"] += e["amount"]
        elif e["kind"] == EntryKind.ALLOCATION:
            sums[("area", e["area_id"], *key)]["allocated"] += e["amount"]
            target = ("area", e["to_area_id"]) if e["to_area_id"] else ("project", e["project_id"])
            sums[(*target, *key)]["received"] += e["amount"]
        else:
            sums[("project", e["project_id"], *key)]["disbursed"] += e["amount"]
    problems = []
    seen = set()
    for acc in Account.objects.all():
        node: tuple[str, Any] = ("area", acc.area_id) if acc.area_id else ("project", acc.project_id)
        account_key = (*node, acc.source, acc.year)
        seen.add(account_key)
        want = sums.get(account_key, {"received": Decimal(0), "allocated": Decimal(0), "disbursed": Decimal(0)})
        for name, value in want.items():
            if getattr(acc, name) != value:
                problems.append(f"{account_key}: {name} {getattr(acc, name)} != ledger {value}")
        if not acc.disbursed + acc.allocated <= acc.received:
            problems.append(
                f"{account_key}: allocated {acc.allocated} + disbursed {acc.disbursed} > received {acc.received}"
            )
    problems.extend(f"{key}: no account" for key in set(sums) - seen if any(sums[key].values()))
    return problems
