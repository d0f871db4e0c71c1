"""The registry in the snapshot (``fupin.analytics.registry``; docs/adding-an-app.md):

- ``poverty_lines``, with the area's code;
- ``households/part=<city prefix>/``: every household, its status as of the date (replayed
  from its status events), the dates of its first identification, exit and return up to
  the date, and its size (today's members: the registry keeps no membership history);
- ``persons/part=<city prefix>/``: members, without names or ID numbers;
- ``incomes/part=<year>/``: income records of the years up to the date's year;
- ``status_events/part=<year>/``: status events dated on or before the date.

The columns are the models' fields (``model_table``); the poverty measures, the
multidimensional index, the dynamics and the targeting check of the analytics framework
read these tables by name.
"""

from __future__ import annotations

from django.db.models import Max, Min

from fupin.analytics import registry
from fupin.registry.choices import Status
from fupin.registry.models import Household, IncomeRecord, Person, PovertyLine, StatusEvent

registry.model_table(
    "poverty_lines",
    PovertyLine,
    ["year", "scope", "area_id", "amount"],
    materialize=True,
    derive="SELECT l.year, l.scope, a.code AS area_code, l.amount FROM src_poverty_lines l "
    "LEFT JOIN areas a ON a.id = l.area_id",
)

# Each household's status as of the date: after its last event on or before the date;
# before its first event if it has none by then (its first later event, read too, tells);
# its current status if it has no event at all. Events are ordered by date, then id, packed
# into one integer so that DuckDB compares numbers, not structs.
_HOUSEHOLDS = """
WITH ev AS (
    SELECT household_id, procedure, action, date, status_before, status_after,
           datediff('day', DATE '1970-01-01', date) * 4294967296 + id AS k
    FROM src_status_events
),
hist AS (
    SELECT household_id,
           arg_min(status_before, k) AS first_status_before,
           arg_max(status_after, k) FILTER (WHERE date <= {as_of}) AS status_as_of,
           min(date) FILTER (WHERE procedure = 'identification' AND action = 'approve' AND date <= {as_of})
               AS identified_on,
           min(date) FILTER (WHERE procedure = 'exit' AND action = 'approve' AND date <= {as_of}) AS exited_on,
           max(date) FILTER (WHERE procedure = 'return' AND action = 'approve' AND date <= {as_of})
               AS returned_on
    FROM ev GROUP BY household_id
),
sizes AS (SELECT household_id, count(*) AS size FROM src_persons GROUP BY household_id)
SELECT h.id, h.code, v.code AS village_code, v.township_code, v.county_code, v.city_code,
       coalesce(f.status_as_of, f.first_status_before, h.status_now) AS status,
       coalesce(f.first_status_before, h.status_now) AS initial_status,
       (f.returned_on IS NOT NULL) AS returned,
       f.identified_on, f.exited_on, f.returned_on,
       coalesce(s.size, 0)::INTEGER AS size,
       h.* EXCLUDE (id, code, village_id, status_now, returned_now)
FROM src_households h
JOIN areas v ON v.id = h.village_id
LEFT JOIN hist f ON f.household_id = h.id
LEFT JOIN sizes s ON s.household_id = h.id
"""

registry.model_table(
    "households",
    Household,
    [
        "id",
        "code",
        "village_id",
        "status_now",
        "returned_now",
        "type_ordinary",
        "type_dibao",
        "type_wubao",
        "main_cause",
        # the items of 两不愁三保障, for the multidimensional index
        *(f.name for f in Household._meta.concrete_fields if f.name.startswith("assured_")),
    ],
    rename={"status_now": "status", "returned_now": "returned"},
    materialize=True,
    derive=_HOUSEHOLDS,
    partition="substr(city_code, 1, 4)",
)

registry.model_table(
    "persons",
    Person,
    [
        "id",
        "household_id",
        "sex",
        "birth_date",
        "relation",
        "education",
        "health",
        "disability",
        "labour",
        "migrant_work",
        "migrant_months",
    ],
    sliced=2,
    derive="SELECT p.*, h.city_code FROM src_persons p JOIN households h ON h.id = p.household_id",
    partition="substr(city_code, 1, 4)",
)

registry.model_table(
    "incomes",
    IncomeRecord,
    [
        "household_id",
        "year",
        "household_size",
        "wage",
        "business",
        "property_income",
        "transfer",
        "production_costs",
        "net_income",
    ],
    where=lambda as_of: f"year <= {as_of.year}",
    partition="year",
)

registry.model_table(
    "status_events",
    StatusEvent,
    ["id", "household_id", "procedure", "action", "date", "stage_after", "status_before", "status_after"],
    # every event is read, also those after the date: a household's status before its
    # first event is known only from that event (the snapshot keeps those up to the date)
    sliced=2,
    derive="SELECT * FROM src_status_events WHERE date <= {as_of}",
    partition="year(date)",
)

registry.labels("households.status", Status)


@registry.years
def income_years() -> tuple[int | None, int | None]:
    """The years with income records."""
    span = IncomeRecord.objects.aggregate(first=Min("year"), last=Max("year"))
    return span["first"], span["last"]
