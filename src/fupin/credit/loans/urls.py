"""The discounted loans' pages, in the credit app's namespace (``credit:loan_list`` …)."""

from django.urls import URLPattern, path

from fupin.credit.loans import views

urlpatterns: list[URLPattern] = [
    path("credit/loans/", views.loan_list, name="loan_list"),
    path("credit/loans/new/", views.loan_create, name="loan_create"),
    path("credit/loans/discounts/pay/", views.discount_pay, name="discount_pay"),
    path("credit/loans/<str:code>/", views.loan_detail, name="loan_detail"),
]
