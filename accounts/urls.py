from django.urls import path

from accounts import views, views_password

app_name = "accounts"

urlpatterns = [
    path("connexion/cas/", views.CasLoginView.as_view(), name="cas_login"),
    path("compte/mot-de-passe-oublie/", views_password.password_forgotten, name="password_forgotten"),
    path("compte/mot-de-passe-oublie/envoye/", views_password.password_forgotten_done,
         name="password_forgotten_done"),
    path("compte/nouveau-mot-de-passe/<uidb64>/<token>/", views_password.password_reset_confirm,
         name="password_reset_confirm"),
    path("compte/nouveau-mot-de-passe/enregistre/", views_password.password_reset_complete,
         name="password_reset_complete"),
]
