"""The funds ledger in the snapshot (``fupin.analytics.registry``; docs/adding-an-app.md):
``fund_entries/part=<year>/``, every entry dated on or before the date, with its area's
code and its project."""

from __future__ import annotations

import pyarrow as pa

from fupin.analytics import registry
from fupin.funds.models import Entry

registry.table(
    "fund_entries",
    {
        "id": pa.int64(),
        "kind": pa.string(),
        "source": pa.string(),
        "year": pa.int32(),
        "date": pa.date32(),
        "amount": registry.decimal_of(Entry, "amount"),
        "area_code": pa.string(),
        "project_id": pa.int64(),
    },
    "SELECT e.id, e.kind, e.source, e.year, e.date, CAST(e.amount AS DOUBLE PRECISION), a.code, e.project_id "
    "FROM funds_entry e JOIN geo_adminarea a ON a.id = e.area_id",
    models=(Entry,),
    derive="SELECT * FROM src_fund_entries WHERE date <= {as_of}",
    partition="year",
)
