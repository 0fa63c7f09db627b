"""Demo figures: every indicator of the catalogue from 2019 up to the last complete quarter,
delivered as partner uploads through the real services (submit, validate, approve).

Yearly files for the older years and one file per quarter for the last eight quarters, with
delivery dates around the deadline (some late), a spike that raises a warning, one correction
of an approved figure, one valid file waiting in regie's queue and one file with errors.
The forecast comes in rounds: every June a round (its own file) for that year and the two after,
around the realised asylum applications, so the Prognose page has rounds to score.
"""

from __future__ import annotations

import csv
import datetime
import io
import math
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from dashboards.models import CurrentCell, Frequency, Indicator, Upload
from dashboards.uploads import approval, services
from governance.accounts.services import save_portal_user
from governance.models import Organisation, Role
from ketenportaal.periods import QUARTER, Period, last_complete, make_period

FIRST_YEAR = 2019

# code: (base level, yearly trend, seasonal amplitude, dimension shares)
LEVELS = {
    "asylum_applications": (
        2600,
        0.04,
        0.25,
        {"first": 0.72, "follow_up": 0.08, "family_reunification": 0.20},
    ),
    "asylum_decisions": (2300, 0.05, 0.10, {"granted": 0.55, "rejected": 0.35, "other": 0.10}),
    "asylum_pending": (24000, 0.10, 0.05, None),
    "asylum_lead_time": (260.0, 0.06, 0.05, None),
    "reception_occupancy": (34000, 0.08, 0.04, None),
    "reception_capacity": (38000, 0.07, 0.02, None),
    "reception_status_holders": (11000, 0.12, 0.05, None),
    "departures": (1500, 0.02, 0.10, {"independent": 0.45, "forced": 0.30, "unsupervised": 0.25}),
    "return_intake": (1300, 0.02, 0.10, {"ind": 0.50, "police": 0.25, "kmar": 0.15, "other": 0.10}),
    "registrations": (4200, 0.03, 0.12, None),
    "forecast_asylum_inflow": (36000, 0.05, 0.0, {"low": 0.8, "expected": 1.0, "high": 1.25}),
}


SPIKES: dict[tuple[str, str], float] = {}


def build(today: datetime.date | None = None) -> int:
    """Deliver and approve the demo figures; returns the number of uploads."""
    today = today or timezone.localdate()
    rng = random.Random(2764)
    last = last_complete(QUARTER, today)
    # Two peaks that validation warns about (more than 50 % from the month before).
    year_ago = make_period(last.year - 1, month=last.start.month)
    SPIKES[("registrations", year_ago.canonical)] = 1.8
    SPIKES[("asylum_applications", year_ago.previous().canonical)] = 1.7
    regie = get_user_model().objects.filter(membership__role=Role.REGIE).first()
    if regie is None:
        regie, _created, _token = save_portal_user(
            username="regie", organisation=Organisation.objects.get(code="JENV"), role=Role.REGIE
        )
    indicators = list(Indicator.objects.active().select_related("owner"))
    by_owner: dict[str, list[Indicator]] = {}
    for indicator in indicators:
        by_owner.setdefault(indicator.owner.code, []).append(indicator)
    count = 0
    for code, owned in sorted(by_owner.items()):
        organisation = owned[0].owner
        # Four eyes: JENV's own forecasts are sent by a colleague of the regie user who approves.
        uploader = (
            save_portal_user(
                username="regie-prognoses", organisation=organisation, role=Role.REGIE
            )[0]
            if code == "JENV"
            else save_portal_user(
                username=code.lower(), organisation=organisation, role=Role.PARTNER
            )[0]
        )
        for label, quarters, delivered in _deliveries(last, rng):
            rows = [row for i in owned for row in _rows(i, quarters, today, rng)]
            if not rows:
                continue
            upload = _deliver(uploader, organisation, f"{code.lower()}-{label}.csv", rows)
            approval.approve_upload(upload=upload, by=regie)
            _backdate(upload, delivered)
            count += 1
    count += _forecast_rounds(by_owner.get("JENV", []), today, regie, rng)
    count += _extras(by_owner, last, regie, rng)
    return count


#: The month of the year in which the demo's forecast rounds are published.
ROUND_MONTH = 6
#: How many years a round forecasts: its own year and the ones after.
ROUND_YEARS = 3


def _forecast_rounds(owned: list[Indicator], today: datetime.date, regie, rng) -> int:
    """One file per round and forecast indicator, sent by regie's forecaster, approved by regie,
    dated in the round's month. The expected scenario lies around the realised applications
    (base × trend, as `_rows` makes them), further off the further ahead it looks."""
    forecasts = [i for i in owned if i.is_forecast]
    if not forecasts:
        return 0
    uploader = save_portal_user(
        username="regie-prognoses", organisation=forecasts[0].owner, role=Role.REGIE
    )[0]
    base, trend, _season, _shares = LEVELS["asylum_applications"]
    count = 0
    for year in range(FIRST_YEAR, today.year + 1):
        published = datetime.date(year, ROUND_MONTH, 1)
        if published > today:
            break
        round_ = f"{year}-{ROUND_MONTH:02d}"
        for indicator in forecasts:
            shares = LEVELS.get(indicator.code, (0, 0, 0, None))[3] or {"": 1.0}
            dims = sorted(indicator.dimensions)
            rows = []
            for ahead in range(ROUND_YEARS):
                target = year + ahead
                years_in = target - FIRST_YEAR + 0.5
                expected = 12 * base * (1 + trend) ** years_in
                expected *= 1 + rng.uniform(-0.08, 0.08) * (1 + ahead)
                for value, share in shares.items():
                    rows.append(
                        [indicator.code, str(target), str(round(expected * share)),
                         dims[0] if dims and value else "", value, round_]
                    )  # fmt: skip
            name = f"jenv-mpp-{round_}-{indicator.code}.csv"
            upload = _deliver(uploader, indicator.owner, name, rows)
            approval.approve_upload(upload=upload, by=regie)
            _backdate(upload, published + datetime.timedelta(days=14))
            count += 1
    return count


def _deliveries(last: Period, rng: random.Random):
    """(label, quarters, delivered at): yearly files, then one per quarter for two years."""
    quarters = [last]
    for _i in range(7):
        quarters.append(quarters[-1].previous())
    quarters.reverse()
    first_quarterly = quarters[0]
    for year in range(FIRST_YEAR, first_quarterly.year + 1):
        in_year = [
            make_period(year, quarter=q)
            for q in range(1, 5)
            if make_period(year, quarter=q).start < first_quarterly.start
        ]
        if in_year:
            yield str(year), in_year, in_year[-1].end + datetime.timedelta(days=25)
    for quarter in quarters:
        late = rng.random() < 0.2
        days = rng.randint(33, 50) if late else rng.randint(8, 28)
        yield quarter.canonical, [quarter], quarter.end + datetime.timedelta(days=days)


def _rows(indicator: Indicator, quarters: list[Period], today: datetime.date, rng: random.Random):
    base, trend, season, shares = LEVELS.get(indicator.code, (1000, 0.02, 0.1, None))
    dims = sorted(indicator.dimensions)
    values = indicator.dimensions.get(dims[0], []) if dims else [None]
    if indicator.is_forecast:
        return  # forecasts come in rounds of their own (`_forecast_rounds`)
    if indicator.frequency == Frequency.YEAR:
        periods = [make_period(q.year) for q in quarters if q.quarter == 4]
    elif indicator.frequency == Frequency.QUARTER:
        periods = quarters
    else:
        periods = [
            make_period(q.year, month=m)
            for q in quarters
            for m in range(q.start.month, q.start.month + 3)
        ]
    for period in periods:
        years_in = (period.start - datetime.date(FIRST_YEAR, 1, 1)).days / 365.25
        level = base * (1 + trend) ** years_in
        level *= 1 + season * math.sin(2 * math.pi * (period.start.month - 3) / 12)
        for value in values:
            share = (shares or {}).get(value, 1.0) if value else 1.0
            figure = (
                level
                * share
                * rng.uniform(0.93, 1.07)
                * SPIKES.get((indicator.code, period.canonical), 1)
            )
            number = f"{figure:.1f}" if not indicator.is_count else str(round(figure))
            yield [indicator.code, period.canonical, number, dims[0] if dims else "", value or ""]


def _deliver(user, organisation: Organisation, name: str, rows: list[list[str]]) -> Upload:
    """Send and validate a file of rows [indicator, period, value, dimension, its value] (and,
    for a forecast, its round as a sixth)."""
    dimension_columns = sorted({row[3] for row in rows if row[3]})
    rounds = any(len(row) > 5 for row in rows)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(["indicator", "period", "value", *dimension_columns, *(["round"] * rounds)])
    for code, period, value, dim, dim_value, *round_ in rows:
        writer.writerow(
            [
                code,
                period,
                value.replace(".", ","),
                *(dim_value if d == dim else "" for d in dimension_columns),
                *([round_[0] if round_ else ""] * rounds),
            ]
        )
    upload = services.submit_upload(
        organisation=organisation,
        by=user,
        file=ContentFile(buffer.getvalue().encode("utf-8"), name=name),
    )
    return services.validate_upload(upload_id=upload.pk)


def _backdate(upload: Upload, delivered: datetime.date) -> None:
    at = timezone.make_aware(datetime.datetime.combine(delivered, datetime.time(10, 30)))
    Upload.objects.filter(pk=upload.pk).update(
        uploaded_at=at,
        validation_started_at=at,
        validation_finished_at=at + datetime.timedelta(seconds=2),
        decided_at=at + datetime.timedelta(days=2),
    )


def _extras(by_owner, last: Period, regie, rng: random.Random) -> int:
    """A correction (approved), a spike in the queue, and a file with errors."""
    ind = Organisation.objects.get(code="IND")
    partner = get_user_model().objects.get(username="ind")
    month = make_period(last.year, month=last.start.month)
    approved = CurrentCell.objects.get(
        indicator__code="asylum_pending", organisation=ind, period=month.canonical, dimension_key=""
    ).observation.value
    correction = _deliver(
        partner,
        ind,
        f"ind-correctie-{month.canonical}.csv",
        [["asylum_pending", month.canonical, str(round(approved * Decimal("1.04"))), "", ""]],
    )
    approval.approve_upload(upload=correction, by=regie)

    coa = Organisation.objects.get(code="COA")
    coa_partner = get_user_model().objects.get(username="coa")
    spike = make_period(last.year, month=last.start.month + 2)
    _deliver(
        coa_partner,
        coa,
        f"coa-herziening-{spike.canonical}.csv",
        [["reception_occupancy", spike.canonical, "120000", "", ""]],
    )

    _deliver(
        partner,
        ind,
        "ind-concept.csv",
        [
            ["asylum_applications", month.canonical, "2400.5", "application_type", "first"],
            ["asylum_applications", month.canonical, "300", "application_type", "eerste"],
            ["asylum_lead_time", month.canonical, "250", "", ""],
        ],
    )
    return 3
