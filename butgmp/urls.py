from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from butgmp import views

admin.site.site_header = "BUT GMP – administration"
admin.site.site_title = "BUT GMP"
admin.site.index_title = "Référentiel, notes et jurys"

urlpatterns = [
    path("", views.home, name="home"),
    path("connexion/", auth_views.LoginView.as_view(), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("programmes/", include("curriculum.urls")),
    path("notes/", include("grading.urls")),
    path("admin/", admin.site.urls),
    path("favicon.ico", views.favicon, name="favicon"),
]
