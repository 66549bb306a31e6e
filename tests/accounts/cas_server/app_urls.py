"""The application's URLs with the accounts app's, until the root URLconf includes them."""
from django.urls import include, path

from accounts import views
from butgmp.urls import urlpatterns as root

urlpatterns = [
    path("deconnexion/", views.logout, name="logout"),
    path("", include("accounts.urls")),
    *[p for p in root if getattr(p, "name", None) != "logout"],
]
