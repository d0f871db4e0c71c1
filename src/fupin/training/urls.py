from django.urls import path

from fupin.training import views

app_name = "training"
urlpatterns = [
    path("training/", views.class_list, name="class_list"),
    path("training/bases/<str:code>/", views.base_detail, name="base_detail"),
    path("training/classes/<str:code>/", views.class_detail, name="class_detail"),
    path("training/classes/<str:code>/enrol/<str:household>/", views.enrol_members, name="enrol_members"),
    path("training/targets/", views.targets, name="targets"),
    path("training/allocation/", views.allocation, name="allocation"),
]
