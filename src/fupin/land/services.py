"""Every write of land transfer. Each service checks role and scope, applies the rules of
``land.rules`` (the importer applies the same ones to a package), writes, and records its
audit event in one transaction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from fupin.core.audit import audit_log, snapshot
from fupin.core.choices import Role
from fupin.core.errors import Conflict, InvalidInput, NotFound
from fupin.core.policy import check_role
from fupin.core.scoping import user_can_see_code
from fupin.core.validation import check_choice, check_date, check_text
from fupin.geo.models import AdminArea
from fupin.industry.models import Enterprise
from fupin.land import rules
from fupin.land.choices import Mode, Payment, TransfereeKind
from fupin.land.models import LandContract, Transferor
from fupin.registry.models import Household

CENT = Decimal("0.01")
# the least role that records and ends contracts: the township (the contracts are filed with
# the village and the township's rural contract management)
WRITE_ROLE = Role.TOWNSHIP


@dataclass(frozen=True)
class TransferorData:
    """One transferor of a new contract: a household (or its code) and its area in mu."""

    household: Household | str
    area_mu: Any


def _decimal(value: Any, *, field_name: str, record: str | None) -> Decimal | None:
    """A number with at most two decimals, or None when not given. The rules say what a
    zero or a negative means."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise InvalidInput(_("Not a number."), field=field_name, record=record) from exc
    if not number.is_finite():
        raise InvalidInput(_("Not a number."), field=field_name, record=record)
    if number != number.quantize(CENT):
        raise InvalidInput(_("At most two decimal places."), field=field_name, record=record)
    return number


def _term(value: Any, *, record: str) -> int:
    try:
        term = int(value)
    except (TypeError, ValueError) as exc:
        raise InvalidInput(_("Not a whole number."), field="term_years", record=record) from exc
    if isinstance(value, bool) or (isinstance(value, float) and value != term):
        raise InvalidInput(_("Not a whole number."), field="term_years", record=record)
    rules.TERM_POSITIVE.check(record=record, values={"term_years": term})
    if term > rules.TERM_MAX:
        raise rules.TERM_WITHIN_CONTRACT.refusal(record=record, limit=rules.second_round_end().isoformat())
    return term


def _village(code: Any, *, record: str) -> AdminArea:
    area = AdminArea.objects.filter(code=str(code or "")).first()
    rules.VILLAGE_LEVEL.check(record=record, values={"village_level": area.level if area else None})
    if area is None:  # refused by the rule above; for the type checker
        raise rules.VILLAGE_LEVEL.refusal(record=record)
    return area


def _in_scope(actor: Any, village: AdminArea, *, record: str) -> None:
    if not user_can_see_code(actor, village.code):
        raise rules.CONTRACT_IN_SCOPE.refusal(record=record)


def _household(value: Household | str, *, record: str) -> Household | None:
    if isinstance(value, Household):
        return Household.objects.select_related("village").get(pk=value.pk)
    return Household.objects.select_related("village").filter(code=str(value or "").strip()).first()


def _transferee(
    kind: str,
    enterprise: Enterprise | str | None,
    household: Household | str | None,
    name: str,
    *,
    record: str,
) -> tuple[Enterprise | None, Household | None, str]:
    name = check_text(name, field_name="transferee_name", record=record, max_length=rules.NAME_MAX_LENGTH).strip()
    found_enterprise = None
    found_household = None
    if kind == TransfereeKind.ENTERPRISE:
        if isinstance(enterprise, Enterprise):
            found_enterprise = enterprise
        elif enterprise:
            found_enterprise = Enterprise.objects.filter(code=str(enterprise).strip().upper()).first()
        rules.TRANSFEREE_ENTERPRISE.check(
            record=record,
            values={"transferee_kind": kind, "enterprise_found": found_enterprise.code if found_enterprise else None},
        )
        return found_enterprise, None, ""
    if kind == TransfereeKind.LARGE_HOUSEHOLD:
        if household:
            found_household = _household(household, record=record)
        rules.TRANSFEREE_HOUSEHOLD.check(
            record=record,
            values={"transferee_kind": kind, "household_found": found_household.code if found_household else None},
        )
        return None, found_household, ""
    rules.TRANSFEREE_NAME.check(record=record, values={"transferee_kind": kind, "transferee_name": name})
    return None, None, name


def _transferors(
    items: Sequence[TransferorData], village: AdminArea, transferee_household: Household | None, *, record: str
) -> list[tuple[Household, Decimal]]:
    rules.TRANSFERORS_GIVEN.check(record=record, values={"transferors": len(items)})
    out: list[tuple[Household, Decimal]] = []
    seen: set[int] = set()
    for item in items:
        household = _household(item.household, record=record)
        code = household.code if household else str(item.household or "")
        rules.TRANSFEROR_IN_REGISTRY.check(
            record=record, values={"household_village": household.village.code if household else None}
        )
        if household is None:  # refused by the rule above; for the type checker
            raise rules.TRANSFEROR_IN_REGISTRY.refusal(record=record)
        rules.TRANSFEROR_OF_VILLAGE.check(
            record=record,
            values={"household": code, "household_village": household.village.code, "contract_village": village.code},
        )
        rules.TRANSFEROR_ONCE.check(record=record, values={"household": code, "repeated": household.pk in seen})
        seen.add(household.pk)
        if transferee_household is not None:
            rules.TRANSFEREE_NOT_TRANSFEROR.check(
                record=record,
                values={
                    "transferee_kind": TransfereeKind.LARGE_HOUSEHOLD,
                    "transferee_household": transferee_household.code,
                    "household": code,
                },
            )
        area = _decimal(item.area_mu, field_name="area_mu", record=record)
        rules.AREA_POSITIVE.check(record=record, values={"area_mu": area})
        if area is None:  # refused by the rule above; for the type checker
            raise rules.AREA_POSITIVE.refusal(record=record)
        rules.AREA_WITHIN_MAX.check(record=record, values={"area_mu": area}, max=f"{rules.AREA_MAX:,}")
        out.append((household, area))
    return out


@transaction.atomic
def contract_create(
    *,
    actor: Any,
    number: str,
    village_code: str,
    transferee_kind: str,
    mode: str,
    start_date: Any,
    term_years: Any,
    payment: str,
    transferors: Iterable[TransferorData | tuple[Household | str, Any]],
    transferee_enterprise: Enterprise | str | None = None,
    transferee_household: Household | str | None = None,
    transferee_name: str = "",
    rent_per_mu: Any = None,
    dividend_terms: str = "",
) -> LandContract:
    """Record a land transfer contract of a village with its transferor households (each
    of the village, with its area in mu); township cadre or above, in the user's areas."""
    number = check_text(number, field_name="number", record=None, max_length=rules.NUMBER_MAX_LENGTH, required=True)
    record = number.strip()
    check_role(actor, WRITE_ROLE, record=record)
    village = _village(village_code, record=record)
    _in_scope(actor, village, record=record)
    kind = check_choice(transferee_kind, TransfereeKind, field_name="transferee_kind", record=record)
    mode = check_choice(mode, Mode, field_name="mode", record=record)
    payment = check_choice(payment, Payment, field_name="payment", record=record)
    start = check_date(start_date, field_name="start_date", record=record)
    term = _term(term_years, record=record)
    limit = rules.second_round_end()
    rules.TERM_WITHIN_CONTRACT.check(
        record=record, values={"start_date": start, "term_years": term, "limit": limit}, limit=limit.isoformat()
    )
    rent = _decimal(rent_per_mu, field_name="rent_per_mu", record=record)
    rules.RENT_GIVEN.check(record=record, values={"payment": payment, "rent_per_mu": rent})
    rules.NO_RENT_WITH_DIVIDEND.check(record=record, values={"payment": payment, "rent_per_mu": rent})
    if rent is not None and rent > rules.RENT_MAX:
        raise InvalidInput(
            _("At most %(max)s yuan per mu and year.") % {"max": f"{rules.RENT_MAX:,}"},
            field="rent_per_mu",
            record=record,
        )
    terms = check_text(dividend_terms, field_name="dividend_terms", record=record, max_length=rules.TERMS_MAX_LENGTH)
    enterprise, household, name = _transferee(
        kind, transferee_enterprise, transferee_household, transferee_name, record=record
    )
    items = [t if isinstance(t, TransferorData) else TransferorData(*t) for t in transferors]
    rows = _transferors(items, village, household, record=record)
    if LandContract.objects.filter(number=record).exists():
        raise Conflict(_("A land transfer contract with this number exists."), field="number", record=record)
    contract = LandContract.objects.create(
        number=record,
        village=village,
        transferee_kind=kind,
        transferee_enterprise=enterprise,
        transferee_household=household,
        transferee_name=name,
        mode=mode,
        start_date=start,
        term_years=term,
        end_date=rules.contract_end(start, term),
        payment=payment,
        rent_per_mu=rent,
        dividend_terms=terms,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    created = [Transferor(contract=contract, household=h, area_mu=a) for h, a in rows]
    Transferor.objects.bulk_create(created)
    after = snapshot(contract) | {"transferors": [{"household": h.code, "area_mu": a} for h, a in rows]}
    audit_log(actor=actor, action="land.contract.create", obj=contract, after=after, area_code=village.code)
    for transferor in created:
        audit_log(
            actor=actor,
            action="land.transferor.add",
            obj=transferor,
            root=transferor.household,
            after=snapshot(transferor),
            area_code=village.code,
        )
    return contract


def _lock(contract: LandContract) -> LandContract:
    try:
        return LandContract.objects.select_for_update(of=("self",)).select_related("village").get(pk=contract.pk)
    except LandContract.DoesNotExist as exc:
        raise NotFound(record=str(contract.pk)) from exc


@transaction.atomic
def contract_terminate(*, actor: Any, contract: LandContract, on: Any, reason: str = "") -> LandContract:
    """End a contract before its term (by agreement, or for breach): from ``on`` it is no
    longer in force. A contract ends by itself on its last day."""
    contract = _lock(contract)
    record = contract.number
    check_role(actor, WRITE_ROLE, record=record)
    _in_scope(actor, contract.village, record=record)
    if contract.terminated_on is not None:
        raise Conflict(_("This contract is terminated already."), field="terminated_on", record=record)
    day = check_date(on, field_name="terminated_on", record=record)
    rules.TERMINATION_WITHIN_TERM.check(
        record=record,
        values={"terminated_on": day, "start_date": contract.start_date, "end_date": contract.end_date},
    )
    before = snapshot(contract)
    contract.terminated_on = day
    contract.termination_reason = check_text(
        reason, field_name="termination_reason", record=record, max_length=rules.REASON_MAX_LENGTH
    )
    contract.save(update_fields=["terminated_on", "termination_reason", "updated_at"])
    audit_log(
        actor=actor,
        action="land.contract.terminate",
        obj=contract,
        before=before,
        after=snapshot(contract),
        area_code=contract.village.code,
    )
    return contract
