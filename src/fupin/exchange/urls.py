from django.urls import path

from fupin.exchange import views

app_name = "exchange"
urlpatterns = [
    path("", views.home, name="home"),
    path("export/", views.export, name="export"),
    path("templates/all.xlsx", views.template_all, name="template_all"),
    path("templates/<str:entity>.xlsx", views.template, name="template"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("runs/<int:pk>/start/", views.run_start, name="start"),
    path("runs/<int:pk>/retry/", views.run_retry, name="retry"),
    path("runs/<int:pk>/errors.csv", views.run_errors, name="run_errors"),
]
