"""Code lists of the responsibility and assessment system (责任制与考核)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("assessment status", "draft")
    RUN = "run", pgettext_lazy("assessment status", "run")


class ModelKind(models.TextChoices):
    """What a typical model (典型) is an example of."""

    VILLAGE = "village", _("village (示范村)")
    COUNTY = "county", _("county (示范县)")
    HOUSEHOLD = "household", _("household (示范户)")
    ENTERPRISE = "enterprise", _("enterprise (示范企业)")


class EvidenceType(models.TextChoices):
    """The kinds of evidence file accepted, by their content (``fupin.accountability.evidence``)."""

    PDF = "pdf", "PDF"
    PNG = "png", "PNG"
    JPEG = "jpeg", "JPEG"
    DOCX = "docx", "DOCX"
    XLSX = "xlsx", "XLSX"
