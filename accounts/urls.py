from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("connexion/cas/", views.CasLoginView.as_view(), name="cas_login"),
]
