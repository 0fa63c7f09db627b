"""factory_boy factories shared by all tests. Seeded reference data (organisations, themes,
perspectives, indicators) comes from the data migrations and is looked up, not created."""

from __future__ import annotations

import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from actions.models import Action, Milestone, MilestoneStatus, ProgressUpdate
from governance.models import ActionPerspective, Membership, Organisation, Recommendation, Role


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
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")



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
            self.recommendations.set(extracted if extracted is not None else [RecommendationFactory()])


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    action = factory.SubFactory(ActionFactory)
    title = factory.Faker("sentence", nb_words=3, locale="nl_NL")
    due_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=60))
    status = MilestoneStatus.PLANNED

    class Params:
        overdue = factory.Trait(
            due_date=factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=5)),
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
