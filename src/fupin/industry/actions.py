"""The audit actions of leading enterprises with their labels (``fupin.core.audit``)."""

from django.utils.translation import gettext_lazy as _

from fupin.core.audit import register_actions

register_actions(
    {
        "industry.enterprise.create": _("registered a leading enterprise"),
        "industry.enterprise.update": _("changed a leading enterprise"),
        "industry.employment.create": _("recorded an employment at a leading enterprise"),
        "industry.employment.end": _("ended an employment at a leading enterprise"),
        "industry.base.create": _("set up a production base"),
        "industry.base.link": _("linked a household to a production base"),
        "industry.base.unlink": _("removed a household's link to a production base"),
        "industry.contract.create": _("recorded an order contract"),
        "industry.contract.fulfil": _("recorded deliveries and payments of an order contract"),
    }
)
