"""Forms of the discussion of ideas and projects: a comment, and its author's correction."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from portfolio.models import Comment


class CommentForm(forms.Form):
    # The length is checked by the service (``comment_add``) on the text with its line breaks
    # made one character each, as it is stored; the browser's limit counts the same way.
    text = forms.CharField(
        label=_("Your comment"),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": Comment.MAX_LENGTH}),
        help_text=format_lazy(
            _(
                "Plain text, at most {limit} characters. Mention someone with @username: "
                "they are told if they may read this discussion."
            ),
            limit=Comment.MAX_LENGTH,
        ),
        error_messages={"required": _("Write a comment.")},
    )
    # Where to come back to after posting: the idea's or the project's page it was sent from.
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        # Its own ids (``id_comment-text``): the project page has another form with a "text".
        kwargs.setdefault("prefix", "comment")
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class CommentEditForm(CommentForm):
    version = forms.CharField(required=False, widget=forms.HiddenInput)
