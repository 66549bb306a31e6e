from django.urls import path

from jury import identity, members, session_views, views
from jury.apogee import views as apogee_views

app_name = "jury"
urlpatterns = [
    path("", views.jury_home, name="home"),
    path("membres/", members.jury_members, name="members"),
    path("etablissement/", identity.identity_edit, name="identity"),
    path("rapport/<slug:kind>/<int:pk>/", views.report, name="report"),
    path("rapport/<slug:kind>/<int:pk>/etudiants/<int:student_pk>/", views.sheet, name="sheet"),
    path("rapport/<slug:kind>/<int:pk>/export.<slug:fmt>", views.report_export, name="report_export"),
    path("rapport/<slug:kind>/<int:pk>/jury/", session_views.session_create, name="session_create"),
    path("jurys/<int:pk>/", session_views.session_detail, name="session_detail"),
    path("jurys/<int:pk>/valider/", session_views.proposals_accept, name="proposals_accept"),
    path("jurys/<int:pk>/etudiants/<int:student_pk>/decision/", session_views.decision_override,
         name="decision_override"),
    path("jurys/<int:pk>/clore/", session_views.session_close, name="session_close"),
    path("jurys/<int:pk>/rouvrir/", session_views.session_reopen, name="session_reopen"),
    path("jurys/<int:pk>/publier/", session_views.session_publish, name="session_publish"),
    path("jurys/<int:pk>/pv.pdf", session_views.pv_pdf, name="pv_pdf"),
    path("jurys/<int:pk>/pv.xlsx", session_views.pv_xlsx, name="pv_xlsx"),
    path("jurys/<int:pk>/lettres.pdf", session_views.letters_pdf, name="letters_pdf"),
    path("jurys/<int:pk>/annee-suivante/", session_views.next_year, name="next_year"),
    # Apogée: a programme's codes, the translation table (Direction); a closed jury's maquette (Direction, Secrétariat)
    path("apogee/reglages/", apogee_views.apogee_settings, name="apogee_settings"),
    path("apogee/programmes/<slug:code>/", apogee_views.programme_codes, name="apogee_codes"),
    path("jurys/<int:pk>/apogee/", apogee_views.jury_export, name="apogee_export"),
    path("apogee/exports/<int:pk>/maquette.txt", apogee_views.export_download, name="apogee_download"),
]
