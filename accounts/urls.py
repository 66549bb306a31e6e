from django.urls import path

from accounts import views, views_password, views_users

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
    path("utilisateurs/", views_users.users, name="users"),
    path("utilisateurs/nouveau/", views_users.user_create, name="user_create"),
    path("utilisateurs/<int:pk>/", views_users.user_detail, name="user_detail"),
    path("utilisateurs/<int:pk>/roles/", views_users.user_roles, name="user_roles"),
    path("utilisateurs/<int:pk>/connexion/", views_users.user_sign_in, name="user_sign_in"),
    path("utilisateurs/<int:pk>/activation/", views_users.user_active, name="user_active"),
    path("utilisateurs/<int:pk>/modules/<int:instance_pk>/", views_users.responsibility_create,
         name="responsibility_create"),
    path("utilisateurs/<int:pk>/modules/retirer/<int:responsibility_pk>/", views_users.responsibility_delete,
         name="responsibility_delete"),
]
