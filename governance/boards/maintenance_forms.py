"""Forms for maintaining boards in the portal: the board, its members and its relations."""

from __future__ import annotations

from typing import Any

from django import forms

from governance.accounts.user_forms import OrganisationChoiceField
from governance.models import Board, BoardMember, BoardRelation, Organisation


class BoardForm(forms.ModelForm):
    class Meta:
        model = Board
        fields = [
            "code",
            "name",
            "kind",
            "tasks",
            "responsibilities",
            "decides_on",
            "chair",
            "frequency",
            "order",
        ]
        widgets = {
            "tasks": forms.Textarea(attrs={"rows": 4}),
            "responsibilities": forms.Textarea(attrs={"rows": 4}),
            "decides_on": forms.Textarea(attrs={"rows": 3}),
        }


class BoardMemberForm(forms.ModelForm):
    """A seat in a board; the board is the page's."""

    class Meta:
        model = BoardMember
        fields = ["organisation", "role", "represented_by", "mandate"]
        widgets = {"mandate": forms.Textarea(attrs={"rows": 4})}
        field_classes = {"organisation": OrganisationChoiceField}

    def __init__(self, *args: Any, board: Board, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.board = board
        organisation = self.fields["organisation"]
        assert isinstance(organisation, forms.ModelChoiceField)
        organisation.queryset = Organisation.objects.order_by("code")


class BoardRelationForm(forms.ModelForm):
    """How the page's board hangs together with another one (it is part of, or reports to)."""

    class Meta:
        model = BoardRelation
        fields = ["kind", "target", "note"]

    def __init__(self, *args: Any, board: Board, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.source = board
        target = self.fields["target"]
        assert isinstance(target, forms.ModelChoiceField)
        target.queryset = Board.objects.exclude(pk=board.pk)
