from django.urls import path

from fupin.industry import views

app_name = "industry"
urlpatterns = [
    path("industry/", views.enterprise_list, name="enterprise_list"),
    path("industry/enterprises/<str:code>/", views.enterprise_detail, name="enterprise_detail"),
]
