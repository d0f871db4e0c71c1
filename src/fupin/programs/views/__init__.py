"""The programs' pages: batches, village plans, projects and contiguous zones."""

from fupin.programs.views.programs import (
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
from fupin.programs.views.zones import zone_create, zone_detail, zone_list, zone_project_create

__all__ = [
    "batch_create",
    "batch_detail",
    "batch_list",
    "beneficiaries_add",
    "disburse",
    "labour_record",
    "output_record",
    "plan_accept",
    "plan_checklist",
    "plan_create",
    "plan_detail",
    "plan_start",
    "project_create",
    "project_detail",
    "project_update",
    "zone_create",
    "zone_detail",
    "zone_list",
    "zone_project_create",
]
