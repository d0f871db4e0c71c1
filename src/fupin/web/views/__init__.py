"""Views of the web UI: thin functions over the selectors and services of the registry,
the programs and the funds.

``show_error`` is the one rendering of a service's ``ApplicationError`` in the web UI."""

from fupin.web.views.areas import area_detail, area_search, home
from fupin.web.views.common import show_error
from fupin.web.views.edit import household_edit, household_register, income_enter, member_add, member_row
from fupin.web.views.funds import allocate, appropriate, entry_reverse, funds_area
from fupin.web.views.households import household_detail, household_list, household_step
from fupin.web.views.programs import (
    batch_create,
    batch_detail,
    batch_list,
    beneficiaries_add,
    disburse,
    labour_record,
    output_record,
    plan_accept,
    plan_checklist,
    plan_create,
    plan_detail,
    plan_start,
    project_create,
    project_detail,
    project_update,
)
from fupin.web.views.zones import zone_create, zone_detail, zone_list, zone_project_create

__all__ = [
    "allocate",
    "appropriate",
    "area_detail",
    "area_search",
    "batch_create",
    "batch_detail",
    "batch_list",
    "beneficiaries_add",
    "disburse",
    "entry_reverse",
    "funds_area",
    "home",
    "household_detail",
    "household_edit",
    "household_list",
    "household_register",
    "household_step",
    "income_enter",
    "labour_record",
    "member_add",
    "member_row",
    "output_record",
    "plan_accept",
    "plan_checklist",
    "plan_create",
    "plan_detail",
    "plan_start",
    "project_create",
    "project_detail",
    "project_update",
    "show_error",
    "zone_create",
    "zone_detail",
    "zone_list",
    "zone_project_create",
]
