"""factory_boy factories shared by all tests. Seeded reference data (organisations, themes,
perspectives, indicators) comes from the data migrations and is looked up, not created."""

from __future__ import annotations

import csv
import datetime
import io

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from actions.models import Action, Milestone, MilestoneStatus, ProgressUpdate
from governance.accounts import mfa
from governance.models import (
    ActionPerspective,
    Membership,
    Organisation,
    Recommendation,
    Role,
    Signal,
)


def org(code: str) -> Organisation:
    return Organisation.objects.get(code=code)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    # Hashed at build time: a post-generation set_password would not be saved here.
    password = factory.django.Password("correct-horse-battery")


def verified_device(user):
    """A confirmed TOTP device of `user` when a second factor applies to them (their role, or the
    Django admin), else None: a test's forced login stands for a complete one, factor included."""
    if not (mfa.applies_to(user) or user.is_staff):
        return None
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="test", confirmed=True)


def make_user(role: str, organisation_code: str = "JENV", username: str | None = None):
    user = UserFactory(username=username) if username else UserFactory()
    Membership.objects.update_or_create(
        user=user, defaults={"organisation": org(organisation_code), "role": role}
    )
    user.refresh_from_db()
    return user


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation

    perspective = factory.LazyFunction(lambda: ActionPerspective.objects.get(number=3))
    code = factory.Sequence(lambda n: f"T{n}")
    text = factory.Faker("sentence", locale="nl_NL")
    owner = factory.LazyFunction(lambda: org("JENV"))


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action
        skip_postgeneration_save = True

    title = factory.Faker("sentence", nb_words=4, locale="nl_NL")
    owner = factory.LazyFunction(lambda: org("IND"))
    responsible_function = "Programmamanager"
    start = datetime.date(2022, 1, 1)
    end = datetime.date(2027, 12, 31)

    @factory.post_generation
    def recommendations(self, create, extracted, **kwargs):
        if create:
            self.recommendations.set(
                extracted if extracted is not None else [RecommendationFactory()]
            )


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    action = factory.SubFactory(ActionFactory)
    title = factory.Faker("sentence", nb_words=3, locale="nl_NL")
    due_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=60))
    status = MilestoneStatus.PLANNED

    class Params:
        overdue = factory.Trait(
            due_date=factory.LazyFunction(
                lambda: timezone.localdate() - datetime.timedelta(days=5)
            ),
            status=MilestoneStatus.IN_PROGRESS,
        )
        done = factory.Trait(
            status=MilestoneStatus.DONE,
            completed_on=factory.LazyFunction(timezone.localdate),
            percent_complete=100,
        )


class ProgressUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressUpdate

    milestone = factory.SubFactory(MilestoneFactory)
    author = factory.LazyFunction(lambda: make_user(Role.REGIE))
    text = "Op koers."


# ---------------------------------------------------------------- boards, decisions, steering


def board(code: str = "TB"):
    from governance.models import Board

    return Board.objects.get(code=code)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "governance.Meeting"

    board = factory.LazyFunction(board)
    date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=14))
    title = factory.Sequence(lambda n: f"Topberaad {n}")


class DecisionFactory(factory.django.DjangoModelFactory):
    """A decision numbered like the service numbers it (board code, year, sequence)."""

    class Meta:
        model = "governance.Decision"

    board = factory.LazyFunction(board)
    date = factory.LazyFunction(timezone.localdate)
    year = factory.LazyAttribute(lambda o: o.date.year)
    sequence = factory.Sequence(lambda n: n + 1)
    number = factory.LazyAttribute(lambda o: f"{o.board.code}-{o.year}-{o.sequence:02d}")
    title = factory.Faker("sentence", nb_words=5, locale="nl_NL")
    text = factory.Faker("paragraph", locale="nl_NL")


def make_target(
    organisation_code: str, indicator_code: str, period: str, value, direction: str, tolerance=5
):
    """A target in the organisation's assignment for the period's year (created when missing)."""
    from dashboards.models import Indicator
    from governance.models import Assignment, ChainGoal, Target

    assignment, _ = Assignment.objects.get_or_create(
        organisation=org(organisation_code),
        year=int(period[:4]),
        defaults={"goal": ChainGoal.objects.first(), "title": "Jaaropdracht", "text": "Opdracht."},
    )
    return Target.objects.create(
        assignment=assignment,
        indicator=Indicator.objects.get(code=indicator_code),
        period=period,
        target_value=value,
        direction=direction,
        tolerance_percent=tolerance,
    )


def make_figures(
    organisation_code: str, indicator_code: str, values: dict, dimensions: dict | None = None
):
    """Approved figures as the dashboards app stores them: one upload, its observations, and the
    current-cell pointers. `values` maps a canonical period (2026-03, 2026-Q1, 2026) to a value."""
    from dashboards.models import CurrentCell, Indicator, Observation, Upload

    indicator = Indicator.objects.get(code=indicator_code)
    organisation = org(organisation_code)
    upload = Upload.objects.create(
        organisation=organisation,
        uploaded_by=make_user(Role.REGIE),
        file="uploads/test.csv",
        file_name="test.csv",
        size=1,
        sha256="0" * 64,
        status="approved",
        decided_at=timezone.now(),  # an approval always records when
    )
    dimensions = dimensions or {}
    key = ";".join(f"{k}={v}" for k, v in sorted(dimensions.items()))
    for row, (period, value) in enumerate(values.items(), start=2):
        start, end, kind = _period(period)
        observation = Observation.objects.create(
            upload=upload,
            indicator=indicator,
            organisation=organisation,
            period=period,
            period_type=kind,
            period_start=start,
            period_end=end,
            dimension_key=key,
            dimensions=dimensions,
            value=value,
            row=row,
        )
        CurrentCell.objects.update_or_create(
            indicator=indicator,
            organisation=organisation,
            period=period,
            dimension_key=key,
            defaults={"observation": observation},
        )
    return upload


def _period(period: str):
    year = int(period[:4])
    if len(period) == 4:
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31), "year"
    if period[5] == "Q":
        quarter = int(period[6])
        start = datetime.date(year, 3 * quarter - 2, 1)
    else:
        start = datetime.date(year, int(period[5:7]), 1)
        quarter = None
    months = 3 if quarter else 1
    next_month = start.month + months
    end = (
        datetime.date(year + (next_month > 12), (next_month - 1) % 12 + 1, 1)
    ) - datetime.timedelta(days=1)
    return start, end, "quarter" if quarter else "month"


def reseed_reference_data() -> None:
    """Put back what the data migrations seed (organisations, themes, perspectives, indicators,
    boards, the chain goal, the consistency rules) after a transactional test's flush removed it. Idempotent."""
    from importlib import import_module

    from django.apps import apps

    if Organisation.objects.exists():
        return
    for app, migration in [
        ("governance", "0002_seed_chain"),
        ("dashboards", "0002_seed_catalogue"),
        ("dashboards", "0014_seed_catalogue_labels"),
        ("dashboards", "0012_seed_consistency_rules"),
        ("governance", "0004_seed_boards_and_goal"),
    ]:
        import_module(f"{app}.migrations.{migration}").seed(apps, None)


def csv_rows(response) -> list[list[str]]:
    """A CSV download's rows (header first); the response must be an attachment."""
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def make_signal(**fields) -> Signal:
    now = timezone.now()
    return Signal.objects.create(first_seen=now, last_seen=now, **fields)


def open_signals(kind) -> list[Signal]:
    return list(Signal.objects.open().filter(kind=kind))


def recorded_at(obj, when: datetime.datetime | datetime.date) -> None:
    """Date the latest historical record of `obj` at `when`, as if that change was made then
    (the reports reconstruct the past from django-simple-history)."""
    latest = obj.history.order_by("-history_date", "-history_id").first()
    type(latest).objects.filter(history_id=latest.history_id).update(history_date=_aware(when))


def lived(obj, *changes) -> None:
    """Give `obj` (just created) a past: its creation record dated at the first date, then each
    (date, {field: value}) applied and saved, its record dated then."""
    created, *steps = changes
    obj.history.update(history_date=_aware(created))
    for when, fields in steps:
        for name, value in fields.items():
            setattr(obj, name, value)
        obj.save()
        recorded_at(obj, when)


def _aware(when: datetime.datetime | datetime.date) -> datetime.datetime:
    if isinstance(when, datetime.datetime):
        return when
    return timezone.make_aware(datetime.datetime.combine(when, datetime.time(12)))
