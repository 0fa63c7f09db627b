"""How a suppressed figure appears: a mark in tables, a gap in charts, an empty export cell."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _


class Suppressed:
    """The value of a suppressed figure in a page's table: shown as "< 5", exported empty,
    never drawn and never counted (`dashboards.pages.summaries.number` gives None)."""

    suppressed = True

    def __str__(self) -> str:
        return f"< {settings.SUPPRESSION_THRESHOLD}"

    def __repr__(self) -> str:
        return "SUPPRESSED"

    def __bool__(self) -> bool:
        return False


#: The one value every suppressed figure has on a page.
SUPPRESSED = Suppressed()


def is_suppressed(value: object) -> bool:
    return isinstance(value, Suppressed)


def legend() -> str:
    """The explanation under a table or lineage that shows a suppressed figure."""
    threshold = settings.SUPPRESSION_THRESHOLD
    return _(
        "Kleine aantallen (1–%(highest)s) zijn afgeschermd (< %(threshold)s), en zo nodig ook een "
        "ander cijfer, zodat ze niet uit het totaal terug te rekenen zijn."
    ) % {"highest": threshold - 1, "threshold": threshold}


def column_label() -> str:
    """The export column that names the figures of a row that are suppressed."""
    return _("Afgeschermd (kleine aantallen)")
