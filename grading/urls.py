from django.urls import path

from grading.views import enrolments, grids, semesters, spreadsheets, student

app_name = "grading"
urlpatterns = [
    path("", semesters.semester_list, name="semester_list"),
    path("mes-resultats/", student.my_results, name="my_results"),
    path("semestres/nouveau/", semesters.semester_create, name="semester_create"),
    path("semestres/<int:pk>/", semesters.semester_detail, name="semester_detail"),
    path("semestres/<int:pk>/verrou/", semesters.semester_lock, name="semester_lock"),
    path("semestres/<int:pk>/resultats/", semesters.semester_results, name="semester_results"),
    path("semestres/<int:pk>/etudiants/", enrolments.enrolment_list, name="enrolment_list"),
    path("semestres/<int:pk>/etudiants/importer/", enrolments.student_import, name="student_import"),
    path("semestres/<int:pk>/etudiants/<int:enrolment_pk>/", grids.student_detail, name="student_detail"),
    path("semestres/<int:pk>/etudiants/<int:enrolment_pk>/modifier/", enrolments.enrolment_edit, name="enrolment_edit"),
    path("semestres/<int:pk>/groupes/", enrolments.group_list, name="group_list"),
    path("semestres/<int:pk>/groupes/<int:group_pk>/supprimer/", enrolments.group_delete, name="group_delete"),
    path("semestres/<int:pk>/responsables/", enrolments.responsible_list, name="responsible_list"),
    path("semestres/<int:pk>/responsables/<int:responsible_pk>/supprimer/", enrolments.responsible_delete,
         name="responsible_delete"),
    path("semestres/<int:pk>/modules/<int:module_pk>/", grids.module_grid, name="module_grid"),
    path("semestres/<int:pk>/modules/<int:module_pk>/moyennes/", grids.grid_averages, name="grid_averages"),
    path("semestres/<int:pk>/modules/<int:module_pk>/evaluations/nouvelle/", grids.evaluation_create,
         name="evaluation_create"),
    path("evaluations/<int:pk>/", grids.evaluation_grid, name="evaluation_grid"),
    path("evaluations/<int:pk>/modifier/", grids.evaluation_edit, name="evaluation_edit"),
    path("evaluations/<int:pk>/enregistrer/", grids.grade_save, name="grade_save"),
    path("evaluations/<int:pk>/historique/<int:enrolment_pk>/", grids.grade_history, name="grade_history"),
    path("evaluations/<int:pk>/export.xlsx", spreadsheets.evaluation_export, name="evaluation_export"),
    path("evaluations/<int:pk>/importer/", spreadsheets.evaluation_import, name="evaluation_import"),
    path("evaluations/<int:pk>/importer/confirmer/", spreadsheets.evaluation_import_confirm,
         name="evaluation_import_confirm"),
    path("evaluations/<int:pk>/imports/<int:batch_pk>/annuler/", spreadsheets.import_undo, name="import_undo"),
]
