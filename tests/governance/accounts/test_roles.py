import pytest

from governance.accounts.roles import can_report_for, role_of
from tests.factories import org

pytestmark = pytest.mark.django_db


def test_a_partner_reports_only_for_its_own_organisation(ind_partner, regie, viewer):
    assert can_report_for(ind_partner, org("IND"))
    assert not can_report_for(ind_partner, org("COA"))
    assert can_report_for(regie, org("COA"))
    assert not can_report_for(viewer, org("JENV"))


def test_a_user_without_membership_has_no_role(django_user_model):
    assert role_of(django_user_model.objects.create(username="los")) is None
