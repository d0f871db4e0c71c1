"""Code lists of Rain Plan training (雨露计划; domain-rules.md §4 and "Training types")."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ClassType(models.TextChoices):
    LABOUR_TRANSFER = "labour_transfer", _("labour-transfer skills training (劳动力转移培训)")
    WHOLE_VILLAGE = "whole_village", _("whole-village practical agricultural technology (整村农业实用技术培训)")
    LEADERS = "leaders", _("leaders training (带头人培训)")
    VOCATIONAL = "vocational", _("vocational education (职业教育)")


class LeaderRole(models.TextChoices):
    """Who a leaders class trains (the seed: party secretaries, village committee
    directors and business leaders of the batch villages)."""

    PARTY_SECRETARY = "party_secretary", _("village party secretary (村党支部书记)")
    COMMITTEE_DIRECTOR = "committee_director", _("village committee director (村委会主任)")
    BUSINESS_LEADER = "business_leader", _("business leader (致富带头人)")


class Certification(models.TextChoices):
    """Which poverty alleviation office designated the training base."""

    NATIONAL = "national", _("national (国务院扶贫办认定)")
    PROVINCIAL = "provincial", _("provincial (省扶贫办认定)")
    CITY = "city", _("city (市扶贫办认定)")
    COUNTY = "county", _("county (县扶贫办认定)")


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", pgettext_lazy("enrolment status", "enrolled")
    COMPLETED = "completed", pgettext_lazy("enrolment status", "completed")
    DROPPED = "dropped", pgettext_lazy("enrolment status", "dropped out")


class Sector(models.TextChoices):
    AGRICULTURE = "agriculture", _("agriculture (农业)")
    MANUFACTURING = "manufacturing", _("manufacturing (制造业)")
    CONSTRUCTION = "construction", _("construction (建筑业)")
    SERVICES = "services", _("services (服务业)")
    OTHER = "other", _("other (其他)")


class Destination(models.TextChoices):
    """Where the job is, seen from the trainee's home county."""

    HOME_COUNTY = "home_county", _("in the home county (县内)")
    PROVINCE = "province", _("elsewhere in the province (省内县外)")
    OTHER_PROVINCE = "other_province", _("another province (省外)")
    ABROAD = "abroad", _("abroad (境外)")
