from django import template
from django.contrib.humanize.templatetags.humanize import intcomma

from cityzero.cities.sections import SectionSpec

register = template.Library()


@register.filter
def row_headers(spec: SectionSpec) -> list[str]:
    return [
        str(spec.row_model._meta.get_field(name).verbose_name).capitalize()
        for name in spec.row_fields
    ]


@register.filter
def row_cells(row, spec: SectionSpec) -> list[str]:
    """A row's values as people read them: choice labels, names of linked cities, grouped euros."""
    cells = []
    for name in spec.row_fields:
        field = row._meta.get_field(name)
        if field.choices:
            cells.append(getattr(row, f"get_{name}_display")())
        elif name == "amount_eur":
            cells.append(f"€{intcomma(int(row.amount_eur))}")
        else:
            value = getattr(row, name)
            cells.append("" if value is None else str(value))
    return cells


@register.filter
def rows_of(section, spec: SectionSpec):
    return getattr(section, spec.related_name).all() if spec.related_name else []


@register.filter
def spec_for(specs: dict, kind: str) -> SectionSpec:
    return specs[kind]


@register.filter
def euros(value) -> str:
    return "" if value is None else f"€{intcomma(int(value))}"


@register.filter
def tonnes(value) -> str:
    return "" if value is None else f"{intcomma(round(value))} t CO2e"


@register.filter
def percent(value) -> str:
    return "" if value is None else f"{value.normalize():f} %"
