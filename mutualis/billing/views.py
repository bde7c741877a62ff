from django.shortcuts import render

from mutualis.core.access import operator_required


@operator_required()
def index(request):
    return render(request, "billing/index.html", {})
