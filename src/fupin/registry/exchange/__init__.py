"""The registry's files of the exchange package (``fupin.exchange.registry``): poverty
lines, households, their helpers, members, incomes and status events."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fupin.core.choices import Role
from fupin.exchange import registry
from fupin.registry.exchange.entities import (
    HELPERS,
    HOUSEHOLDS,
    INCOMES,
    MEMBERS,
    POVERTY_LINES,
    STATUS_EVENTS,
)
from fupin.registry.exchange.export import (
    export_helpers,
    export_households,
    export_incomes,
    export_members,
    export_poverty_lines,
    export_status_events,
)
from fupin.registry.exchange.planners import (
    plan_helpers,
    plan_households,
    plan_incomes,
    plan_members,
    plan_poverty_lines,
    plan_status_events,
)
from fupin.registry.exchange.replay import replay
from fupin.registry.exchange.writers import (
    write_helpers,
    write_households,
    write_incomes,
    write_members,
    write_poverty_lines,
    write_status_events,
)
from fupin.registry.models import Helper, Household, IncomeRecord, Person, SecondaryCause, StatusEvent
from fupin.registry.rules import HOUSEHOLD_CODE_MAX_LENGTH, HOUSEHOLD_SIZE_MAX

__all__ = ["HELPERS", "HOUSEHOLDS", "INCOMES", "MEMBERS", "POVERTY_LINES", "STATUS_EVENTS", "replay"]

# what docs/data-exchange.md says of the registry's files, by section (fupin.exchange.registry.DOC_SECTIONS)
DOCS: dict[str, list[Any]] = {
    "field_rules": [
        "- A household code is its village's 12-digit code followed by serial digits "
        f"(13 to {HOUSEHOLD_CODE_MAX_LENGTH} digits); a household already stored keeps its code when it moves.",
        f"- A household counts 1 to {HOUSEHOLD_SIZE_MAX} members in a year.",
    ],
    "import": [
        lambda: (
            "- **Status events** of a household must replay through the identification, exit and return "
            "workflow (each step possible at that point, dates in order, public notices standing "
            f"{settings.FUPIN_NOTICE_DAYS} days), numbered 1, 2, 3\u2026 without gaps, and must **end in the "
            "household\u2019s status**, procedure, stage and stage date as given in `households.csv`. A household "
            "without steps is `non_poor`. Steps already in the database must be the first steps of the package, "
            "unchanged: steps can be added, never rewritten."
        ),
        "- **Members**: an ID number exists once, in the package and in the database (a person already "
        "registered in another household is an error: moving a member is done in Fupin). Sex and birth "
        "date must match the ID number and are taken from it when left empty.",
        "- **Each household has exactly one head** (relation `HEAD`), counting its members in the "
        "database and in the package together.",
        "- A household\u2019s village must be a village-level area code; its main cause cannot also be one "
        "of its secondary causes. Areas must already exist (the administrative tree ships with Fupin); "
        "only a county can be a key county, only a village a key village.",
    ],
    "import_roles": [
        "the user may only import households in their areas "
        "(a household moved to another village must be in scope before and after), `areas.csv` needs "
        "the province role and `poverty_lines.csv` the city role or higher;",
    ],
    "export": ["- `status_events.seq` is the order of each household\u2019s steps by date."],
}

registry.register(
    POVERTY_LINES,
    plan=plan_poverty_lines,
    write=write_poverty_lines,
    export=export_poverty_lines,
    needs_role=Role.CITY,
    needs_areas=False,  # the national line has no area
    label=pgettext_lazy("exchange file", "poverty lines"),
)
registry.register(
    HOUSEHOLDS,
    plan=plan_households,
    write=write_households,
    export=export_households,
    models=(Household, SecondaryCause),
    label=pgettext_lazy("exchange file", "households"),
    docs=DOCS,
)
registry.register(
    HELPERS,
    plan=plan_helpers,
    write=write_helpers,
    export=export_helpers,
    models=(Helper,),
    label=pgettext_lazy("exchange file", "helpers"),
)
registry.register(
    MEMBERS,
    plan=plan_members,
    write=write_members,
    export=export_members,
    needs_permission=registry.Permission(
        "registry.view_identifiers",
        "id_number",
        # Comparing a package's ID numbers with the registry would tell which of them exist
        # (and where): a search by ID number, which is the permission's right.
        _("importing household members needs the permission to see ID numbers"),
        docs="Importing `members.csv` needs "
        "the permission to see identifiers (`registry.view_identifiers`): comparing its ID numbers with "
        "the registry would tell which of them exist, a search by ID number.",
    ),
    models=(Person,),
    label=pgettext_lazy("exchange file", "members"),
    masked_order=("household", "id_number", "name", "relation"),
)
registry.register(
    INCOMES,
    plan=plan_incomes,
    write=write_incomes,
    export=export_incomes,
    models=(IncomeRecord,),
    label=pgettext_lazy("exchange file", "incomes"),
)
registry.register(
    STATUS_EVENTS,
    plan=plan_status_events,
    write=write_status_events,
    export=export_status_events,
    models=(StatusEvent,),
    label=pgettext_lazy("exchange file", "status events"),
)
