"""Code lists of social and pairing assistance (domain-rules.md §9)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class UnitLevel(models.TextChoices):
    """What kind of body an assisting unit is (its level decides its own area and its reach)."""

    CENTRAL = "central", _("central organ (中直单位)")
    PROVINCIAL = "provincial", _("provincial organ (省直单位)")
    CITY = "city", _("city organ (市直单位)")
    COUNTY = "county", _("county organ (县直单位)")
    ENTERPRISE = "enterprise", _("enterprise (企业)")
    OTHER = "other", _("other organisation (其他组织)")


class CadreKind(models.TextChoices):
    TEAM_MEMBER = "team_member", _("resident work team member (驻村工作队员)")
    FIRST_SECRETARY = "first_secretary", _("first secretary (第一书记)")
    OTHER = "other", pgettext_lazy("cadre kind", "other (其他)")


class ContributionKind(models.TextChoices):
    GRANT = "grant", _("grant, given free (无偿投入)")
    INVESTMENT = "investment", _("introduced investment (引进资金)")


class ContributionForm(models.TextChoices):
    CASH = "cash", _("cash (资金)")
    KIND = "kind", _("in kind, at its value (实物折价)")
