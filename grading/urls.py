from django.urls import path

from grading import views

app_name = "grading"
urlpatterns = [
    path("", views.semester_list, name="semester_list"),
    path("mes-resultats/", views.my_results, name="my_results"),
    path("semestres/nouveau/", views.semester_create, name="semester_create"),
    path("semestres/<int:pk>/", views.semester_detail, name="semester_detail"),
    path("semestres/<int:pk>/verrou/", views.semester_lock, name="semester_lock"),
    path("semestres/<int:pk>/resultats/", views.semester_results, name="semester_results"),
    path("semestres/<int:pk>/etudiants/", views.enrolment_list, name="enrolment_list"),
    path("semestres/<int:pk>/etudiants/importer/", views.student_import, name="student_import"),
    path("semestres/<int:pk>/etudiants/<int:enrolment_pk>/", views.student_detail, name="student_detail"),
    path("semestres/<int:pk>/etudiants/<int:enrolment_pk>/modifier/", views.enrolment_edit, name="enrolment_edit"),
    path("semestres/<int:pk>/groupes/", views.group_list, name="group_list"),
    path("semestres/<int:pk>/groupes/<int:group_pk>/supprimer/", views.group_delete, name="group_delete"),
    path("semestres/<int:pk>/responsables/", views.responsible_list, name="responsible_list"),
    path("semestres/<int:pk>/responsables/<int:responsible_pk>/supprimer/", views.responsible_delete,
         name="responsible_delete"),
    path("semestres/<int:pk>/modules/<int:module_pk>/", views.module_grid, name="module_grid"),
    path("semestres/<int:pk>/modules/<int:module_pk>/evaluations/nouvelle/", views.evaluation_create,
         name="evaluation_create"),
    path("evaluations/<int:pk>/", views.evaluation_grid, name="evaluation_grid"),
    path("evaluations/<int:pk>/modifier/", views.evaluation_edit, name="evaluation_edit"),
    path("evaluations/<int:pk>/enregistrer/", views.grade_save, name="grade_save"),
    path("evaluations/<int:pk>/historique/<int:enrolment_pk>/", views.grade_history, name="grade_history"),
    path("evaluations/<int:pk>/export.xlsx", views.evaluation_export, name="evaluation_export"),
    path("evaluations/<int:pk>/importer/", views.evaluation_import, name="evaluation_import"),
    path("evaluations/<int:pk>/importer/confirmer/", views.evaluation_import_confirm,
         name="evaluation_import_confirm"),
    path("evaluations/<int:pk>/imports/<int:batch_pk>/annuler/", views.import_undo, name="import_undo"),
]
