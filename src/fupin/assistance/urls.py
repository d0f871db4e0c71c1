from django.urls import path

from fupin.assistance import views

app_name = "assistance"
urlpatterns = [
    path("assistance/", views.unit_list, name="unit_list"),
    path("assistance/units/<str:code>/", views.unit_detail, name="unit_detail"),
    path("assistance/cadres/", views.cadre_list, name="cadre_list"),
    path("assistance/contributions/", views.contribution_list, name="contribution_list"),
    path("assistance/contributions/<str:number>/", views.contribution_detail, name="contribution_detail"),
    path("assistance/students/", views.student_list, name="student_list"),
    path("assistance/students/<int:pk>/", views.student_detail, name="student_detail"),
]
