from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from grading.models import SemesterInstance


@login_required
def semester_list(request):
    return render(request, "grading/semester_list.html", {"instances": SemesterInstance.objects.all()})


@login_required
def my_results(request):
    return render(request, "grading/my_results.html", {})
