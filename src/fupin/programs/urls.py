"""The programs' pages: batches, village plans, projects and contiguous zones.
They join the shell's ``web`` namespace (no ``app_name``): ``web:<name>``."""

from django.urls import path

from fupin.programs import views

urlpatterns = [
    path("programs/", views.batch_list, name="batch_list"),
    path("programs/batches/new/", views.batch_create, name="batch_create"),
    path("programs/batches/<int:number>/", views.batch_detail, name="batch_detail"),
    path("programs/batches/<int:number>/plans/new/", views.plan_create, name="plan_create"),
    path("programs/plans/<str:village>/", views.plan_detail, name="plan_detail"),
    path("programs/plans/<str:village>/projects/new/", views.project_create, name="project_create"),
    path("programs/plans/<str:village>/start/", views.plan_start, name="plan_start"),
    path("programs/plans/<str:village>/checklist/", views.plan_checklist, name="plan_checklist"),
    path("programs/plans/<str:village>/accept/", views.plan_accept, name="plan_accept"),
    path("programs/projects/<str:code>/", views.project_detail, name="project_detail"),
    path("programs/projects/<str:code>/edit/", views.project_update, name="project_update"),
    path("programs/projects/<str:code>/outputs/", views.output_record, name="output_record"),
    path("programs/projects/<str:code>/disburse/", views.disburse, name="disburse"),
    path("programs/projects/<str:code>/labour/", views.labour_record, name="labour_record"),
    path("programs/projects/<str:code>/beneficiaries/", views.beneficiaries_add, name="beneficiaries_add"),
    path("programs/zones/", views.zone_list, name="zone_list"),
    path("programs/zones/new/", views.zone_create, name="zone_create"),
    path("programs/zones/<str:code>/", views.zone_detail, name="zone_detail"),
    path("programs/zones/<str:code>/projects/new/", views.zone_project_create, name="zone_project_create"),
]
