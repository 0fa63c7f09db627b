"""The catalogue's pages: the list of indicators (everyone with a role), and the create and edit
page of an indicator (regie). Dimension values and units are shown by their label."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dashboards.models import Indicator, Observation
from governance.accounts import roles
from ketenportaal.editing import add_errors
from ketenportaal.htmx import render_page
from ketenportaal.http import AuthenticatedHttpRequest

from . import services
from .forms import IndicatorForm
from .labels import labelled_dimensions, unit_label

TEMPLATE = "dashboards/catalogue/indicator_edit.html"


@login_required
def indicator_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The catalogue: what partners deliver, how often, with which dimensions (two queries)."""
    indicators = list(
        Indicator.objects.select_related("owner", "realised_by")
        .annotate(in_use=Exists(Observation.objects.filter(indicator=OuterRef("pk"))))
        .order_by("-active", "code")
    )
    rows = [
        {
            "indicator": i,
            "unit": unit_label(i.unit),
            "dimensions": labelled_dimensions(i),
        }
        for i in indicators
    ]
    return render_page(
        request,
        "dashboards/catalogue/indicators.html",
        {"rows": rows, "may_edit": roles.is_regie(request.user)},
        partial="table",
    )


@login_required
@require_http_methods(["GET", "POST"])
def indicator_edit(request: AuthenticatedHttpRequest, code: str | None = None) -> HttpResponse:
    """Add an indicator or change one: the edit page (`ketenportaal.editing`) with a formset for
    the dimensions. "Dimensie toevoegen" adds an empty dimension form (htmx: only the fieldset)."""
    roles.require_regie(request.user)
    instance = get_object_or_404(Indicator, code=code) if code else None
    adding = request.method == "POST" and "add_dimension" in request.POST
    form = IndicatorForm(
        request.POST if request.method == "POST" else None,
        instance=instance,
        add_dimension=adding,
    )
    status = 200
    if request.method == "POST" and not adding:
        if form.is_valid():
            try:
                indicator = services.save_indicator(indicator=form.indicator(), by=request.user)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Opgeslagen."))
                return redirect(reverse("dashboards:indicators") + f"#indicator-{indicator.code}")
        status = 422
    title = (
        _("Indicator %(label)s wijzigen") % {"label": instance.display_label}
        if instance
        else _("Nieuwe indicator")
    )
    context = {
        "form": form,
        "title": title,
        "cancel_url": reverse("dashboards:indicators"),
        "indicator": instance,
    }
    return render_page(request, TEMPLATE, context, partial="dimensions", status=status)
