from django.urls import path

from curriculum import views

app_name = "curriculum"
urlpatterns = [
    path("", views.programme_list, name="programme_list"),
]
