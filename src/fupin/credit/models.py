"""The credit app's tables: those of the discounted loans (``credit.loans.models``) and of
the village mutual funds (``credit.mutual.models``)."""

from fupin.credit.loans.models import *  # noqa: F403
from fupin.credit.mutual.models import *  # noqa: F403
