import pytest

from governance.models import ActionPerspective, Organisation, Theme

pytestmark = pytest.mark.django_db


def test_the_chain_partners_are_seeded():
    assert set(Organisation.objects.values_list("code", flat=True)) == {
        "IND",
        "COA",
        "DTV",
        "POL",
        "JENV",
    }


def test_four_themes_and_nine_perspectives_are_seeded_with_dutch_titles():
    assert Theme.objects.count() == 4
    assert ActionPerspective.objects.count() == 9
    assert Theme.objects.get(number=2).title == "Verbeteren van de governance en sturing"
    assert ActionPerspective.objects.get(number=6).title == "Investeer in de driehoek"


def test_perspective_three_belongs_to_the_governance_and_the_information_theme():
    themes = ActionPerspective.objects.get(number=3).themes.order_by("number")
    assert [t.number for t in themes] == [2, 3]


def test_every_perspective_belongs_to_a_theme():
    assert not ActionPerspective.objects.filter(themes=None).exists()
