"""A workflow as one table of steps: from which statuses a step may be taken, to which status it
leads, and the permission action of ``accounts.permissions`` that allows it (None: only the
platform itself takes it). Each app keeps its own table and its own words for a refusal."""

from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class Step:
    code: str
    label: Promise
    sources: frozenset[str]
    target: str
    permission: str | None
    message_required: bool = False
    message_help: Promise | str = ""


def table(*steps: Step) -> dict[str, Step]:
    return {step.code: step for step in steps}
