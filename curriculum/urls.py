from django.urls import path

from curriculum import views

app_name = "curriculum"
urlpatterns = [
    path("", views.programme_list, name="programme_list"),
    path("<slug:code>/", views.programme_detail, name="programme_detail"),
    path("<slug:code>/programme.xlsx", views.programme_xlsx, name="programme_xlsx"),
    path("<slug:code>/S<int:number>.xlsx", views.programme_semester_xlsx, name="programme_semester_xlsx"),
    path("<slug:code>/S<int:number>.pdf", views.programme_semester_pdf, name="programme_semester_pdf"),
]
