from django.urls import path

from fupin.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("areas/search/", views.area_search, name="area_search"),
    path("areas/<str:code>/", views.area_detail, name="area_detail"),
    path("households/", views.household_list, name="household_list"),
    path("households/new/", views.household_register, name="household_register"),
    path("households/new/member-row/", views.member_row, name="member_row"),
    path("households/<str:code>/", views.household_detail, name="household_detail"),
    path("households/<str:code>/edit/", views.household_edit, name="household_edit"),
    path("households/<str:code>/step/", views.household_step, name="household_step"),
    path("households/<str:code>/members/new/", views.member_add, name="member_add"),
    path("households/<str:code>/income/", views.income_enter, name="income_enter"),
    path("programs/", views.batch_list, name="batch_list"),
    path("programs/batches/<int:number>/", views.batch_detail, name="batch_detail"),
    path("programs/plans/<str:village>/", views.plan_detail, name="plan_detail"),
    path("programs/plans/<str:village>/start/", views.plan_start, name="plan_start"),
    path("programs/plans/<str:village>/checklist/", views.plan_checklist, name="plan_checklist"),
    path("programs/plans/<str:village>/accept/", views.plan_accept, name="plan_accept"),
    path("programs/projects/<str:code>/", views.project_detail, name="project_detail"),
    path("programs/projects/<str:code>/outputs/", views.output_record, name="output_record"),
    path("programs/projects/<str:code>/disburse/", views.disburse, name="disburse"),
    path("programs/projects/<str:code>/labour/", views.labour_record, name="labour_record"),
    path("programs/projects/<str:code>/beneficiaries/", views.beneficiaries_add, name="beneficiaries_add"),
    path("funds/", views.funds_area, name="funds_area"),
    path("funds/entries/<int:pk>/reverse/", views.entry_reverse, name="entry_reverse"),
]
