from django.urls import path

from fupin.accountability import views

app_name = "accountability"
urlpatterns = [
    path("accountability/", views.assessment_list, name="assessment_list"),
    path("accountability/assessments/<int:pk>/", views.assessment_detail, name="assessment_detail"),
    path("accountability/evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("accountability/targets/", views.targets, name="targets"),
    path("accountability/assignments/", views.assignments, name="assignments"),
    path("accountability/models/", views.models, name="models"),
    path("accountability/models/<str:code>/", views.model_detail, name="model_detail"),
    path("accountability/meetings/", views.meetings, name="meetings"),
]
