"""The registry's files of the exchange package: their columns (docs/data-exchange.md),
derived from the models' fields (``fupin.exchange.schema.model_columns``: kind, required,
code list, length and range are the field's) with the examples and help of each, and in
place of a relation the natural key that names its record (a household's code, a
village's code)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from fupin.core.validation import YEARS
from fupin.exchange.schema import (
    AREA,
    CODES,
    ID_NUMBER,
    INT,
    TEXT,
    Column,
    Entity,
    model_columns,
    phone_column,
)
from fupin.registry.choices import Cause
from fupin.registry.models import Helper, Household, IncomeRecord, Person, PovertyLine, StatusEvent
from fupin.registry.rules import (
    HOUSEHOLD_CODE_FORM,
    HOUSEHOLD_CODE_MAX_LENGTH,
    HOUSEHOLD_CODE_PATTERN,
)

YEAR = {"minimum": YEARS[0], "maximum": YEARS[1], "example": "2009"}

# a row of a household's file names its household by code
HOUSEHOLD = Column(
    "household",
    TEXT,
    required=True,
    max_length=HOUSEHOLD_CODE_MAX_LENGTH,
    example="2301291002000001",
    refers_to="households",
)


def _money(help_: object) -> dict[str, object]:
    return {"example": "1200.00", "help": help_}


POVERTY_LINES = Entity(
    "poverty_lines",
    key=("year", "area"),
    help=_("Poverty lines by year: the national line (area empty), or a province's or a city's own line."),
    columns=model_columns(
        PovertyLine,
        ["year", "area", "amount", "basis", "source"],
        {
            "year": YEAR,
            "area": Column("area", AREA, example="", help=_("province or city code; empty for the national line")),
            "amount": {"example": "1196.00", "help": _("yuan per person per year")},
            "basis": {"example": "2008 standard"},
            "source": {"example": "NBS statistical communique"},
        },
    ),
)

HOUSEHOLDS = Entity(
    "households",
    key=("code",),
    help=_(
        "Households with their village, types, causes, status, and the 两不愁三保障 items "
        "(two no worries, three guarantees) plus safe drinking water."
    ),
    columns=model_columns(
        Household,
        [
            "code",
            "village",
            "address",
            "phone",
            "type_ordinary",
            "type_dibao",
            "type_wubao",
            "main_cause",
            "secondary_causes",
            "status",
            "returned",
            "procedure",
            "stage",
            "stage_date",
            *Household.ASSURANCE_FIELDS,
        ],
        {
            "code": {
                "pattern": HOUSEHOLD_CODE_PATTERN,
                "pattern_help": _("13 to 20 digits: the village's 12-digit code followed by serial digits"),
                "pattern_message": HOUSEHOLD_CODE_FORM.message,
                "example": "2301291002000001",
                "help": _("household code: the village's code followed by serial digits"),
            },
            "village": Column("village", AREA, required=True, example="230129100200", help=_("village code")),
            "address": {"example": "1组12号"},
            "phone": phone_column(),
            "type_ordinary": {"example": "1", "help": _("ordinary poor household")},
            "type_dibao": {"example": "0", "help": _("低保 household")},
            "type_wubao": {"example": "0", "help": _("五保 household")},
            "main_cause": {"example": "ILLNESS"},
            # the household's secondary causes (registry_secondarycause), several codes of Cause
            "secondary_causes": Column("secondary_causes", CODES, choices=Cause, example="NO_CAPITAL;NO_SKILLS"),
            # a file states every household's status (a new household's default is not assumed)
            "status": {
                "required": True,
                "example": "poor",
                "help": _("must agree with the household's status events"),
            },
            "returned": {"example": "0", "help": _("returned to poverty")},
            "procedure": {"example": "", "help": _("procedure under way, if any")},
            "stage": {"example": "", "help": _("its last completed step")},
            "stage_date": {"example": "2009-06-30", "help": _("date of the last step")},
            # 两不愁三保障 and safe drinking water: 1 assured, 0 not assured, empty not yet assessed
            "assured_food": {"example": "1", "help": _("food assured (不愁吃)")},
            "assured_clothing": {"example": "1", "help": _("clothing assured (不愁穿)")},
            "assured_education": {
                "example": "1",
                "help": _("compulsory education guaranteed (义务教育有保障): no child of school age out of school"),
            },
            "assured_medical": {
                "example": "0",
                "help": _("basic medical care guaranteed (基本医疗有保障): every member in basic medical insurance"),
            },
            "assured_housing": {
                "example": "1",
                "help": _(
                    "safe housing guaranteed (住房安全有保障): the dwelling is not a class C or D dangerous house"
                ),
            },
            "assured_water": {"example": "1", "help": _("safe drinking water guaranteed (饮水安全有保障)")},
        },
    ),
)

HELPERS = Entity(
    "helpers",
    key=("household", "name"),
    help=_("The people responsible for helping each household (帮扶责任人)."),
    depends_on=("households",),
    columns=model_columns(
        Helper,
        ["household", "name", "unit", "post", "phone"],
        {
            "household": HOUSEHOLD,
            "name": {"example": "王干部"},
            "unit": {"example": "县扶贫办"},
            "post": {"example": "科员"},
            "phone": phone_column(),
        },
    ),
)

MEMBERS = Entity(
    "members",
    key=("id_number",),
    help=_("Household members; a person belongs to one household, an ID number exists once."),
    depends_on=("households",),
    columns=model_columns(
        Person,
        [
            "id_number",
            "household",
            "name",
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
        {
            "id_number": Column("id_number", ID_NUMBER, required=True, example="11010519491231002X"),
            "household": HOUSEHOLD,
            "name": {"example": "张三"},
            # sex and birth date follow from the ID number when a file leaves them empty
            "sex": {"required": False, "example": "M", "help": _("must match the ID number; may be left empty")},
            "birth_date": {
                "required": False,
                "example": "1949-12-31",
                "help": _("must match the ID number; may be left empty"),
            },
            "relation": {"example": "HEAD"},
            "education": {"example": "PRIMARY"},
            "health": {"example": "HEALTHY"},
            "disability": {"example": ""},
            "labour": {"example": "ORDINARY"},
            "migrant_work": {"example": ""},
            "migrant_months": {"minimum": 0, "maximum": 12, "example": "0"},
        },
    ),
)

INCOMES = Entity(
    "incomes",
    key=("household", "year"),
    help=_("Yearly income records (yuan). Net and per capita income are computed by Fupin."),
    depends_on=("households",),
    columns=model_columns(
        IncomeRecord,
        ["household", "year", "household_size", *IncomeRecord.AMOUNT_FIELDS],
        {
            "household": HOUSEHOLD,
            "year": YEAR,
            "household_size": {"example": "3"},
            "wage": _money(_("wage income")),
            "business": _money(_("household business income")),
            "property_income": _money(_("property income")),
            "transfer_family_planning": _money(_("family planning payments")),
            "transfer_dibao": _money(_("minimum living allowance")),
            "transfer_wubao": _money(_("five guarantees support")),
            "transfer_pension": _money(_("pension")),
            "transfer_eco_compensation": _money(_("ecological compensation")),
            "transfer_other": _money(_("other transfer income")),
            "production_costs": _money(_("production costs")),
        },
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
    columns=model_columns(
        StatusEvent,
        ["household", "seq", "procedure", "action", "date", "note"],
        {
            "household": HOUSEHOLD,
            # the order of the steps in the file (the database orders them by date and id)
            "seq": Column(
                "seq", INT, required=True, minimum=1, example="1", help=_("order of the step in the household")
            ),
            "procedure": {"example": "identification"},
            "action": {"example": "apply"},
            "date": {"example": "2009-03-01"},
            "note": {"example": ""},
        },
    ),
)
