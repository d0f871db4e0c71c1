"""The programs' audit actions, with their labels (``fupin.core.audit``)."""

from django.utils.translation import gettext_lazy as _

from fupin.core.audit import register_actions

register_actions(
    {
        "batch.create": _("created a batch"),
        "plan.create": _("created a village plan"),
        "plan.update": _("edited a village plan"),
        "plan.start": _("started work on a village plan"),
        "plan.checklist": _("recorded a village plan's checklist"),
        "plan.accept": _("accepted a village plan"),
        "zone.create": _("created a contiguous zone"),
        "project.create": _("created a project"),
        "project.update": _("edited a project"),
        "output.record": _("recorded a project's output"),
        "labour.record": _("recorded labour on a project"),
        "beneficiary.add": _("recorded as a beneficiary of a project"),
        "beneficiary.remove": _("removed from a project's beneficiaries"),
    }
)
