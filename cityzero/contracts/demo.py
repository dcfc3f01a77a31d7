"""The illustrative demo contract, built through the same services an editor's forms use."""

import json
from pathlib import Path
from typing import Any

from cityzero.cities.models import City, Visibility
from cityzero.contracts import services
from cityzero.contracts.models import (
    Action,
    Contract,
    ImpactPathway,
    Indicator,
    Iteration,
    Removal,
    Signatory,
)
from cityzero.contracts.modules import BY_CODE
from cityzero.inventories.models import Inventory

DEMO_FILE = Path(__file__).resolve().parent / "data" / "demo_contract.json"


def load_demo_contract(
    city: City, baseline: Inventory, *, by, spec_file: Path = DEMO_FILE
) -> Iteration | None:
    """An illustrative contract, iteration 1 (public, passing the checklist): Aachen's, or the one
    ``spec_file`` describes in the same layout; ``None`` if the city has one."""
    if Contract.objects.filter(city=city, iterations__isnull=False).exists():
        return None
    spec: dict[str, Any] = json.loads(spec_file.read_text(encoding="utf-8"))
    iteration = services.start_contract(city, baseline=baseline, by=by)
    iteration = services.update_settings(
        iteration, base_version=iteration.version, by=by, visibility=Visibility.PUBLIC
    )
    services.save_module(iteration, BY_CODE["goal"], fields=spec["goal"], tables={},
                         base_version=0, by=by)  # fmt: skip
    pathways = {}
    for fields in spec["pathways"]:
        pathway = ImpactPathway(iteration=iteration, **fields)
        pathways[pathway.name] = services.save_part(iteration, pathway, base_version=None, by=by)
    for fields in spec["actions"]:
        fields = dict(fields)
        fundings = fields.pop("fundings", [])
        action = Action(
            iteration=iteration, **fields | {"pathway": pathways.get(fields["pathway"])}
        )
        services.save_part(iteration, action, base_version=None, by=by, fundings=fundings)
    for fields in spec["indicators"]:
        indicator = Indicator(
            iteration=iteration, **fields | {"pathway": pathways[fields["pathway"]]}
        )
        services.save_part(iteration, indicator, base_version=None, by=by)
    for fields in spec["signatories"]:
        services.save_part(iteration, Signatory(iteration=iteration, **fields), base_version=None,
                           by=by)  # fmt: skip
    services.save_module(iteration, BY_CODE["residual"], fields=spec["residual"], tables={},
                         base_version=0, by=by)  # fmt: skip
    for fields in spec["removals"]:
        services.save_part(iteration, Removal(iteration=iteration, **fields), base_version=None,
                           by=by)  # fmt: skip
    return iteration
