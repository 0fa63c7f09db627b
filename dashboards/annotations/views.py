"""Duiding pages: the list with its filter and the form to add one (`/dashboards/duiding/`), and
each annotation with its history, where its author's side changes or withdraws it."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dashboards.models import Annotation, Indicator
from dashboards.models.annotations import TEXT_MAX
from ketenportaal.editing import add_errors
from ketenportaal.history import history_rows
from ketenportaal.http import AuthenticatedHttpRequest

from . import services


class IndicatorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.display_label


class AnnotationForm(forms.Form):
    indicator = IndicatorChoiceField(
        label=gettext_lazy("Indicator"), queryset=Indicator.objects.none(), empty_label=None
    )
    period = forms.CharField(
        label=gettext_lazy("Periode"),
        max_length=7,
        help_text=gettext_lazy("Een maand, kwartaal of jaar: 2024-03, 2024-Q1 of 2024."),
    )
    text = forms.CharField(
        label=gettext_lazy("Duiding"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Kort en feitelijk, bijvoorbeeld: Ter Apel overvol."),
    )

    def __init__(self, *args, indicators, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["indicator"]
        assert isinstance(field, IndicatorChoiceField)
        field.queryset = indicators


class TextForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Duiding"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )


def _writable(user):
    indicators = Indicator.objects.filter(active=True).order_by("code")
    return [i.pk for i in indicators if services.may_annotate(user, i)], indicators


@login_required
def annotation_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    writable_ids, indicators = _writable(request.user)
    form = None
    if writable_ids:
        initial = {
            "indicator": request.GET.get("indicator_id"),
            "period": request.GET.get("period", ""),
        }
        form = AnnotationForm(
            request.POST or None,
            initial=initial,
            indicators=indicators.filter(pk__in=writable_ids),
        )
    elif request.method == "POST":
        raise PermissionDenied(
            _(
                "Alleen Regie Migratieketen en de organisatie die deze cijfers levert mogen ze duiden."
            )
        )
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.add_annotation(
                by=request.user,
                indicator=form.cleaned_data["indicator"],
                period=form.cleaned_data["period"],
                text=form.cleaned_data["text"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("De duiding is toegevoegd."))
            return redirect(reverse("dashboards:annotations"))
    shown = Annotation.objects.shown().select_related("indicator", "organisation", "created_by")
    chosen = request.GET.get("indicator", "")
    if chosen:
        shown = shown.filter(indicator__code=chosen)
    context = {
        "form": form,
        "annotations": shown.order_by("-period_start", "indicator__code", "-created_at")[:500],
        "indicators": indicators,
        "chosen": chosen,
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "dashboards/annotations.html", context, status=status)


@login_required
def annotation_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    annotation = get_object_or_404(
        Annotation.objects.select_related("indicator", "organisation", "created_by"), pk=pk
    )
    may_change = not annotation.withdrawn and services.may_annotate(
        request.user, annotation.indicator
    )
    form = TextForm(request.POST or None, initial={"text": annotation.text}) if may_change else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(_("U mag deze duiding niet veranderen."))
        if form.is_valid():
            try:
                services.change_annotation(
                    by=request.user, annotation=annotation, text=form.cleaned_data["text"]
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Opgeslagen."))
                return redirect(reverse("dashboards:annotation", args=[annotation.pk]))
    context = {
        "annotation": annotation,
        "form": form,
        "history": history_rows(annotation),
    }
    return render(
        request,
        "dashboards/annotation_detail.html",
        context,
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def annotation_withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    annotation = get_object_or_404(Annotation.objects.select_related("indicator"), pk=pk)
    services.withdraw_annotation(by=request.user, annotation=annotation)
    messages.success(request, _("De duiding is ingetrokken."))
    return redirect(reverse("dashboards:annotations"))
