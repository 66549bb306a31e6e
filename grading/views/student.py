"""A student's own pages."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from grading.results import student_results

NO_STUDENT_RECORD = "Aucun dossier étudiant n'est lié à votre compte : contactez le secrétariat."
NO_ENROLMENT = "Vous n'êtes encore inscrit(e) à aucun semestre."


@login_required
def my_results(request):
    """Show a student their own results, and nobody else's: the record linked to their account."""
    student = getattr(request.user, "student", None)
    if student is None:
        return render(request, "grading/my_results.html", {"empty_message": NO_STUDENT_RECORD})
    results = student_results(student=student)
    return render(request, "grading/my_results.html", {"results": results, "empty_message": NO_ENROLMENT})
