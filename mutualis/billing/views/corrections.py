"""A run computed after the validated run of its year: its comparison with it, payer by payer,
and its validation as a correction (services/corrections.py)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from mutualis.billing import selectors
from mutualis.billing.forms import RunCorrectionForm
from mutualis.billing.models import AllocationRun, RunStatus
from mutualis.billing.services import corrections, exports
from mutualis.core.access import operator_required
from mutualis.core.forms import add_validation_error
from mutualis.core.roles import Capability, has_capability
from mutualis.core.tabular import tabular_response


def _run_or_404(pk: int) -> AllocationRun:
    try:
        return selectors.run_detail(pk=pk)
    except AllocationRun.DoesNotExist as error:
        raise Http404 from error


def _page(request, run: AllocationRun, form: RunCorrectionForm | None = None, status=200):
    base = corrections.correction_base(run)
    comparison = corrections.run_compare(run=run, base=base) if base else None
    can_validate = (
        comparison is not None
        and run.status == RunStatus.COMPUTED
        and has_capability(request.user, Capability.MANAGE_BILLING)
    )
    if can_validate and form is None:
        decision = corrections.default_decision(base, run)
        form = RunCorrectionForm(
            initial={
                "reason": corrections.default_reason(base, run),
                "decision": decision.pk if decision else None,
            }
        )
    only_changed = request.GET.get("ecarts") == "1"
    rows = comparison.rows if comparison else []
    if only_changed:
        rows = [row for row in rows if row.difference_cents]
    return render(
        request,
        "billing/run_compare.html",
        {
            "run": run,
            "base": base,
            "comparison": comparison,
            "rows": rows,
            "only_changed": only_changed,
            "form": form if can_validate else None,
        },
        status=status,
    )


@operator_required(model=AllocationRun)
@require_GET
def run_compare(request, pk):
    return _page(request, _run_or_404(pk))


@operator_required(model=AllocationRun)
@require_GET
def run_compare_export(request, pk, fmt):
    run = _run_or_404(pk)
    base = corrections.correction_base(run)
    if base is None:
        messages.info(request, _("Rien à comparer : ce calcul ne corrige pas un calcul validé."))
        return redirect("billing:run_compare", pk=run.pk)
    return tabular_response(
        file_stem=exports.file_stem("comparaison", run.year, f"calcul{base.pk}-calcul{run.pk}"),
        fmt=fmt,
        headers=exports.COMPARISON_HEADERS,
        rows=exports.comparison_rows(corrections.run_compare(run=run, base=base)),
    )


@operator_required(Capability.MANAGE_BILLING, model=AllocationRun)
@require_POST
def run_validate_correction(request, pk):
    run = _run_or_404(pk)
    form = RunCorrectionForm(request.POST)
    if not form.is_valid():
        return _page(request, run, form, status=400)
    try:
        correction = corrections.run_validate_correction(
            run=run,
            issued_on=form.cleaned_data["issued_on"],
            reason=form.cleaned_data["reason"],
            decision=form.cleaned_data["decision"],
            vote=form.vote(),
            issued_by=request.user,
        )
    except ValidationError as error:
        add_validation_error(form, error)
        return _page(request, run, form, status=400)
    messages.success(
        request,
        _(
            "Calcul validé comme correction du calcul n° %(base)s. Titres complémentaires : "
            "%(c)s ; réductions : %(r)s ; nouveaux titres : %(t)s."
        )
        % {
            "base": correction.base.pk,
            "c": len(correction.complementary),
            "r": len(correction.reductions),
            "t": len(correction.invoices),
        },
    )
    return redirect("billing:run_detail", pk=run.pk)
