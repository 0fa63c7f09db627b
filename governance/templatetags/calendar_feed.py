"""`{% calendar_feed_section %}`: the account page's part about the user's calendar address."""

from django import template

from governance.models import CalendarFeed

register = template.Library()


@register.inclusion_tag("accounts/_calendar_feed.html", takes_context=True)
def calendar_feed_section(context) -> dict:
    user = context["request"].user
    return {
        "feed": CalendarFeed.objects.filter(user=user).first(),
        "csrf_token": context.get("csrf_token"),
    }
