from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from curriculum.models import Programme


@login_required
def programme_list(request):
    return render(request, "curriculum/programme_list.html", {"programmes": Programme.objects.all()})
