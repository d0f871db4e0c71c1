"""Leading enterprises in the snapshot (``fupin.analytics.registry``; docs/adding-an-app.md):
enterprises, their employees, production bases with their villages and linked households,
and order contracts, as they stood on the date: an employment starting after it is left
out and one ending after it is still running; a link made after it is left out.

``enterprises`` and ``enterprise_employments`` have the columns of the interfaces between
the parts of issue 11 (the loans part reads them); more columns are only added at the end."""

from __future__ import annotations

import pyarrow as pa

from fupin.analytics import registry
from fupin.industry.choices import Level, Sector, Status
from fupin.industry.models import BaseLink, Employment, Enterprise, OrderContract, ProductionBase

registry.labels("enterprises.level", Level)
registry.labels("enterprises.sector", Sector)
registry.labels("enterprises.status", Status)

registry.table(
    "enterprises",
    {
        "id": pa.int64(),
        "code": pa.string(),
        "name": pa.string(),
        "county_code": pa.string(),
        "level": pa.string(),
        "sector": pa.string(),
        "identified_year": pa.int32(),
        "status": pa.string(),
    },
    "SELECT e.id, e.code, e.name, a.code, e.level, e.sector, e.identified_year, e.status "
    "FROM industry_enterprise e JOIN geo_adminarea a ON a.id = e.county_id",
    models=(Enterprise,),
    materialize=True,
)

registry.table(
    "enterprise_employments",
    {
        "id": pa.int64(),
        "enterprise_id": pa.int64(),
        "person_id": pa.int64(),
        "household_id": pa.int64(),
        "start_date": pa.date32(),
        "end_date": pa.date32(),
        "monthly_wage": registry.decimal_of(Employment, "monthly_wage"),
    },
    "SELECT m.id, m.enterprise_id, m.person_id, p.household_id, m.start_date, m.end_date, "
    "CAST(m.monthly_wage AS DOUBLE PRECISION) "
    "FROM industry_employment m JOIN registry_person p ON p.id = m.person_id",
    models=(Employment,),
    derive="SELECT id, enterprise_id, person_id, household_id, start_date, "
    "CASE WHEN end_date <= {as_of} THEN end_date END AS end_date, monthly_wage "
    "FROM src_enterprise_employments WHERE start_date <= {as_of}",
)

registry.table(
    "production_bases",
    {
        "id": pa.int64(),
        "code": pa.string(),
        "enterprise_id": pa.int64(),
        "county_code": pa.string(),
        "product": pa.string(),
        "area_mu": registry.decimal_of(ProductionBase, "area_mu"),
        "established_year": pa.int32(),
    },
    "SELECT b.id, b.code, b.enterprise_id, a.code, b.product, CAST(b.area_mu AS DOUBLE PRECISION), b.established_year "
    "FROM industry_productionbase b JOIN industry_enterprise e ON e.id = b.enterprise_id "
    "JOIN geo_adminarea a ON a.id = e.county_id",
    models=(ProductionBase,),
    derive="SELECT * FROM src_production_bases WHERE established_year <= year({as_of})",
    materialize=True,
)

registry.table(
    "base_villages",
    {"base_id": pa.int64(), "village_code": pa.string()},
    "SELECT v.productionbase_id, a.code FROM industry_productionbase_villages v "
    "JOIN geo_adminarea a ON a.id = v.adminarea_id",
    models=(ProductionBase,),
    derive="SELECT v.base_id, v.village_code, substr(v.village_code, 1, 6) || '000000' AS county_code "
    "FROM src_base_villages v JOIN production_bases b ON b.id = v.base_id",
)

registry.table(
    "base_links",
    {
        "id": pa.int64(),
        "base_id": pa.int64(),
        "household_id": pa.int64(),
        "village_code": pa.string(),
        "joined_on": pa.date32(),
    },
    "SELECT l.id, l.base_id, l.household_id, v.code, l.joined_on FROM industry_baselink l "
    "JOIN registry_household h ON h.id = l.household_id JOIN geo_adminarea v ON v.id = h.village_id",
    models=(BaseLink,),
    derive="SELECT l.* FROM src_base_links l JOIN production_bases b ON b.id = l.base_id WHERE l.joined_on <= {as_of}",
)

registry.table(
    "order_contracts",
    {
        "id": pa.int64(),
        "number": pa.string(),
        "enterprise_id": pa.int64(),
        "household_id": pa.int64(),
        "village_code": pa.string(),
        "year": pa.int32(),
        "product": pa.string(),
        "quantity": registry.decimal_of(OrderContract, "quantity"),
        "agreed_price": registry.decimal_of(OrderContract, "agreed_price"),
        "inputs_on_credit": registry.decimal_of(OrderContract, "inputs_on_credit"),
        "delivered": registry.decimal_of(OrderContract, "delivered"),
        "paid": registry.decimal_of(OrderContract, "paid"),
    },
    "SELECT c.id, c.number, c.enterprise_id, c.household_id, v.code, c.year, c.product, "
    "CAST(c.quantity AS DOUBLE PRECISION), CAST(c.agreed_price AS DOUBLE PRECISION), "
    "CAST(c.inputs_on_credit AS DOUBLE PRECISION), CAST(c.delivered AS DOUBLE PRECISION), "
    "CAST(c.paid AS DOUBLE PRECISION) FROM industry_ordercontract c "
    "JOIN registry_household h ON h.id = c.household_id JOIN geo_adminarea v ON v.id = h.village_id",
    models=(OrderContract,),
    # complied with: delivered in full and paid as agreed (rules.contract_complied)
    derive="SELECT *, delivered >= quantity "
    "AND paid >= round(greatest(delivered * agreed_price - inputs_on_credit, 0), 2) - 0.001 AS complied "
    "FROM src_order_contracts WHERE year <= year({as_of})",
)
