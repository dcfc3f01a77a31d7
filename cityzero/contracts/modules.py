"""The contract's modules: what each holds, in the template's order (DOMAIN §2.1–2.3).

A module is either kept in models of its own (actions, pathways, indicators, signatories,
removals: ``kind="parts"``), generated from other data (the baseline from the inventory), or a set
of narratives and tables declared here and stored in ``ModuleContent`` (``kind="content"``). For
the latter the spec builds the edit forms, checks every cell and tells what changed between two
iterations.
"""

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cityzero.core.vocabularies import FieldOfAction, GovernmentLevel, SystemicLever

MAX_TABLE_ROWS = 200
MAX_TEXT = 10_000


@dataclass(frozen=True)
class Column:
    name: str
    label: Any
    kind: str = "text"  # text, longtext, markdown, choice, decimal, integer, date
    choices: tuple[tuple[str, Any], ...] = ()
    required: bool = False

    def form_field(self) -> forms.Field:
        common = {"label": self.label, "required": self.required}
        if self.kind == "choice":
            return forms.ChoiceField(choices=[("", "—"), *self.choices], **common)
        if self.kind == "decimal":
            return forms.DecimalField(max_digits=18, decimal_places=4, min_value=0, **common)
        if self.kind == "integer":
            return forms.IntegerField(min_value=0, max_value=10**12, **common)
        if self.kind == "date":
            return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
        widget = forms.Textarea(attrs={"rows": 3}) if self.kind != "text" else None
        max_length = 300 if self.kind == "text" else MAX_TEXT
        return forms.CharField(max_length=max_length, widget=widget, strip=True, **common)


@dataclass(frozen=True)
class Table:
    name: str
    label: Any
    columns: tuple[Column, ...]

    @property
    def key_column(self) -> str:
        return self.columns[0].name

    @property
    def labels(self) -> list[Any]:
        return [column.label for column in self.columns]


@dataclass(frozen=True)
class Module:
    code: str
    part: Any
    number: str
    title: Any
    kind: str = "content"  # content, parts, generated
    fields: tuple[Column, ...] = ()
    tables: tuple[Table, ...] = field(default=())
    help: Any = ""

    @property
    def heading(self) -> str:
        return f"{self.number} {self.title}"


LEVELS = tuple(GovernmentLevel.choices)
FIELDS = tuple(FieldOfAction.choices)
LEVERS = tuple(SystemicLever.choices)
SCALE = (("low", _("Low")), ("medium", _("Medium")), ("high", _("High")))
INTERVENTION_COLUMNS = (
    Column("intervention", _("Intervention"), required=True),
    Column("description", _("Description"), "longtext"),
    Column("responsible", _("Responsible")),
    Column("stakeholders", _("Stakeholders")),
    Column("enabling_impact", _("Enabling impact"), "longtext"),
    Column("co_benefits", _("Co-benefits"), "longtext"),
)

COMMITMENTS = _("Commitments")
ACTION_PLAN = _("Action Plan")
INVESTMENT_PLAN = _("Investment Plan")

MODULES: tuple[Module, ...] = (
    Module(
        "goal",
        COMMITMENTS,
        "1–2",
        _("Introduction and goal"),
        fields=(
            Column("introduction", _("Introduction"), "markdown"),
            Column("council_decision", _("Council decision (reference)"), required=False),
            Column("council_decision_date", _("Date of the council decision"), "date"),
            Column(
                "exclusions",
                _("Declared exclusions (areas, sectors, EU ETS installations)"),
                "markdown",
            ),
        ),
        help=_("Climate neutrality by 2030, backed at least by a council decision."),
    ),
    Module(
        "priorities",
        COMMITMENTS,
        "3–4",
        _("Key priorities, principles and process"),
        fields=(Column("principles", _("Principles and process"), "markdown"),),
        tables=(
            Table(
                "priorities",
                _("Key priorities"),
                (
                    Column("priority", _("Priority"), required=True),
                    Column("description", _("Description"), "longtext"),
                ),
            ),
        ),
        help=_("Three or four systemic, strategic priorities."),
    ),
    Module("signatories", COMMITMENTS, "5", _("Signatories and their commitments"), "parts"),
    Module(
        "support",
        COMMITMENTS,
        "A",
        _("Support statements from national and regional government"),
        tables=(
            Table(
                "statements",
                _("Support statements"),
                (
                    Column("institution", _("Institution"), required=True),
                    Column("level", _("Level"), "choice", LEVELS, required=True),
                    Column("statement", _("Statement"), "longtext", required=True),
                ),
            ),
        ),
    ),
    Module(
        "baseline",
        ACTION_PLAN,
        "A-1",
        _("GHG baseline inventory"),
        "generated",
        fields=(Column("assessment", _("Assessment of the baseline"), "markdown"),),
        help=_("Generated from the chosen inventory; only the assessment is written here."),
    ),
    Module(
        "policies",
        ACTION_PLAN,
        "A-2",
        _("Current policies and the target"),
        tables=(
            Table(
                "policies",
                _("Current policies"),
                (
                    Column("name", _("Name"), required=True),
                    Column("policy_type", _("Type")),
                    Column("level", _("Level"), "choice", LEVELS),
                    Column("description", _("Description"), "longtext"),
                    Column("relevance", _("Relevance"), "longtext"),
                    Column("need_for_action", _("Need for action"), "longtext"),
                ),
            ),
        ),
    ),
    Module(
        "barriers",
        ACTION_PLAN,
        "A-3",
        _("Systemic barriers and stakeholder mapping"),
        tables=(
            Table(
                "barriers",
                _("Barriers and opportunities"),
                (
                    Column("title", _("Barrier or opportunity"), required=True),
                    Column("field_of_action", _("Field of action"), "choice", FIELDS),
                    Column("description", _("Description"), "longtext"),
                ),
            ),
            Table(
                "stakeholders",
                _("Systems and stakeholders"),
                (
                    Column("stakeholder", _("Stakeholder"), required=True),
                    Column("system", _("System")),
                    Column("network", _("Network")),
                    Column("influence", _("Influence"), "choice", SCALE),
                    Column("interest", _("Interest"), "choice", SCALE),
                ),
            ),
        ),
        help=_("A new iteration starts from the dossier's barriers and stakeholders."),
    ),
    Module("pathways", ACTION_PLAN, "B-1", _("Impact pathways"), "parts"),
    Module("actions", ACTION_PLAN, "B-2", _("Action portfolio"), "parts"),
    Module(
        "residual",
        ACTION_PLAN,
        "B-2.3",
        _("Strategy for residual emissions"),
        "parts",
        fields=(Column("strategy", _("Strategy"), "markdown"),),
    ),
    Module("indicators", ACTION_PLAN, "B-3", _("Indicators"), "parts"),
    Module(
        "governance",
        ACTION_PLAN,
        "C-1",
        _("Governance innovation"),
        tables=(Table("interventions", _("Interventions"), INTERVENTION_COLUMNS),),
    ),
    Module(
        "social",
        ACTION_PLAN,
        "C-2",
        _("Social innovation"),
        tables=(Table("interventions", _("Interventions"), INTERVENTION_COLUMNS),),
    ),
    Module(
        "outlook",
        ACTION_PLAN,
        "D",
        _("Outlook and next steps"),
        fields=(Column("next_steps", _("Plan for the next iteration"), "markdown"),),
    ),
    Module(
        "ip_a1",
        INVESTMENT_PLAN,
        "IP-A1",
        _("Existing climate funding"),
        fields=(Column("notes", _("Notes"), "markdown"),),
        tables=(
            Table(
                "funding",
                _("Climate spending by field of action"),
                (
                    Column("field_of_action", _("Field of action"), "choice", FIELDS, True),
                    Column("year", _("Year"), "integer"),
                    Column("budget", _("Total budget (€)"), "decimal"),
                    Column("climate_share", _("Climate share (%)"), "decimal"),
                    Column("capex", _("Capital spending (€)"), "decimal"),
                    Column("opex", _("Operating spending (€)"), "decimal"),
                    Column("source", _("Sources")),
                ),
            ),
        ),
    ),
    Module(
        "ip_a2",
        INVESTMENT_PLAN,
        "IP-A2",
        _("Income, capital sources and debt"),
        fields=(
            Column("debt_level", _("Current debt (€)"), "decimal"),
            Column("debt_limit", _("Legal debt limit (€)"), "decimal"),
            Column("notes", _("Notes"), "markdown"),
        ),
        tables=(
            Table(
                "sources",
                _("Income and extraordinary capital sources"),
                (
                    Column("source", _("Source"), required=True),
                    Column("amount", _("Amount per year (€)"), "decimal"),
                    Column("notes", _("Notes"), "longtext"),
                ),
            ),
        ),
    ),
    Module(
        "ip_a3",
        INVESTMENT_PLAN,
        "IP-A3",
        _("Barriers to investment"),
        tables=(
            Table(
                "barriers",
                _("Barriers"),
                (
                    Column("barrier", _("Barrier"), required=True),
                    Column("description", _("Description"), "longtext"),
                ),
            ),
        ),
    ),
    Module(
        "ip_b1",
        INVESTMENT_PLAN,
        "IP-B1",
        _("Cost scenarios"),
        "generated",
        fields=(Column("notes", _("Notes on the cost scenarios"), "markdown"),),
        help=_("Generated from the actions' costs and reductions."),
    ),
    Module(
        "ip_b2",
        INVESTMENT_PLAN,
        "IP-B2",
        _("Capital planning"),
        "generated",
        fields=(Column("notes", _("Notes on capital planning"), "markdown"),),
        help=_("Generated from each action's funding; what is not covered is the capital gap."),
    ),
    Module(
        "ip_b3",
        INVESTMENT_PLAN,
        "IP-B3",
        _("Economic and financial indicators"),
        tables=(
            Table(
                "indicators",
                _("Indicators"),
                (
                    Column("indicator", _("Indicator"), required=True),
                    Column("unit", _("Unit")),
                    Column("baseline", _("Baseline"), "decimal"),
                    Column("target_2030", _("Target 2030"), "decimal"),
                ),
            ),
        ),
    ),
    Module(
        "ip_c1",
        INVESTMENT_PLAN,
        "IP-C1",
        _("Policies for capital formation"),
        tables=(
            Table(
                "policies",
                _("Policies"),
                (
                    Column("policy", _("Policy"), required=True),
                    Column("status", _("Status")),
                    Column("intended_outcome", _("Intended outcome"), "longtext"),
                ),
            ),
        ),
    ),
    Module(
        "ip_c2",
        INVESTMENT_PLAN,
        "IP-C2",
        _("Risks"),
        tables=(
            Table(
                "risks",
                _("Risks"),
                (
                    Column("project", _("Project")),
                    Column("risk", _("Risk"), required=True),
                    Column("priority", _("Priority"), "choice", SCALE),
                    Column("likelihood", _("Likelihood"), "choice", SCALE),
                    Column("mitigation", _("Mitigation"), "longtext"),
                    Column("residual_risk", _("Residual risk"), "choice", SCALE),
                ),
            ),
        ),
    ),
    Module(
        "ip_c3",
        INVESTMENT_PLAN,
        "IP-C3",
        _("Capacity and financial stakeholders"),
        tables=(
            Table(
                "stakeholders",
                _("Financial stakeholders"),
                (
                    Column("stakeholder", _("Stakeholder"), required=True),
                    Column("required_investment", _("Required investment (€)"), "decimal"),
                    Column("influence", _("Influence"), "choice", SCALE),
                    Column("interest", _("Interest"), "choice", SCALE),
                    Column("engagement", _("Engagement"), "longtext"),
                    Column("activity_costs", _("Activity costs (€)"), "decimal"),
                ),
            ),
        ),
    ),
)
BY_CODE: dict[str, Module] = {module.code: module for module in MODULES}


def fields_form_class(module: Module) -> type[forms.Form]:
    """A form with one field per narrative or figure of the module."""
    return type(
        f"{module.code.title()}Form",
        (forms.Form,),
        {column.name: column.form_field() for column in module.fields},
    )


def table_formset_class(table: Table) -> type[forms.BaseFormSet]:
    row_form = type(
        f"{table.name.title()}RowForm",
        (forms.Form,),
        {column.name: column.form_field() for column in table.columns},
    )
    return forms.formset_factory(
        row_form,
        extra=2,
        can_delete=True,
        max_num=MAX_TABLE_ROWS,
        validate_max=True,
        absolute_max=MAX_TABLE_ROWS + 10,
    )


def as_text(value: Any) -> str:
    """A cleaned form value as stored: text, with numbers and dates in their canonical form."""
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "normalize"):
        return format(value.normalize(), "f")
    return str(value)


def kept_rows(formset: forms.BaseFormSet, table: Table) -> list[dict[str, str]]:
    """The filled-in rows not ticked for deletion, as stored text, in their order."""
    rows = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data or data.get("DELETE"):
            continue
        row = {column.name: as_text(data.get(column.name)) for column in table.columns}
        if any(row.values()):
            rows.append(row)
    return rows
