"""`{% decision_chain action %}`: on an action's or milestone's page, the decision it follows up
and the signal that led to it, so the chain is visible from every link in it."""

from django import template

from governance.models import Signal

register = template.Library()


@register.inclusion_tag("governance/_decision_chain.html")
def decision_chain(action) -> dict:
    decision = action.decision if action.decision_id else None
    signals = []
    if decision is not None:
        signals = list(
            Signal.objects.filter(agenda_items__decisions=decision)
            .select_related("indicator", "organisation", "milestone", "target")
            .distinct()
        )
    return {"decision": decision, "signals": signals}
