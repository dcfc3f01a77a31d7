"""The Finance Guidance Tool's data: funding types, the rules that match them to answers, and
results that city teams save.

Funding types and rules are staff-edited content (admin); the questions are code
(``questionnaire``); the meaning of a rule is the matcher's (``matching``).
"""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cityzero.finance.matching import Effect
from cityzero.finance.questionnaire import RULE_QUESTIONS

MAX_WEIGHT = 10
MAX_NOTE = 2_000


class FundingCategory(models.TextChoices):
    PUBLIC_BUDGET = "public_budget", _("City budget and own funds")
    EU_GRANT = "eu_grant", _("EU grant")
    NATIONAL_GRANT = "national_grant", _("National or regional grant")
    ADVISORY = "advisory", _("Project development assistance")
    LOAN = "loan", _("Loan or guarantee")
    BOND = "bond", _("Bond")
    PRIVATE = "private", _("Private finance and partnerships")
    CITIZEN = "citizen", _("Citizen finance")
    REVENUE = "revenue", _("Local revenue and levies")


LINES_HELP = _("One per line.")


class FundingType(models.Model):
    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=150)
    category = models.CharField(_("category"), max_length=20, choices=FundingCategory.choices)
    summary = models.TextField(_("summary"), max_length=1_500)
    pros = models.TextField(_("pros"), max_length=3_000, help_text=LINES_HELP)
    cons = models.TextField(_("cons"), max_length=3_000, help_text=LINES_HELP)
    project_types = models.TextField(
        _("types of project financed"), max_length=3_000, help_text=LINES_HELP
    )
    related_products = models.TextField(
        _("related products and programmes"), max_length=3_000, blank=True,
        help_text=LINES_HELP,
    )  # fmt: skip
    ticket_min_eur = models.PositiveBigIntegerField(
        _("typical ticket size, from (€)"), null=True, blank=True,
        help_text=_("The least this source usually provides to one project."),
    )  # fmt: skip
    ticket_max_eur = models.PositiveBigIntegerField(
        _("typical ticket size, to (€)"), null=True, blank=True,
        help_text=_("The most this source usually provides to one project."),
    )  # fmt: skip
    eligibility = models.TextField(_("eligibility notes"), max_length=3_000)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(
        _("active"), default=True,
        help_text=_("Inactive types are neither matched nor shown."),
    )  # fmt: skip
    knowledge_entries = models.ManyToManyField(
        "knowledge.Entry", verbose_name=_("knowledge entries"), blank=True,
        related_name="funding_types",
        help_text=_("Only published entries are shown."),
    )  # fmt: skip
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("funding type")
        constraints = [
            models.CheckConstraint(
                condition=Q(ticket_min_eur__isnull=True)
                | Q(ticket_max_eur__isnull=True)
                | Q(ticket_min_eur__lte=F("ticket_max_eur")),
                name="funding_ticket_range_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        low, high = self.ticket_min_eur, self.ticket_max_eur
        if low is not None and high is not None and low > high:
            raise ValidationError(
                {"ticket_max_eur": gettext("The ticket size “to” must not be below “from”.")}
            )


class RuleEffect(models.TextChoices):
    INCLUDE = Effect.INCLUDE.value, _("Include: the type fits these answers")
    EXCLUDE = Effect.EXCLUDE.value, _("Exclude: the type does not fit")
    RANK = Effect.RANK.value, _("Rank: move the type up or down by its weight")


class MatchingRule(models.Model):
    """When the answer to ``question`` is one of ``values``, include, exclude or move the
    funding type (every type, when none is chosen), and tell the user ``reason``."""

    funding_type = models.ForeignKey(
        FundingType, on_delete=models.CASCADE, null=True, blank=True, related_name="rules",
        verbose_name=_("funding type"),
        help_text=_("Leave empty for a rule that applies to every funding type."),
    )  # fmt: skip
    question = models.CharField(
        _("question"), max_length=20,
        choices=[(code, q.label) for code, q in RULE_QUESTIONS.items()],
    )  # fmt: skip
    values = models.CharField(
        _("answers"), max_length=300,
        help_text=_("Answer codes separated by commas; the rule applies when the "
                               "answer is any of them."),
    )  # fmt: skip
    effect = models.CharField(_("effect"), max_length=10, choices=RuleEffect.choices)
    weight = models.SmallIntegerField(
        _("weight"), default=0,
        validators=[MinValueValidator(-MAX_WEIGHT), MaxValueValidator(MAX_WEIGHT)],
        help_text=_("Added to the type's score for include and rank rules "
                               "(−10 to 10); ignored for exclude rules."),
    )  # fmt: skip
    reason = models.CharField(
        _("reason shown to users"), max_length=400,
        help_text=_("Completes “why it matched”, e.g. “Your project generates "
                               "revenue to repay a loan.”"),
    )  # fmt: skip
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["funding_type__position", "funding_type__code", "position", "pk"]
        verbose_name = _("matching rule")
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gte=-MAX_WEIGHT) & Q(weight__lte=MAX_WEIGHT),
                name="matching_rule_weight_in_range",
            )
        ]

    def __str__(self) -> str:
        target = self.funding_type.name if self.funding_type_id else gettext("every funding type")
        return f"{target}: {self.effect} if {self.question} ∈ {{{self.values}}}"

    @property
    def value_codes(self) -> list[str]:
        return [code.strip() for code in self.values.split(",") if code.strip()]

    def clean(self) -> None:
        question = RULE_QUESTIONS.get(self.question)
        if question is None:
            return  # the field's own choices say so
        known = {option.code for option in question.options}
        codes = self.value_codes
        unknown = [code for code in codes if code not in known]
        if not codes or unknown:
            raise ValidationError(
                {
                    "values": gettext("Use answers of “%(question)s”: %(codes)s.")
                    % {"question": question.label, "codes": ", ".join(sorted(known))}
                }
            )
        self.values = ",".join(dict.fromkeys(codes))


def new_share_token() -> str:
    return secrets.token_urlsafe(24)


class SavedResult(models.Model):
    """A questionnaire's result saved to a city, as it was ranked when saved.

    Seen by the city's team, its advisors and the platform staff; by everyone when ``public``.
    """

    city = models.ForeignKey(
        "cities.City", on_delete=models.CASCADE, related_name="funding_results"
    )
    title = models.CharField(_("title"), max_length=200)
    note = models.TextField(_("note"), max_length=MAX_NOTE, blank=True)
    answers = models.JSONField()  # checked answers, as questionnaire.check gives them
    snapshot = models.JSONField()  # guidance.to_snapshot: the ranking and its reasons
    public = models.BooleanField(_("public"), default=False)
    token = models.CharField(max_length=40, unique=True, default=new_share_token, editable=False)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("saved finance result")
        indexes = [models.Index(fields=["city", "-created_at"], name="saved_result_city_date")]

    def __str__(self) -> str:
        return self.title
