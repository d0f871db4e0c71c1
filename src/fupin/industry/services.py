"""Every write of leading enterprises. Each service checks role and scope, applies the
rules of ``industry.rules`` (the very expressions the importer applies to a package),
writes, and records its audit event in one transaction."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from fupin.core.audit import audit_log, snapshot
from fupin.core.choices import Role
from fupin.core.errors import Conflict, InvalidInput, NotFound
from fupin.core.policy import check_role, check_scope
from fupin.core.validation import check_choice, check_date, check_text, check_year
from fupin.geo.choices import Level as AreaLevel
from fupin.geo.models import AdminArea
from fupin.industry import rules
from fupin.industry.choices import Level, Sector, Status
from fupin.industry.models import BaseLink, Employment, Enterprise, OrderContract, ProductionBase
from fupin.registry.models import Household, Person

ENTERPRISE_FIELDS = ("name", "level", "sector", "identified_year", "status")


def county_of(code: str) -> str:
    """The 12-digit code of the county of an area code at or below a county."""
    return code[:6] + "000000"


def decimal(value: Any, *, field_name: str, record: str | None, maximum: int, places: int = 2) -> Decimal:
    """A number with at most ``places`` decimals (negative numbers pass: the rules say what a
    negative means for each field)."""
    try:
        number = Decimal(str(value if value not in (None, "") else "0"))
    except InvalidOperation as exc:
        raise InvalidInput(_("Not a number."), field=field_name, record=record) from exc
    if not number.is_finite():
        raise InvalidInput(_("Not a number."), field=field_name, record=record)
    if number != number.quantize(Decimal(1).scaleb(-places)):
        raise InvalidInput(_("At most two decimal places."), field=field_name, record=record)
    if abs(number) > maximum:
        raise InvalidInput(_("At most %(max)s.") % {"max": f"{maximum:,}"}, field=field_name, record=record)
    return number


def _area(code: Any, *, field_name: str, record: str | None, level: str) -> AdminArea:
    area = AdminArea.objects.filter(code=str(code or "").strip()).first()
    if area is None:
        raise InvalidInput(_("Unknown area code “%(code)s”.") % {"code": code}, field=field_name, record=record)
    if area.level != level:
        raise InvalidInput(
            _("Area “%(code)s” is a %(level)s, not a %(wanted)s.")
            % {"code": code, "level": area.get_level_display(), "wanted": AreaLevel(level).label},
            field=field_name,
            record=record,
        )
    return area


# --- enterprises --------------------------------------------------------------------------------


def check_code(code: Any) -> str:
    """A unified social credit code of GB 32100 (upper case), or the refusal naming it."""
    code = check_text(code, field_name="code", record=None, max_length=rules.USCC_LENGTH * 2, required=True)
    code = code.strip().upper()
    rules.USCC_FORMAT.check(record=code, values={"code": code})
    rules.USCC_CHECK.check(record=code, values={"code": code})
    return code


def _enterprise_values(data: dict[str, Any], *, record: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "name" in data:
        out["name"] = check_text(
            data["name"], field_name="name", record=record, max_length=rules.NAME_MAX_LENGTH, required=True
        )
    if "level" in data:
        out["level"] = check_choice(data["level"], Level, field_name="level", record=record)
    if "sector" in data:
        out["sector"] = check_choice(data["sector"], Sector, field_name="sector", record=record)
    if "identified_year" in data:
        out["identified_year"] = check_year(data["identified_year"], field_name="identified_year", record=record)
    if "status" in data:
        out["status"] = check_choice(data["status"] or Status.ACTIVE, Status, field_name="status", record=record)
    return out


@transaction.atomic
def enterprise_create(
    *,
    actor: Any,
    code: str,
    name: str,
    county_code: str,
    level: str,
    sector: str,
    identified_year: int,
    status: str = Status.ACTIVE,
) -> Enterprise:
    """Register a leading enterprise of a county (county office or above)."""
    code = check_code(code)
    record = code
    check_role(actor, Role.COUNTY, record=record)
    county = _area(county_code, field_name="county", record=record, level=AreaLevel.COUNTY)
    check_scope(actor, county.code, record=record, field="county")
    values = _enterprise_values(
        {"name": name, "level": level, "sector": sector, "identified_year": identified_year, "status": status},
        record=record,
    )
    if Enterprise.objects.filter(code=code).exists():
        raise Conflict(_("A leading enterprise with this code exists."), field="code", record=record)
    enterprise = Enterprise.objects.create(code=code, county=county, **values)
    audit_log(
        actor=actor,
        action="industry.enterprise.create",
        obj=enterprise,
        after=snapshot(enterprise),
        area_code=county.code,
    )
    return enterprise


def _lock(model: Any, pk: Any, record: str) -> Any:
    try:
        return model.objects.select_for_update(of=("self",)).get(pk=pk)
    except model.DoesNotExist as exc:
        raise NotFound(record=record) from exc


def _writable(actor: Any, enterprise: Enterprise, *, minimum: str = Role.COUNTY, record: str | None = None) -> None:
    record = record or enterprise.code
    check_role(actor, minimum, record=record)
    check_scope(actor, enterprise.county.code, record=record, field="county")


@transaction.atomic
def enterprise_update(*, actor: Any, enterprise: Enterprise, **changes: Any) -> Enterprise:
    """Change an enterprise's name, level, sector, identification year or status."""
    enterprise = _lock(Enterprise, enterprise.pk, enterprise.code)
    record = enterprise.code
    _writable(actor, enterprise)
    unknown = set(changes) - set(ENTERPRISE_FIELDS)
    if unknown:
        raise InvalidInput(_("This field cannot be changed."), field=sorted(unknown)[0], record=record)
    values = _enterprise_values(changes, record=record)
    before = snapshot(enterprise)
    for name, value in values.items():
        setattr(enterprise, name, value)
    enterprise.save()
    audit_log(
        actor=actor,
        action="industry.enterprise.update",
        obj=enterprise,
        before=before,
        after=snapshot(enterprise),
        area_code=enterprise.county.code,
    )
    return enterprise


# --- employees ----------------------------------------------------------------------------------


def _person(id_number: str | None, person: Person | None, *, record: str) -> Person:
    if person is not None:
        return person
    id_number = (id_number or "").strip().upper()
    found = Person.objects.select_related("household__village").filter(id_number=id_number).first()
    rules.PERSON_IN_REGISTRY.check(record=record, values={"person": found.pk if found else None}, id_number=id_number)
    if found is None:  # refused above; for the type checker
        raise rules.PERSON_IN_REGISTRY.refusal(record=record, id_number=id_number)
    return found


@transaction.atomic
def employment_create(
    *,
    actor: Any,
    enterprise: Enterprise,
    start_date: Any,
    monthly_wage: Any,
    id_number: str | None = None,
    person: Person | None = None,
    end_date: Any = None,
) -> Employment:
    """Record that a registry person works for the enterprise (township office or above of
    the enterprise's county)."""
    record = enterprise.code
    _writable(actor, enterprise, minimum=Role.TOWNSHIP)
    employee = _person(id_number, person, record=record)
    start = check_date(start_date, field_name="start_date", record=record)
    end = None if end_date in (None, "") else check_date(end_date, field_name="end_date", record=record)
    rules.EMPLOYMENT_DATES.check(
        record=record, values={"start_date": start.isoformat(), "end_date": end.isoformat() if end else None}
    )
    wage = decimal(monthly_wage, field_name="monthly_wage", record=record, maximum=rules.WAGE_MAX)
    rules.WAGE_NOT_NEGATIVE.check(record=record, values={"monthly_wage": str(wage)})
    if Employment.objects.filter(enterprise=enterprise, person=employee, start_date=start).exists():
        raise Conflict(_("This employment is recorded already."), field="start_date", record=record)
    employment = Employment.objects.create(
        enterprise=enterprise, person=employee, start_date=start, end_date=end, monthly_wage=wage
    )
    audit_log(
        actor=actor,
        action="industry.employment.create",
        obj=employment,
        root=employee.household,
        after=snapshot(employment),
        area_code=enterprise.county.code,
    )
    return employment


@transaction.atomic
def employment_end(*, actor: Any, employment: Employment, end_date: Any) -> Employment:
    """Record the last day of an employment."""
    employment = _lock(Employment, employment.pk, str(employment.pk))
    enterprise = employment.enterprise
    record = enterprise.code
    _writable(actor, enterprise, minimum=Role.TOWNSHIP)
    end = check_date(end_date, field_name="end_date", record=record)
    rules.EMPLOYMENT_DATES.check(
        record=record, values={"start_date": employment.start_date.isoformat(), "end_date": end.isoformat()}
    )
    before = snapshot(employment)
    employment.end_date = end
    employment.save(update_fields=["end_date", "updated_at"])
    audit_log(
        actor=actor,
        action="industry.employment.end",
        obj=employment,
        root=employment.person.household,
        before=before,
        after=snapshot(employment),
        area_code=enterprise.county.code,
    )
    return employment


# --- production bases -----------------------------------------------------------------------------


def _villages(codes: Any, *, record: str) -> list[AdminArea]:
    if isinstance(codes, str):
        codes = codes.replace(",", ";").split(";")
    codes = [str(c).strip() for c in (codes or []) if str(c).strip()]
    rules.BASE_VILLAGES_GIVEN.check(record=record, values={"villages": ";".join(codes)}, code=record)
    found = {a.code: a for a in AdminArea.objects.filter(code__in=codes)}
    out = []
    for code in dict.fromkeys(codes):
        area = found.get(code)
        rules.BASE_VILLAGE_LEVEL.check(
            record=record, values={"village_level": area.level if area else None}, village=code
        )
        out.append(found[code])
    return out


@transaction.atomic
def base_create(
    *,
    actor: Any,
    enterprise: Enterprise,
    code: str,
    name: str,
    product: str,
    area_mu: Any,
    established_year: int,
    village_codes: Any,
) -> ProductionBase:
    """Set up a production base of the enterprise in one or more villages (county office of
    the enterprise's county; the villages may lie in other counties the user is
    responsible for)."""
    code = check_text(code, field_name="code", record=None, max_length=rules.CODE_MAX_LENGTH, required=True)
    record = code
    _writable(actor, enterprise, record=record)
    name = check_text(name, field_name="name", record=record, max_length=rules.NAME_MAX_LENGTH, required=True)
    product = check_text(
        product, field_name="product", record=record, max_length=rules.PRODUCT_MAX_LENGTH, required=True
    )
    area = decimal(area_mu, field_name="area_mu", record=record, maximum=rules.AREA_MAX_MU)
    rules.BASE_AREA_POSITIVE.check(record=record, values={"area_mu": str(area)}, code=code)
    year = check_year(established_year, field_name="established_year", record=record)
    villages = _villages(village_codes, record=record)
    for village in villages:
        check_scope(actor, village.code, record=record, field="villages")
    if ProductionBase.objects.filter(code=code).exists():
        raise Conflict(_("A production base with this code exists."), field="code", record=record)
    base = ProductionBase.objects.create(
        code=code, enterprise=enterprise, name=name, product=product, area_mu=area, established_year=year
    )
    base.villages.set(villages)
    after = {**snapshot(base), "villages": [v.code for v in villages]}
    audit_log(actor=actor, action="industry.base.create", obj=base, after=after, area_code=enterprise.county.code)
    return base


def base_counties(base: ProductionBase) -> list[str]:
    """The counties of the base's villages (12-digit codes), sorted."""
    return sorted({county_of(code) for code in base.villages.values_list("code", flat=True)})


@transaction.atomic
def base_link(
    *, actor: Any, base: ProductionBase, household: Household | None = None, household_code: str = "", joined_on: Any
) -> BaseLink:
    """Link a registry household to a production base. The household lives in a county of
    the base's villages (``BASE_HOUSEHOLD_IN_COUNTIES``) and in the user's areas."""
    base = _lock(ProductionBase, base.pk, base.code)
    record = base.code
    check_role(actor, Role.TOWNSHIP, record=record)
    if household is None:
        household = Household.objects.select_related("village").filter(code=str(household_code).strip()).first()
        if household is None:
            raise InvalidInput(
                _("No household with code “%(code)s” is in the registry.") % {"code": household_code},
                field="household",
                record=record,
            )
    check_scope(actor, household.village.code, record=record, field="household")
    rules.BASE_HOUSEHOLD_IN_COUNTIES.check(
        record=record,
        values={"household_county": county_of(household.village.code), "base_counties": ";".join(base_counties(base))},
        household=household.code,
        base=base.code,
    )
    on = check_date(joined_on, field_name="joined_on", record=record)
    if BaseLink.objects.filter(base=base, household=household).exists():
        raise Conflict(_("This household is linked to the base already."), field="household", record=record)
    link = BaseLink.objects.create(base=base, household=household, joined_on=on)
    audit_log(
        actor=actor,
        action="industry.base.link",
        obj=link,
        root=household,
        after=snapshot(link),
        area_code=household.village.code,
    )
    return link


@transaction.atomic
def base_unlink(*, actor: Any, link: BaseLink) -> None:
    """Remove a household's link to a base (recorded by mistake)."""
    link = _lock(BaseLink, link.pk, str(link.pk))
    record = link.base.code
    check_role(actor, Role.TOWNSHIP, record=record)
    check_scope(actor, link.household.village.code, record=record, field="household")
    before = snapshot(link)
    household = link.household
    link.delete()
    audit_log(
        actor=actor,
        action="industry.base.unlink",
        object_type="industry.baselink",
        object_id=str(before.get("id", "")),
        object_repr=f"{record} {household.code}",
        root=household,
        before=before,
        area_code=household.village.code,
    )


# --- order contracts ------------------------------------------------------------------------------


def _contract_amounts(data: dict[str, Any], *, record: str) -> dict[str, Decimal]:
    out = {}
    for name, maximum in (
        ("quantity", rules.QUANTITY_MAX),
        ("agreed_price", rules.PRICE_MAX),
        ("inputs_on_credit", rules.MONEY_MAX),
        ("delivered", rules.QUANTITY_MAX),
        ("paid", rules.MONEY_MAX),
    ):
        if name in data:
            out[name] = decimal(data[name], field_name=name, record=record, maximum=maximum)
    return out


def _check_contract(values: dict[str, Any], *, record: str) -> None:
    plain = {k: str(v) for k, v in values.items() if isinstance(v, Decimal)}
    rules.CONTRACT_QUANTITY_POSITIVE.check(record=record, values={"quantity": plain["quantity"]}, number=record)
    rules.CONTRACT_NOT_NEGATIVE.check(
        record=record,
        values={k: plain[k] for k in ("agreed_price", "inputs_on_credit", "delivered", "paid")},
        field=next(
            (k for k in ("agreed_price", "inputs_on_credit", "delivered", "paid") if Decimal(plain[k]) < 0), None
        ),
    )
    rules.CONTRACT_DELIVERED_WITHIN.check(
        record=record, values={"delivered": plain["delivered"], "quantity": plain["quantity"]}, number=record
    )


@transaction.atomic
def contract_create(
    *,
    actor: Any,
    enterprise: Enterprise,
    number: str,
    household: Household,
    year: int,
    product: str,
    quantity: Any,
    agreed_price: Any,
    unit: str = "kg",
    inputs_on_credit: Any = 0,
    delivered: Any = 0,
    paid: Any = 0,
) -> OrderContract:
    """Record an order contract of the enterprise with a registry household."""
    number = check_text(number, field_name="number", record=None, max_length=rules.CODE_MAX_LENGTH, required=True)
    record = number
    _writable(actor, enterprise, minimum=Role.TOWNSHIP, record=record)
    check_scope(actor, household.village.code, record=record, field="household")
    values: dict[str, Any] = {
        "year": check_year(year, field_name="year", record=record),
        "product": check_text(
            product, field_name="product", record=record, max_length=rules.PRODUCT_MAX_LENGTH, required=True
        ),
        "unit": check_text(unit or "kg", field_name="unit", record=record, max_length=rules.UNIT_MAX_LENGTH),
        **_contract_amounts(
            {
                "quantity": quantity,
                "agreed_price": agreed_price,
                "inputs_on_credit": inputs_on_credit,
                "delivered": delivered,
                "paid": paid,
            },
            record=record,
        ),
    }
    _check_contract(values, record=record)
    if OrderContract.objects.filter(number=number).exists():
        raise Conflict(_("An order contract with this number exists."), field="number", record=record)
    contract = OrderContract.objects.create(number=number, enterprise=enterprise, household=household, **values)
    audit_log(
        actor=actor,
        action="industry.contract.create",
        obj=contract,
        root=household,
        after=snapshot(contract),
        area_code=enterprise.county.code,
    )
    return contract


@transaction.atomic
def contract_fulfil(*, actor: Any, contract: OrderContract, delivered: Any, paid: Any) -> OrderContract:
    """Record what has been delivered and paid under an order contract (the totals so far)."""
    contract = _lock(OrderContract, contract.pk, contract.number)
    record = contract.number
    _writable(actor, contract.enterprise, minimum=Role.TOWNSHIP, record=record)
    values: dict[str, Any] = {
        "quantity": contract.quantity,
        "agreed_price": contract.agreed_price,
        "inputs_on_credit": contract.inputs_on_credit,
        **_contract_amounts({"delivered": delivered, "paid": paid}, record=record),
    }
    _check_contract(values, record=record)
    before = snapshot(contract)
    contract.delivered = values["delivered"]
    contract.paid = values["paid"]
    contract.save(update_fields=["delivered", "paid", "updated_at"])
    audit_log(
        actor=actor,
        action="industry.contract.fulfil",
        obj=contract,
        root=contract.household,
        before=before,
        after=snapshot(contract),
        area_code=contract.enterprise.county.code,
    )
    return contract
