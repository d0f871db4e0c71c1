"""The registry's pages: thin functions over its selectors and services."""

from fupin.registry.views.edit import household_edit, household_register, income_enter, member_add, member_row
from fupin.registry.views.households import household_detail, household_list, household_step
from fupin.registry.views.persons import person_detail

__all__ = [
    "household_detail",
    "household_edit",
    "household_list",
    "household_register",
    "household_step",
    "income_enter",
    "member_add",
    "member_row",
    "person_detail",
]
