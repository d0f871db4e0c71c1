from django.urls import path

from fupin.analytics import views

app_name = "analytics"
urlpatterns = [
    path("annual/", views.annual, name="annual"),
    path("annual/download/", views.annual_download, name="annual_download"),
    path("measures/", views.measures_page, name="measures"),
    path("dynamics/", views.dynamics_page, name="dynamics"),
]
