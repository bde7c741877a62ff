from django.shortcuts import render

from mutualis.core.access import operator_required


@operator_required()
def job_list(request):
    return render(request, "imports/job_list.html", {})
