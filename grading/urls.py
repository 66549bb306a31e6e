from django.urls import path

from grading import views

app_name = "grading"
urlpatterns = [
    path("", views.semester_list, name="semester_list"),
    path("mes-resultats/", views.my_results, name="my_results"),
]
