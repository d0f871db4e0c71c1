"""Land transfer in the snapshot (``fupin.analytics.registry``; docs/adding-an-app.md):
the contracts (with their village and total area) and their transferors, as they stood on
the date: a contract starting after it is left out, a termination after it not yet."""

from __future__ import annotations

import pyarrow as pa

from fupin.analytics import registry
from fupin.land.choices import Mode, Payment, TransfereeKind
from fupin.land.models import LandContract, Transferor

registry.labels("land_contracts.mode", Mode)
registry.labels("land_contracts.transferee_kind", TransfereeKind)
registry.labels("land_contracts.payment", Payment)

registry.table(
    "land_contracts",
    {
        "id": pa.int64(),
        "number": pa.string(),
        "village_code": pa.string(),
        "transferee_kind": pa.string(),
        "transferee_enterprise_id": pa.int64(),
        "transferee_household_id": pa.int64(),
        "mode": pa.string(),
        "start_date": pa.date32(),
        "term_years": pa.int32(),
        "end_date": pa.date32(),
        "payment": pa.string(),
        "rent_per_mu": registry.decimal_of(LandContract, "rent_per_mu"),
        "terminated_on": pa.date32(),
    },
    "SELECT c.id, c.number, v.code, c.transferee_kind, c.transferee_enterprise_id, c.transferee_household_id, "
    "c.mode, c.start_date, c.term_years, c.end_date, c.payment, CAST(c.rent_per_mu AS DOUBLE PRECISION), "
    "c.terminated_on FROM land_landcontract c JOIN geo_adminarea v ON v.id = c.village_id",
    models=(LandContract,),
    materialize=True,
    # as of the date; area_mu: the contract's area (its transferors')
    derive="SELECT c.id, c.number, c.village_code, c.transferee_kind, c.transferee_enterprise_id, "
    "c.transferee_household_id, c.mode, c.start_date, c.term_years, c.end_date, c.payment, c.rent_per_mu, "
    "CASE WHEN c.terminated_on <= {as_of} THEN c.terminated_on END AS terminated_on, "
    "coalesce((SELECT sum(t.area_mu) FROM src_land_transferors t WHERE t.contract_id = c.id), 0) AS area_mu "
    "FROM src_land_contracts c WHERE c.start_date <= {as_of}",
)

registry.table(
    "land_transferors",
    {
        "id": pa.int64(),
        "contract_id": pa.int64(),
        "household_id": pa.int64(),
        "area_mu": registry.decimal_of(Transferor, "area_mu"),
    },
    "SELECT t.id, t.contract_id, t.household_id, CAST(t.area_mu AS DOUBLE PRECISION) FROM land_transferor t",
    models=(Transferor,),
    # with the contract's village, dates and termination (the contracts of the snapshot only)
    derive="SELECT t.id, t.contract_id, t.household_id, t.area_mu, c.village_code, c.start_date, c.end_date, "
    "c.terminated_on FROM src_land_transferors t JOIN land_contracts c ON c.id = t.contract_id",
)
