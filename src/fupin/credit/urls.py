"""The credit app's pages: the discounted loans' and the mutual funds'."""

from fupin.credit.loans.urls import urlpatterns as loans_urlpatterns
from fupin.credit.mutual.urls import urlpatterns as mutual_urlpatterns

app_name = "credit"
urlpatterns = [*loans_urlpatterns, *mutual_urlpatterns]
