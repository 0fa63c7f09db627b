import pytest
from django.core.exceptions import PermissionDenied

from governance.models import Recommendation
from governance.roles import can_report_for, role_of
from governance.services import save_recommendation
from tests.factories import RecommendationFactory, org

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


def test_a_partner_reports_only_for_its_own_organisation(ind_partner, regie, viewer):
    assert can_report_for(ind_partner, org("IND"))
    assert not can_report_for(ind_partner, org("COA"))
    assert can_report_for(regie, org("COA"))
    assert not can_report_for(viewer, org("JENV"))


def test_a_user_without_membership_has_no_role(django_user_model):
    assert role_of(django_user_model.objects.create(username="los")) is None
