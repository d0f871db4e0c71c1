"""The credit app's ``navigation`` (found by ``autodiscover_modules("navigation")``): its two parts register theirs."""

from fupin.credit.loans import navigation as loans_navigation  # noqa: F401
from fupin.credit.mutual import navigation as mutual_navigation  # noqa: F401
