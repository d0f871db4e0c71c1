"""The data exchange package: one file (CSV) or sheet (XLSX) per entity.

This module is the single description of the format. Import validation, export, the
blank templates, their reference sheet of code lists and docs/data-exchange.md are all
made from it. A later entity (trainees, loans...) adds its ``Entity`` here and its
loader, the same way.

Rows refer to each other by natural keys (area code, household code, ID number, batch
number, project code, zone code, ledger entry number), never by database ids.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import TextChoices
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from fupin.core.validation import PHONE_MAX_LENGTH, PHONE_PATTERN
from fupin.funds.choices import EntryKind, Source
from fupin.geo.choices import KeyCounty
from fupin.programs.choices import CHECKLIST, Category, PlanStatus, ProgramType, ProjectStatus, Unit
from fupin.programs.rules import LABOUR_MIN_PERSONS, NOTE_MAX_LENGTH
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
from fupin.registry.rules import HOUSEHOLD_CODE_MAX_LENGTH, HOUSEHOLD_CODE_PATTERN, HOUSEHOLD_SIZE_MAX

# kinds of column
TEXT = "text"
INT = "int"
DECIMAL = "decimal"
SIGNED_DECIMAL = "signed_decimal"  # an amount that may be negative (a reversing ledger entry)
QUANTITY = "quantity"  # zero or more, with up to 3 decimals
DATE = "date"
BOOL = "bool"
OPTIONAL_BOOL = "bool_or_empty"  # 1 or 0, or empty for "not known" (stored as NULL)
CODE = "code"  # one value of a code list
CODES = "codes"  # several values of a code list, separated by ";"
AREA = "area"  # a 12-digit area code
AREA_LIST = "area_list"  # 12-digit area codes separated by ";"
ID_NUMBER = "id_number"  # an 18-digit resident ID number

KIND_HELP = {
    TEXT: _("text"),
    INT: _("whole number"),
    DECIMAL: _("number with at most 2 decimals"),
    SIGNED_DECIMAL: _("number with at most 2 decimals, negative allowed"),
    QUANTITY: _("number with at most 3 decimals"),
    DATE: _("date, YYYY-MM-DD"),
    BOOL: _("1 or 0 (also true/false, yes/no, 是/否)"),
    OPTIONAL_BOOL: _("1 or 0 as for bool, or empty: not yet assessed"),
    CODE: _("one code of the list"),
    CODES: _("codes of the list separated by ;"),
    AREA: _("12-digit area code"),
    AREA_LIST: _("12-digit area codes separated by ;"),
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
    digits: int | None = None  # most digits before the decimal point (of a number column)
    pattern: str | None = None  # a text column's values match this regular expression
    pattern_help: Any = ""  # what the pattern means, for errors and the docs

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


def _phone() -> Column:
    return Column(
        "phone",
        TEXT,
        max_length=PHONE_MAX_LENGTH,
        pattern=PHONE_PATTERN,
        pattern_help=_("a phone number: digits, with spaces or hyphens, and an optional leading +"),
        example="13900000000",
    )


def _money(name: str, help_: Any) -> Column:
    return Column(name, DECIMAL, example="1200.00", help=help_)


def _year(name: str = "year", *, required: bool = True, example: str = "2009", help_: Any = "") -> Column:
    return Column(name, INT, required=required, minimum=1980, maximum=2100, example=example, help=help_)


def _project(help_: Any = "") -> Column:
    return Column("project", TEXT, required=True, max_length=32, example="YS-2009-001", help=help_ or _("project code"))


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
        Column(
            "code",
            TEXT,
            required=True,
            max_length=HOUSEHOLD_CODE_MAX_LENGTH,
            pattern=HOUSEHOLD_CODE_PATTERN,
            pattern_help=_("13 to 20 digits: the village's 12-digit code followed by serial digits"),
            example="2301291002000001",
            help=_("household code: the village's code followed by serial digits"),
        ),
        Column("village", AREA, required=True, example="230129100200", help=_("village code")),
        Column("address", TEXT, max_length=200, example="1组12号"),
        _phone(),
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
        _phone(),
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
        Column("household_size", INT, required=True, minimum=1, maximum=HOUSEHOLD_SIZE_MAX, example="3"),
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

BATCHES = Entity(
    "batches",
    key=("number",),
    help=_(
        "Batches of entire village advancement (整村推进): villages that carry out their plans over the same years."
    ),
    columns=(
        Column("number", INT, required=True, minimum=1, maximum=32767, example="4", help=_("batch number")),
        Column("name", TEXT, required=True, max_length=100, example="第四批整村推进"),
        _year("start_year", example="2008", help_=_("first year")),
        _year("end_year", example="2009", help_=_("year of completion; not before the first year")),
        Column("note", TEXT, max_length=NOTE_MAX_LENGTH, example=""),
    ),
)

VILLAGE_PLANS = Entity(
    "village_plans",
    key=("village",),
    help=_(
        "Village plans of entire village advancement (村级扶贫规划), one per village, with their progress and "
        "their acceptance against the 四有三通三提高 checklist (1 ticked, 0 not)."
    ),
    depends_on=("batches",),
    columns=(
        Column("village", AREA, required=True, example="230129100200", help=_("village code")),
        Column("batch", INT, required=True, minimum=1, maximum=32767, example="4", help=_("batch number")),
        Column("planned_investment", DECIMAL, digits=12, example="860000.00", help=_("planned investment (yuan)")),
        Column(
            "status",
            CODE,
            choices=PlanStatus,
            required=True,
            example="accepted",
            help=_("planned, then in progress (from started_on), then accepted (on accepted_on); never back"),
        ),
        Column("started_on", DATE, example="2008-04-01", help=_("date work began; empty while planned")),
        Column("accepted_on", DATE, example="2009-10-20", help=_("date of acceptance; only for an accepted plan")),
        Column(
            "accepted_by",
            TEXT,
            max_length=200,
            example="县扶贫办验收组",
            help=_("the officials who accepted the village; only for an accepted plan, and required there"),
        ),
        *(
            Column(name, BOOL, example="1", help=format_lazy("{}: {}", group, label))
            for name, group, label in CHECKLIST
        ),
        Column("note", TEXT, max_length=NOTE_MAX_LENGTH, example=""),
    ),
)

ZONES = Entity(
    "zones",
    key=("code",),
    help=_(
        "Contiguous development zones (连片开发区): several counties developed together. The counties are "
        "one column, their codes separated by ;."
    ),
    columns=(
        Column("code", TEXT, required=True, max_length=20, example="LP-YS", help=_("zone code")),
        Column("name", TEXT, required=True, max_length=100, example="延寿连片开发区"),
        Column("name_en", TEXT, max_length=200, example="Yanshou contiguous development zone"),
        Column(
            "counties",
            AREA_LIST,
            required=True,
            example="230129000000;230183000000",
            help=_("county codes separated by ;, at least one"),
        ),
        _year("start_year", example="2010", help_=_("first year")),
        _year("end_year", required=False, example="", help_=_("last year; empty while it runs")),
        Column("note", TEXT, max_length=NOTE_MAX_LENGTH, example=""),
    ),
)

PROJECTS = Entity(
    "projects",
    key=("code",),
    help=_(
        "Projects: in a village (usually of its village plan), a county (possibly of a contiguous zone) or the "
        "province. A project's program, area, plan and zone are fixed once it is recorded."
    ),
    depends_on=("village_plans", "zones"),
    columns=(
        Column("code", TEXT, required=True, max_length=32, example="YS-2009-001", help=_("project code")),
        Column("name", TEXT, required=True, max_length=200, example="修建村屯道路"),
        Column("program", CODE, choices=ProgramType, required=True, example="village_advancement"),
        Column("category", CODE, choices=Category, required=True, example="infrastructure"),
        Column("area", AREA, required=True, example="230129100200", help=_("village, county or province code")),
        Column(
            "plan",
            AREA,
            example="230129100200",
            help=_("the village of the project's village plan (entire village advancement only): the project's area"),
        ),
        Column(
            "zone",
            TEXT,
            max_length=20,
            example="",
            help=_("code of the project's contiguous zone; the area must lie in one of its counties"),
        ),
        _year("start_year", example="2009", help_=_("first year")),
        _year("end_year", example="2009", help_=_("last year; not before the first")),
        Column("status", CODE, choices=ProjectStatus, example="completed", help=_("empty means planned")),
        Column("budget", DECIMAL, digits=12, example="350000.00", help=_("budget (yuan)")),
        Column("note", TEXT, max_length=NOTE_MAX_LENGTH, example=""),
    ),
)

OUTPUTS = Entity(
    "outputs",
    key=("project", "kind", "year"),
    help=_(
        "What a project delivered in a year, one row per kind of output of the catalogue (km of road, head of "
        "cattle, households connected to tap water...), in the catalogue's unit."
    ),
    depends_on=("projects",),
    columns=(
        _project(),
        Column("kind", TEXT, required=True, max_length=40, example="road", help=_("code in the output catalogue")),
        _year(),
        Column("quantity", QUANTITY, required=True, digits=11, example="3.5", help=_("zero or more")),
        Column(
            "unit",
            CODE,
            choices=Unit,
            required=True,
            example="km",
            help=_("the catalogue's unit of this kind of output: written out so that a wrong unit is caught"),
        ),
    ),
)

BENEFICIARIES = Entity(
    "beneficiaries",
    key=("project", "household"),
    help=_("Households a project reached (受益户); a household lives within its project's area."),
    depends_on=("projects", "households"),
    columns=(
        _project(),
        Column("household", TEXT, required=True, max_length=20, example="2301291002000001"),
        _year(help_=_("year the household benefited")),
    ),
)

LABOUR_INPUTS = Entity(
    "labour_inputs",
    key=("project", "year"),
    help=_("Labour villagers put into a project in a year (投工投劳)."),
    depends_on=("projects",),
    columns=(
        _project(),
        _year(),
        Column("persons", INT, required=True, minimum=LABOUR_MIN_PERSONS, maximum=2_147_483_647, example="120"),
        Column(
            "person_days",
            INT,
            required=True,
            minimum=0,
            maximum=2_147_483_647,
            example="1800",
            help=_("at least one day per person"),
        ),
    ),
)

FUND_ENTRIES = Entity(
    "fund_entries",
    key=("number",),
    help=_(
        "The funds ledger: appropriations (funds enter at an area or a project), allocations (an area passes "
        "funds to an area below it or to a project in it) and disbursements (a project pays out). Entries are "
        "never changed: a correction is a reversing entry, the same movement with the opposite amount."
    ),
    depends_on=("projects",),
    columns=(
        Column(
            "number",
            TEXT,
            required=True,
            max_length=40,
            example="HLJ-2009-000123",
            help=_("the entry's number, unique in the ledger"),
        ),
        Column("kind", CODE, choices=EntryKind, required=True, example="allocation"),
        Column("source", CODE, choices=Source, required=True, example="central"),
        _year(help_=_("fund year")),
        Column("date", DATE, required=True, example="2009-05-12"),
        Column(
            "amount",
            SIGNED_DECIMAL,
            required=True,
            digits=14,
            example="250000.00",
            help=_("yuan; more than zero, negative only in a reversing entry"),
        ),
        Column(
            "area",
            AREA,
            required=True,
            example="230129000000",
            help=_(
                "the area the money comes from (appropriation: the area it reaches, or its project's; "
                "disbursement: the project's)"
            ),
        ),
        Column("to_area", AREA, example="", help=_("allocation to an area: the area below it that receives")),
        Column(
            "project",
            TEXT,
            max_length=32,
            example="YS-2009-001",
            help=_("allocation to a project, appropriation at a project, or disbursement: the project"),
        ),
        Column(
            "reverses",
            TEXT,
            max_length=40,
            example="",
            help=_("a reversing entry: the number of the entry it reverses (same kind, source, year, areas, project)"),
        ),
        Column("document", TEXT, max_length=100, example="黑财农〔2009〕12号", help=_("document number")),
        Column("note", TEXT, max_length=200, example=""),
    ),
)

ENTITIES: dict[str, Entity] = {
    e.name: e
    for e in (
        AREAS,
        POVERTY_LINES,
        HOUSEHOLDS,
        HELPERS,
        MEMBERS,
        INCOMES,
        STATUS_EVENTS,
        BATCHES,
        VILLAGE_PLANS,
        ZONES,
        PROJECTS,
        OUTPUTS,
        BENEFICIARIES,
        LABOUR_INPUTS,
        FUND_ENTRIES,
    )
}
