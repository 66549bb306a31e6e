"""Routes of the students' side: their own results, and the staff's publication, bulletins and accounts."""
from django.urls import path

from portal import justifications, staff_views, views

app_name = "portal"
urlpatterns = [
    # the student's own pages: no other id than one of their own semesters
    path("mes-resultats/", views.my_results, name="my_results"),
    path("mes-resultats/avis/", views.my_notices, name="my_notices"),
    path("mes-resultats/<int:instance_pk>/bulletin.pdf", views.my_bulletin_pdf, name="my_bulletin_pdf"),
    path("mes-justificatifs/", justifications.my_justifications, name="my_justifications"),
    path("mes-justificatifs/<int:pk>/piece/", justifications.my_justification_document,
         name="my_justification_document"),
    path("api/etudiant/semestres/", views.api_semesters, name="api_semesters"),
    path("api/etudiant/semestres/<int:instance_pk>/", views.api_bulletin, name="api_bulletin"),
    # staff
    path("semestres/<int:pk>/publication/", staff_views.publication, name="publication"),
    path("jurys/<int:pk>/publier/", staff_views.jury_publication, name="jury_publication"),
    path("semestres/<int:pk>/bulletins/", staff_views.bulletin_batches, name="bulletin_batches"),
    path("semestres/<int:pk>/bulletins/reglages/", staff_views.bulletin_settings, name="bulletin_settings"),
    path("semestres/<int:pk>/bulletins/<int:batch_pk>/bulletins.pdf", staff_views.bulletin_batch_download,
         name="bulletin_batch_download"),
    path("semestres/<int:pk>/etudiants/<int:enrolment_pk>/bulletin.pdf", staff_views.student_bulletin_pdf,
         name="student_bulletin_pdf"),
    path("semestres/<int:pk>/etudiants/comptes/", staff_views.student_accounts, name="student_accounts"),
]
