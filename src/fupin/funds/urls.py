"""The funds' pages: an area's balances and flow, appropriation, allocation, reversal.
They join the shell's ``web`` namespace (no ``app_name``): ``web:<name>``."""

from django.urls import path

from fupin.funds import views

urlpatterns = [
    path("funds/", views.funds_area, name="funds_area"),
    path("funds/<str:area>/appropriate/", views.appropriate, name="appropriate"),
    path("funds/<str:area>/allocate/", views.allocate, name="allocate"),
    path("funds/entries/<int:pk>/reverse/", views.entry_reverse, name="entry_reverse"),
]
