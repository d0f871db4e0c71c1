"""The registry's files of the exchange package: their columns (docs/data-exchange.md)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from fupin.core.validation import YEARS
from fupin.exchange.schema import (
    AREA,
    BOOL,
    CODE,
    CODES,
    DATE,
    DECIMAL,
    ID_NUMBER,
    INT,
    OPTIONAL_BOOL,
    TEXT,
    Column,
    Entity,
    money_column,
    phone_column,
)
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

POVERTY_LINES = Entity(
    "poverty_lines",
    key=("year", "area"),
    help=_("Poverty lines by year: the national line (area empty), or a province's or a city's own line."),
    columns=(
        Column("year", INT, required=True, minimum=YEARS[0], maximum=YEARS[1], example="2009"),
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
        phone_column(),
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
        Column(
            "household",
            TEXT,
            required=True,
            max_length=HOUSEHOLD_CODE_MAX_LENGTH,
            example="2301291002000001",
            refers_to="households",
        ),
        Column("name", TEXT, required=True, max_length=64, example="王干部"),
        Column("unit", TEXT, max_length=128, example="县扶贫办"),
        Column("post", TEXT, max_length=64, example="科员"),
        phone_column(),
    ),
)

MEMBERS = Entity(
    "members",
    key=("id_number",),
    help=_("Household members; a person belongs to one household, an ID number exists once."),
    depends_on=("households",),
    columns=(
        Column("id_number", ID_NUMBER, required=True, example="11010519491231002X"),
        Column(
            "household",
            TEXT,
            required=True,
            max_length=HOUSEHOLD_CODE_MAX_LENGTH,
            example="2301291002000001",
            refers_to="households",
        ),
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
        Column(
            "household",
            TEXT,
            required=True,
            max_length=HOUSEHOLD_CODE_MAX_LENGTH,
            example="2301291002000001",
            refers_to="households",
        ),
        Column("year", INT, required=True, minimum=YEARS[0], maximum=YEARS[1], example="2009"),
        Column("household_size", INT, required=True, minimum=1, maximum=HOUSEHOLD_SIZE_MAX, example="3"),
        money_column("wage", _("wage income")),
        money_column("business", _("household business income")),
        money_column("property_income", _("property income")),
        money_column("transfer_family_planning", _("family planning payments")),
        money_column("transfer_dibao", _("minimum living allowance")),
        money_column("transfer_wubao", _("five guarantees support")),
        money_column("transfer_pension", _("pension")),
        money_column("transfer_eco_compensation", _("ecological compensation")),
        money_column("transfer_other", _("other transfer income")),
        money_column("production_costs", _("production costs")),
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
        Column(
            "household",
            TEXT,
            required=True,
            max_length=HOUSEHOLD_CODE_MAX_LENGTH,
            example="2301291002000001",
            refers_to="households",
        ),
        Column("seq", INT, required=True, minimum=1, example="1", help=_("order of the step in the household")),
        Column("procedure", CODE, choices=Procedure, required=True, example="identification"),
        Column("action", CODE, choices=Action, required=True, example="apply"),
        Column("date", DATE, required=True, example="2009-03-01"),
        Column("note", TEXT, max_length=300, example=""),
    ),
)
