"""The mutual fund pages (namespace ``credit``, paths under ``/credit/funds/``)."""

from django.urls import path

from fupin.credit.mutual import views

urlpatterns = [
    path("credit/funds/", views.fund_list, name="fund_list"),
    path("credit/funds/<str:code>/", views.fund_detail, name="fund_detail"),
]
