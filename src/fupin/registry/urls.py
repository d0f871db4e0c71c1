"""The registry's pages: the household list, register, page, edit and workflow.
They join the shell's ``web`` namespace (no ``app_name``): ``web:<name>``."""

from django.urls import path

from fupin.registry import views

urlpatterns = [
    path("households/", views.household_list, name="household_list"),
    path("households/new/", views.household_register, name="household_register"),
    path("households/new/member-row/", views.member_row, name="member_row"),
    path("households/<str:code>/", views.household_detail, name="household_detail"),
    path("households/<str:code>/edit/", views.household_edit, name="household_edit"),
    path("households/<str:code>/step/", views.household_step, name="household_step"),
    path("households/<str:code>/members/new/", views.member_add, name="member_add"),
    path("households/<str:code>/members/<int:pk>/", views.person_detail, name="person_detail"),
    path("households/<str:code>/income/", views.income_enter, name="income_enter"),
]
