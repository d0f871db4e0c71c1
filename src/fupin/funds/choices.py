"""Code lists of the funds ledger (domain-rules.md, "Fund source types")."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    CENTRAL = "central", _("central anti-poverty funds (中央财政扶贫资金)")
    PROVINCIAL = "provincial", _("provincial funds (省级财政扶贫资金)")
    CITY = "city", _("city funds (市级资金)")
    COUNTY = "county", _("county funds (县级资金)")
    SECTOR = "sector", _("integrated sector funds (行业部门整合资金)")
    SOCIAL_GRANT = "social_grant", _("social grants (社会扶贫捐赠)")
    SOCIAL_INVESTMENT = "social_investment", _("social introduced investment (社会引进资金)")
    CREDIT = "credit", _("credit (信贷资金)")
    OWN = "own", _("households' own money (群众自筹)")
    LABOUR = "labour", _("labour in kind (投工投劳折资)")


# Groups the indicators and reports use.
FISCAL = (Source.CENTRAL, Source.PROVINCIAL)  # 中央和省级财政扶贫资金
SOCIAL = (Source.SOCIAL_GRANT, Source.SOCIAL_INVESTMENT)  # 社会扶贫资金
# Funds integrated for a programme: every source but what households put in themselves.
INTEGRATED = tuple(s for s in Source if s not in (Source.OWN, Source.LABOUR))


class EntryKind(models.TextChoices):
    APPROPRIATION = "appropriation", _("appropriation")
    ALLOCATION = "allocation", _("allocation")
    DISBURSEMENT = "disbursement", _("disbursement")
