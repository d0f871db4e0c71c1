from django.urls import path

from fupin.accounts import views

app_name = "accounts"
urlpatterns = [
    path("tokens/", views.tokens, name="tokens"),
    path("password/", views.password, name="password"),
]
