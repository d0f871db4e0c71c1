"""Code lists of the registry, keyed by stable English codes (see docs/registry.md and
../shared/reference/domain-rules.md for their sources)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Status(models.TextChoices):
    NON_POOR = "non_poor", _("not poor")
    POOR = "poor", _("poor")
    EXITED = "exited", _("exited poverty")


class Procedure(models.TextChoices):
    NONE = "", _("none")
    IDENTIFICATION = "identification", _("identification")
    EXIT = "exit", _("exit from poverty")
    RETURN = "return", _("return to poverty")


class Stage(models.TextChoices):
    """The last completed step of an open procedure."""

    NONE = "", _("none")
    APPLIED = "applied", _("application")
    APPRAISED = "appraised", _("village appraisal")
    NOTICE_1 = "notice_1", _("first public notice")
    REVIEWED = "reviewed", _("township review")
    NOTICE_2 = "notice_2", _("second public notice")


class Action(models.TextChoices):
    APPLY = "apply", _("apply")
    APPRAISE = "appraise", _("village appraisal")
    FIRST_NOTICE = "first_notice", _("post first public notice")
    REVIEW = "review", _("township review")
    SECOND_NOTICE = "second_notice", _("post second public notice")
    APPROVE = "approve", _("county approval")
    OBJECT = "object", _("objection during notice")
    REJECT = "reject", _("reject")


class Cause(models.TextChoices):
    ILLNESS = "ILLNESS", _("illness")
    DISABILITY = "DISABILITY", pgettext_lazy("cause of poverty", "disability")
    SCHOOLING = "SCHOOLING", _("schooling costs")
    DISASTER = "DISASTER", _("disaster")
    NO_LAND = "NO_LAND", _("lack of land")
    NO_WATER = "NO_WATER", _("lack of water")
    NO_SKILLS = "NO_SKILLS", _("lack of skills")
    NO_LABOUR = "NO_LABOUR", _("lack of labour")
    NO_CAPITAL = "NO_CAPITAL", _("lack of capital")
    POOR_TRANSPORT = "POOR_TRANSPORT", _("poor transport")
    LOW_MOTIVATION = "LOW_MOTIVATION", _("insufficient own drive")
    OTHER = "OTHER", _("other")


class Sex(models.TextChoices):
    MALE = "M", _("male")
    FEMALE = "F", _("female")


class Relation(models.TextChoices):
    HEAD = "HEAD", _("head of household")
    SPOUSE = "SPOUSE", _("spouse")
    CHILD = "CHILD", _("child")
    CHILD_IN_LAW = "CHILD_IN_LAW", _("child-in-law")
    GRANDCHILD = "GRANDCHILD", _("grandchild")
    PARENT = "PARENT", pgettext_lazy("relative", "parent")
    GRANDPARENT = "GRANDPARENT", _("grandparent")
    SIBLING = "SIBLING", _("sibling")
    OTHER = "OTHER", _("other relative")


class Education(models.TextChoices):
    PRESCHOOL = "PRESCHOOL", _("pre-school")
    ILLITERATE = "ILLITERATE", _("illiterate or semi-literate")
    PRIMARY = "PRIMARY", _("primary school")
    JUNIOR = "JUNIOR", _("junior secondary")
    SENIOR = "SENIOR", _("senior secondary or vocational")
    TERTIARY = "TERTIARY", _("college or above")


class Health(models.TextChoices):
    HEALTHY = "HEALTHY", _("healthy")
    CHRONIC = "CHRONIC", _("long-term chronic illness")
    SERIOUS = "SERIOUS", _("serious illness")
    DISABLED = "DISABLED", _("disabled")


class Disability(models.TextChoices):
    NONE = "", _("none")
    VISUAL = "VISUAL", _("visual")
    HEARING = "HEARING", _("hearing")
    SPEECH = "SPEECH", _("speech")
    PHYSICAL = "PHYSICAL", _("physical")
    INTELLECTUAL = "INTELLECTUAL", _("intellectual")
    MENTAL = "MENTAL", _("mental")
    MULTIPLE = "MULTIPLE", _("multiple")


class Labour(models.TextChoices):
    ORDINARY = "ORDINARY", _("ordinary labour")
    SKILLED = "SKILLED", _("skilled labour")
    WEAK = "WEAK", _("weak or half labour")
    LOST = "LOST", _("lost labour ability")
    NONE = "NONE", _("no labour (child, student or elderly)")


class MigrantWork(models.TextChoices):
    NONE = "", _("not working away")
    TOWNSHIP = "TOWNSHIP", _("within the township")
    COUNTY = "COUNTY", _("within the county")
    PROVINCE = "PROVINCE", _("within the province")
    OUTSIDE = "OUTSIDE", _("outside the province")


class LineScope(models.TextChoices):
    NATIONAL = "national", _("national line")
    PROVINCIAL = "provincial", _("provincial line")
    MUNICIPAL = "municipal", _("municipal line")


# The "two no worries, three guarantees" (两不愁三保障) plus safe drinking water: the
# household items checked at identification and exit, and the indicators of the
# multidimensional poverty measure (fupin.analytics.mpi). One field each on Household.
ASSURANCE_FIELDS = [
    "assured_food",
    "assured_clothing",
    "assured_education",
    "assured_medical",
    "assured_housing",
    "assured_water",
]


# The amounts of an income record (yuan): the income items, the transfer items among them,
# and the production costs subtracted from their sum to give the net income.
INCOME_TRANSFER_ITEMS = [
    "transfer_family_planning",
    "transfer_dibao",
    "transfer_wubao",
    "transfer_pension",
    "transfer_eco_compensation",
    "transfer_other",
]
INCOME_AMOUNT_FIELDS = ["wage", "business", "property_income", *INCOME_TRANSFER_ITEMS, "production_costs"]
