from django.urls import path

from fupin.land import views

app_name = "land"
urlpatterns = [
    path("land/", views.contract_list, name="contract_list"),
    path("land/contracts/new/", views.contract_create, name="contract_create"),
    path("land/contracts/<str:number>/", views.contract_detail, name="contract_detail"),
    path("land/large-scale/", views.large_scale, name="large_scale"),
]
