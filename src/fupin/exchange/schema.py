"""The data exchange package: one file (CSV) or sheet (XLSX) per entity.

This module is the single description of the format. Import validation, export, the
blank templates, their reference sheet of code lists and docs/data-exchange.md are all
made from it. A later entity (projects, funds, trainees...) adds its ``Entity`` here and
its loader, the same way.

Rows refer to each other by natural keys (area code, household code, ID number), never
by database ids.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

from fupin.geo.choices import KeyCounty
from fupin.registry.choices import (
    Action,
    Cause,
    Disability,
    Education,
    Health,
    Labour,
    MigrantWork,
    Procedure,
    Relation,
    Sex,
    Stage,
    Status,
)

# kinds of column
TEXT = "text"
INT = "int"
DECIMAL = "decimal"
DATE = "date"
BOOL = "bool"
OPTIONAL_BOOL = "bool_or_empty"  # 1 or 0, or empty for "not known" (stored as NULL)
CODE = "code"  # one value of a code list
CODES = "codes"  # several values of a code list, separated by ";"
AREA = "area"  # a 12-digit area code
ID_NUMBER = "id_number"  # an 18-digit resident ID number

KIND_HELP = {
    TEXT: _("text"),
    INT: _("whole number"),
    DECIMAL: _("number with at most 2 decimals"),
    DATE: _("date, YYYY-MM-DD"),
    BOOL: _("1 or 0 (also true/false, yes/no, 是/否)"),
    OPTIONAL_BOOL: _("1 or 0 as for bool, or empty: not yet assessed"),
    CODE: _("one code of the list"),
    CODES: _("codes of the list separated by ;"),
    AREA: _("12-digit area code"),
    ID_NUMBER: _("18-digit ID number (GB 11643)"),
}


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    required: bool = False
    choices: type[TextChoices] | None = None
    max_length: int | None = None
    example: str = ""
    help: Any = ""
    minimum: int | None = None
    maximum: int | None = None

    @property
    def codes(self) -> list[str]:
        return [v for v in self.choices.values if v] if self.choices else []


@dataclass(frozen=True)
class Entity:
    name: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    help: Any = ""
    depends_on: tuple[str, ...] = field(default_factory=tuple)

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


def _money(name: str, help_: Any) -> Column:
    return Column(name, DECIMAL, example="1200.00", help=help_)


AREAS = Entity(
    "areas",
    key=("code",),
    help=_(
        "Flags and reference figures of existing areas of the administrative tree (the tree itself ships with Fupin)."
    ),
    columns=(
        Column("code", AREA, required=True, example="230129000000", help=_("area code")),
        Column("name", TEXT, max_length=64, example="延寿县", help=_("name, for reading only: not imported")),
        Column(
            "key_county",
            CODE,
            choices=KeyCounty,
            example="national",
            help=_("key county: national, provincial or empty"),
        ),
        Column("key_village", BOOL, example="0", help=_("key poverty-stricken village")),
        Column("area_km2", DECIMAL, example="3149.55", help=_("reference area in km²")),
        Column("population", INT, minimum=0, example="250000", help=_("reference population")),
    ),
)

POVERTY_LINES = Entity(
    "poverty_lines",
    key=("year", "area"),
    help=_("Poverty lines by year: the national line (area empty), or a province's or a city's own line."),
    columns=(
        Column("year", INT, required=True, minimum=1980, maximum=2100, example="2009"),
        Column("area", AREA, example="", help=_("province or city code; empty for the national line")),
        Column("amount", DECIMAL, required=True, example="1196.00", help=_("yuan per person per year")),
        Column("basis", TEXT, max_length=200, example="2008 standard"),
        Column("source", TEXT, max_length=300, example="NBS statistical communique"),
    ),
)

HOUSEHOLDS = Entity(
    "households",
    key=("code",),
    help=_(
        "Households with their village, types, causes, status, and the 两不愁三保障 items "
        "(two no worries, three guarantees) plus safe drinking water."
    ),
    columns=(
        Column("code", TEXT, required=True, max_length=20, example="2301291002000001", help=_("household code")),
        Column("village", AREA, required=True, example="230129100200", help=_("village code")),
        Column("address", TEXT, max_length=200, example="1组12号"),
        Column("phone", TEXT, max_length=20, example="13900000000"),
        Column("type_ordinary", BOOL, example="1", help=_("ordinary poor household")),
        Column("type_dibao", BOOL, example="0", help=_("低保 household")),
        Column("type_wubao", BOOL, example="0", help=_("五保 household")),
        Column("main_cause", CODE, choices=Cause, example="ILLNESS"),
        Column("secondary_causes", CODES, choices=Cause, example="NO_CAPITAL;NO_SKILLS"),
        Column(
            "status",
            CODE,
            choices=Status,
            required=True,
            example="poor",
            help=_("must agree with the household's status events"),
        ),
        Column("returned", BOOL, example="0", help=_("returned to poverty")),
        Column("procedure", CODE, choices=Procedure, example="", help=_("procedure under way, if any")),
        Column("stage", CODE, choices=Stage, example="", help=_("its last completed step")),
        Column("stage_date", DATE, example="2009-06-30", help=_("date of the last step")),
        # 两不愁三保障 and safe drinking water: 1 assured, 0 not assured, empty not yet assessed
        Column("assured_food", OPTIONAL_BOOL, example="1", help=_("food assured (不愁吃)")),
        Column("assured_clothing", OPTIONAL_BOOL, example="1", help=_("clothing assured (不愁穿)")),
        Column(
            "assured_education",
            OPTIONAL_BOOL,
            example="1",
            help=_("compulsory education guaranteed (义务教育有保障): no child of school age out of school"),
        ),
        Column(
            "assured_medical",
            OPTIONAL_BOOL,
            example="0",
            help=_("basic medical care guaranteed (基本医疗有保障): every member in basic medical insurance"),
        ),
        Column(
            "assured_housing",
            OPTIONAL_BOOL,
            example="1",
            help=_("safe housing guaranteed (住房安全有保障): the dwelling is not a class C or D dangerous house"),
        ),
        Column("assured_water", OPTIONAL_BOOL, example="1", help=_("safe drinking water guaranteed (饮水安全有保障)")),
    ),
)

HELPERS = Entity(
    "helpers",
    key=("household", "name"),
    help=_("The people responsible for helping each household (帮扶责任人)."),
    depends_on=("households",),
    columns=(
        Column("household", TEXT, required=True, max_length=20, example="2301291002000001"),
        Column("name", TEXT, required=True, max_length=64, example="王干部"),
        Column("unit", TEXT, max_length=128, example="县扶贫办"),
        Column("post", TEXT, max_length=64, example="科员"),
        Column("phone", TEXT, max_length=20, example="13900000000"),
    ),
)

MEMBERS = Entity(
    "members",
    key=("id_number",),
    help=_("Household members; a person belongs to one household, an ID number exists once."),
    depends_on=("households",),
    columns=(
        Column("id_number", ID_NUMBER, required=True, example="11010519491231002X"),
        Column("household", TEXT, required=True, max_length=20, example="2301291002000001"),
        Column("name", TEXT, required=True, max_length=64, example="张三"),
        Column("sex", CODE, choices=Sex, example="M", help=_("must match the ID number; may be left empty")),
        Column("birth_date", DATE, example="1949-12-31", help=_("must match the ID number; may be left empty")),
        Column("relation", CODE, choices=Relation, required=True, example="HEAD"),
        Column("education", CODE, choices=Education, required=True, example="PRIMARY"),
        Column("health", CODE, choices=Health, example="HEALTHY"),
        Column("disability", CODE, choices=Disability, example=""),
        Column("labour", CODE, choices=Labour, required=True, example="ORDINARY"),
        Column("migrant_work", CODE, choices=MigrantWork, example=""),
        Column("migrant_months", INT, minimum=0, maximum=12, example="0"),
    ),
)

INCOMES = Entity(
    "incomes",
    key=("household", "year"),
    help=_("Yearly income records (yuan). Net and per capita income are computed by Fupin."),
    depends_on=("households",),
    columns=(
        Column("household", TEXT, required=True, max_length=20, example="2301291002000001"),
        Column("year", INT, required=True, minimum=1980, maximum=2100, example="2009"),
        Column("household_size", INT, required=True, minimum=1, maximum=99, example="3"),
        _money("wage", _("wage income")),
        _money("business", _("household business income")),
        _money("property_income", _("property income")),
        _money("transfer_family_planning", _("family planning payments")),
        _money("transfer_dibao", _("minimum living allowance")),
        _money("transfer_wubao", _("five guarantees support")),
        _money("transfer_pension", _("pension")),
        _money("transfer_eco_compensation", _("ecological compensation")),
        _money("transfer_other", _("other transfer income")),
        _money("production_costs", _("production costs")),
    ),
)

STATUS_EVENTS = Entity(
    "status_events",
    key=("household", "seq"),
    help=_(
        "Each household's identification, exit and return steps in order (seq 1, 2, ...). "
        "Replayed through the workflow, they must end in the household's status."
    ),
    depends_on=("households",),
    columns=(
        Column("household", TEXT, required=True, max_length=20, example="2301291002000001"),
        Column("seq", INT, required=True, minimum=1, example="1", help=_("order of the step in the household")),
        Column("procedure", CODE, choices=Procedure, required=True, example="identification"),
        Column("action", CODE, choices=Action, required=True, example="apply"),
        Column("date", DATE, required=True, example="2009-03-01"),
        Column("note", TEXT, max_length=300, example=""),
    ),
)

ENTITIES: dict[str, Entity] = {
    e.name: e for e in (AREAS, POVERTY_LINES, HOUSEHOLDS, HELPERS, MEMBERS, INCOMES, STATUS_EVENTS)
}
