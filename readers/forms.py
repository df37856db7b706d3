from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout, Submit
from django import forms

from .models import CorrectionRequest

HONEYPOT = "website"


class HoneypotForm(forms.Form):
    """A field people never see (CSS hides it) and naive bots fill in."""

    website = forms.CharField(
        label="Leave this field empty",
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    @property
    def filled_by_bot(self):
        return bool(self.data.get(HONEYPOT, "").strip())


def reader_form_helper(*fields, submit_label):
    helper = FormHelper()
    helper.form_method = "post"
    helper.form_class = "reader-form"
    helper.layout = Layout(*fields, Div(HONEYPOT, css_class="hp-field"), Submit("submit", submit_label))
    return helper


class NewsletterForm(HoneypotForm):
    email = forms.EmailField(
        label="Your email address",
        max_length=254,
        help_text="We send a link to confirm it's you. One email a month; unsubscribe from any of them.",
        error_messages={
            "required": "Enter your email address.",
            "invalid": "Enter an email address like name@example.com.",
        },
    )

    field_order = ["email", HONEYPOT]

    def __init__(self, *args, submit_label="Send me the free guide", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = reader_form_helper(Field("email", autocomplete="email"), submit_label=submit_label)


class CorrectionRequestForm(HoneypotForm, forms.ModelForm):
    source = forms.URLField(
        label="A source for the correction (optional)",
        required=False,
        max_length=500,
        assume_scheme="https",
        # A text field, so an address the reader mistyped can be shown back to them as typed.
        widget=forms.TextInput(attrs={"inputmode": "url"}),
        help_text="A link to a study or an official page that shows the right information.",
        error_messages={"invalid": "Enter a web address, such as https://pubmed.ncbi.nlm.nih.gov/8098788/."},
    )

    class Meta:
        model = CorrectionRequest
        fields = ["location", "description", "source", "email"]
        labels = {
            "location": "Where is the error? (optional)",
            "description": "What is wrong, and what should it say?",
            "email": "Your email address (optional)",
        }
        help_texts = {
            "location": "The heading or sentence, e.g. “Dosage” or “FAQ: Is it safe to take every day?”.",
            "description": "At least 20 characters. Please don't include health details about yourself.",
            "email": "Only if you'd like a reply about this report. We never add it to a mailing list.",
        }
        error_messages = {
            "description": {
                "required": "Tell us what is wrong.",
                "max_length": "Keep it under %(limit_value)d characters (it has %(show_value)d).",
            },
            "email": {"invalid": "Enter an email address like name@example.com, or leave it empty."},
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}

    field_order = ["location", "description", "source", "email", HONEYPOT]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = reader_form_helper(
            "location",
            "description",
            "source",
            Field("email", autocomplete="email"),
            submit_label="Send the report",
        )

    def clean_description(self):
        description = self.cleaned_data["description"].strip()
        if len(description) < 20:
            raise forms.ValidationError("Tell us a little more: at least 20 characters.")
        return description
