"""The audit actions of the responsibility and assessment system (``fupin.core.audit``)."""

from django.utils.translation import gettext_lazy as _

from fupin.core.audit import register_actions

register_actions(
    {
        "accountability.assignment.save": _("recorded a responsibility assignment"),
        "accountability.department.create": _("registered an assessed department"),
        "accountability.target.set": _("set an assessment target"),
        "accountability.assessment.create": _("opened an assessment"),
        "accountability.assessment.weights": _("changed an assessment's weights"),
        "accountability.assessment.run": _("ran an assessment"),
        "accountability.evidence.attach": _("attached an evidence file"),
        "accountability.model.save": _("recorded a typical model"),
        "accountability.meeting.record": _("recorded a promotion meeting"),
    }
)
