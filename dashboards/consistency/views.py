"""`/dashboards/consistentie/`: the rules with their findings per quarter (everyone), and the
edit page of a rule (regie)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from dashboards.models import ConsistencyRule
from dashboards.suppression.marks import SUPPRESSED, legend
from governance.accounts import roles
from ketenportaal.editing import edit_page
from ketenportaal.http import AuthenticatedHttpRequest

from . import services
from .checks import as_seen_by, evaluate_all


class RuleForm(forms.ModelForm):
    class Meta:
        model = ConsistencyRule
        fields = [
            "name", "name_en", "explanation", "explanation_en", "left", "left_key", "right",
            "right_key", "lag_min", "lag_max", "low", "high", "active",
        ]  # fmt: skip
        widgets = {
            "explanation": forms.Textarea(attrs={"rows": 3}),
            "explanation_en": forms.Textarea(attrs={"rows": 3}),
        }


def rule_findings(rules, viewer=None) -> list[dict]:
    """Per rule its recent findings as `viewer` may see them (two queries for all)."""
    rules = list(rules)
    found = as_seen_by(evaluate_all(rules), viewer)
    return [{"rule": rule, "findings": found[rule.pk]} for rule in rules]


@login_required
def rules(request: AuthenticatedHttpRequest) -> HttpResponse:
    shown = ConsistencyRule.objects.select_related("left", "right").order_by("-active", "name")
    found = rule_findings(shown, request.user)
    context = {
        "rules": found,
        "may_edit": roles.is_regie(request.user),
        "mark": SUPPRESSED,
        "suppression_legend": legend()
        if any(f.suppressed for item in found for f in item["findings"])
        else "",
    }
    return render(request, "dashboards/consistency.html", context)


@login_required
def rule_edit(request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
    rule = get_object_or_404(ConsistencyRule, pk=pk) if pk else None
    form = RuleForm(request.POST or None, instance=rule)
    return edit_page(
        request,
        require=roles.require_regie,
        form=form,
        save=lambda f: services.save_rule(by=request.user, rule=rule, **f.cleaned_data),
        title=_("Consistentieregel bewerken") if rule else _("Nieuwe consistentieregel"),
        cancel_url=reverse("dashboards:consistency"),
        success_url=lambda r: f"{reverse('dashboards:consistency')}#regel-{r.pk}",
    )
