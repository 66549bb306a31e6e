from django.urls import path

from curriculum import editor_views, referentiel_views, views

app_name = "curriculum"
urlpatterns = [
    path("", views.programme_list, name="programme_list"),
    path("referentiel/", referentiel_views.referentiel_upload, name="referentiel_upload"),
    path("referentiel/confirmer/", referentiel_views.referentiel_confirm, name="referentiel_confirm"),
    path("<slug:code>/", views.programme_detail, name="programme_detail"),
    path("<slug:code>/programme.xlsx", views.programme_xlsx, name="programme_xlsx"),
    path("<slug:code>/S<int:number>.xlsx", views.programme_semester_xlsx, name="programme_semester_xlsx"),
    path("<slug:code>/S<int:number>.pdf", views.programme_semester_pdf, name="programme_semester_pdf"),
    path("<slug:code>/S<int:number>/modifier/", editor_views.matrix_edit, name="matrix_edit"),
    path("<slug:code>/S<int:number>/modifier/constats/", editor_views.matrix_edit_findings, name="matrix_findings"),
    path("<slug:code>/nouvelle-version/", editor_views.programme_new_version, name="programme_new_version"),
]
