"""The credit app's ``indicators`` (found by ``autodiscover_modules("indicators")``): its two parts register theirs."""

from fupin.credit.loans import indicators as loans_indicators  # noqa: F401
from fupin.credit.mutual import indicators as mutual_indicators  # noqa: F401
