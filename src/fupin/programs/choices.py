"""Code lists of the programs (see docs/programs.md and ../shared/reference/domain-rules.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ProgramType(models.TextChoices):
    VILLAGE_ADVANCEMENT = "village_advancement", _("entire village advancement (整村推进)")
    INDUSTRY = "industry", _("industrial development (产业化扶贫)")
    TRAINING = "training", _("training and labour transfer (雨露计划)")
    MUTUAL_FUND = "mutual_fund", _("village mutual fund (互助资金)")
    LOAN_DISCOUNT = "loan_discount", _("loan interest discount (贴息贷款)")
    CONTIGUOUS = "contiguous", _("contiguous development (连片开发)")
    LAND_TRANSFER = "land_transfer", _("land transfer (土地流转)")
    SOCIAL = "social", _("social and pairing assistance (社会扶贫)")


class Category(models.TextChoices):
    """The five project categories of a village plan (村级扶贫规划)."""

    INFRASTRUCTURE = "infrastructure", _("agricultural infrastructure (农业基础设施)")
    PUBLIC_SERVICE = "public_service", _("public service facilities (公共服务设施)")
    SOCIAL = "social", _("social undertakings (社会事业)")
    TRAINING = "training", _("poverty alleviation training (扶贫培训)")
    INDUSTRY = "industry", _("industrial development of poor households (贫困户产业发展)")


class PlanStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    IN_PROGRESS = "in_progress", _("in progress")
    ACCEPTED = "accepted", _("accepted as completed")


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    IN_PROGRESS = "in_progress", _("in progress")
    COMPLETED = "completed", _("completed")
    CANCELLED = "cancelled", _("cancelled")


class Unit(models.TextChoices):
    """Units of project outputs."""

    HEAD = "head", _("head")
    BIRDS = "birds", _("birds")
    TONNES = "t", _("tonnes")
    KM = "km", _("km")
    METRES = "m", _("metres")
    SQUARE_METRES = "m2", _("m²")
    SETS = "sets", _("sets")
    COUNT = "count", _("count")
    HOUSEHOLDS = "households", pgettext_lazy("unit", "households")
    MU = "mu", _("mu (亩)")
    PERSONS = "persons", _("persons")


# The acceptance standard of entire village advancement in Heilongjiang, "四有三通三提高"
# (domain-rules.md §3): field name, group, label. A plan is accepted only with every item.
CHECKLIST: list[tuple[str, str, object]] = [
    ("check_household_projects", "四有", _("poor households have development projects (户户有增收项目)")),
    ("check_training", "四有", _("family members trained and transferred to work (家家有培训转移)")),
    ("check_machinery", "四有", _("the village has large or medium farm machinery (村有大中型农机具)")),
    ("check_clinic", "四有", _("the village has a clinic and a family planning office (村有卫生所和计生室)")),
    ("check_road", "三通", _("hardened roads reach the village (通硬化路)")),
    ("check_tap_water", "三通", _("tap water reaches the households (通自来水)")),
    ("check_tv", "三通", _("cable or wireless TV reaches the households (通有线或无线电视)")),
    ("check_conditions", "三提高", _("better production and living conditions (生产生活条件提高)")),
    ("check_civility", "三提高", _("more civilised village life (文明程度提高)")),
    ("check_democracy", "三提高", _("better democratic management (民主管理水平提高)")),
]
CHECKLIST_FIELDS = [name for name, _group, _label in CHECKLIST]
