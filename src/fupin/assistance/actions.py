"""The audit actions of social and pairing assistance with their labels (``fupin.core.audit``)."""

from django.utils.translation import gettext_lazy as _

from fupin.core.audit import register_actions

register_actions(
    {
        "assistance.unit.create": _("registered an assisting unit"),
        "assistance.pairing.create": _("recorded a pairing of an assisting unit"),
        "assistance.cadre.create": _("recorded a cadre dispatched by an assisting unit"),
        "assistance.visit.create": _("recorded a visit of an assisting unit"),
        "assistance.contribution.create": _("recorded a contribution of an assisting unit"),
        "assistance.project.create": _("recorded a project supported by an assisting unit"),
        "assistance.class.create": _("recorded a training class organised by an assisting unit"),
        "assistance.student.create": _("recorded a student aided by an assisting unit"),
    }
)
