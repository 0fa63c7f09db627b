import pytest
from django.core.exceptions import PermissionDenied

from governance.models import Recommendation
from governance.structure.services import save_recommendation
from tests.factories import RecommendationFactory

pytestmark = pytest.mark.django_db


def test_partner_cannot_change_a_recommendation(ind_partner):
    recommendation = RecommendationFactory(text="Oorspronkelijk.")
    recommendation.text = "Gewijzigd."
    with pytest.raises(PermissionDenied, match="Regie Migratieketen"):
        save_recommendation(recommendation=recommendation, by=ind_partner)
    assert Recommendation.objects.get(pk=recommendation.pk).text == "Oorspronkelijk."


def test_regie_change_to_a_recommendation_is_kept_in_its_history(regie):
    recommendation = RecommendationFactory(status="open")
    recommendation.status = "implemented"
    save_recommendation(recommendation=recommendation, by=regie)
    latest, previous = recommendation.history.all()[:2]
    assert (previous.status, latest.status) == ("open", "implemented")
