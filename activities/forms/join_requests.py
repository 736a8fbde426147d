"""A16, issue #12 door 1: asking to join a TA activity, and the primary staff's answer."""

from __future__ import annotations

from django import forms

from activities.forms._common import TATForm

DECISION_REQUIRED = "Choose whether to accept or decline the request."


class JoinRequestForm(TATForm):
    note = forms.CharField(
        label="Why you want to join (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example what your center would contribute. The primary staff person "
        "reads it before answering.",
    )


class JoinDecisionForm(TATForm):
    decision = forms.ChoiceField(
        label="Answer",
        choices=[("accept", "Accept"), ("decline", "Decline")],
        error_messages={"required": DECISION_REQUIRED, "invalid_choice": DECISION_REQUIRED},
    )
    decision_note = forms.CharField(
        label="Note to the person who asked",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required when you decline: say why.",
    )
