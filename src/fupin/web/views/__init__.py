"""Views of the web UI: thin functions over the registry's selectors and services.

``show_error`` is the one rendering of a service's ``ApplicationError`` in the web UI."""

from fupin.web.views.areas import area_detail, area_search, home
from fupin.web.views.common import show_error
from fupin.web.views.edit import household_edit, household_register, income_enter, member_add, member_row
from fupin.web.views.households import household_detail, household_list, household_step

__all__ = [
    "area_detail",
    "area_search",
    "home",
    "household_detail",
    "household_edit",
    "household_list",
    "household_register",
    "household_step",
    "income_enter",
    "member_add",
    "member_row",
    "show_error",
]
