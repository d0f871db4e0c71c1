"""Code lists of the discounted loans (Chinese and English)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BorrowerKind(models.TextChoices):
    HOUSEHOLD = "household", _("household (到户贷款)")
    ENTERPRISE = "enterprise", _("leading enterprise (龙头企业贷款)")
    PROJECT = "project", _("project (项目贷款)")
