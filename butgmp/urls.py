from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, reverse_lazy

from accounts import views as accounts_views
from butgmp import login
from dashboard import views as dashboard_views

admin.site.site_header = "BUT GMP – administration"
admin.site.site_title = "BUT GMP"
admin.site.index_title = "Référentiel, notes et jurys"

urlpatterns = [
    path("", include("dashboard.urls")),
    path("connexion/", login.LoginView.as_view(), name="login"),
    path("deconnexion/", accounts_views.logout, name="logout"),  # ends the CAS session too, when it opened it
    path("", include("accounts.urls")),  # CAS login, « mot de passe oublié », users (Direction)
    # the one-time link a new student account receives (portal.accounts)
    path("compte/mot-de-passe/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(
        template_name="registration/password_set.html", success_url=reverse_lazy("password_set_done")),
        name="password_set"),
    path("compte/changer-mot-de-passe/", login.PasswordChangeView.as_view(), name="password_change"),
    path("compte/changer-mot-de-passe/fait/", auth_views.PasswordChangeDoneView.as_view(
        template_name="registration/password_change_done.html"), name="password_change_done"),
    path("compte/mot-de-passe/enregistre/", auth_views.PasswordResetCompleteView.as_view(
        template_name="registration/password_set_done.html"), name="password_set_done"),
    path("programmes/", include("curriculum.urls")),
    path("notes/jury/", include("jury.urls")),
    path("notes/", include("portal.urls")),
    path("notes/", include("grading.urls")),
    path("admin/", admin.site.urls),
    path("favicon.ico", dashboard_views.favicon, name="favicon"),
]
