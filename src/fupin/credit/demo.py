"""The credit app's ``demo`` (found by ``autodiscover_modules("demo")``): its two parts register theirs."""

from fupin.credit.loans import demo as loans_demo  # noqa: F401
from fupin.credit.mutual import demo as mutual_demo  # noqa: F401
