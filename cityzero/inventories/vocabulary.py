"""The accounting core's English names (GPC sectors, sub-sectors, energy carriers), translated.

The core (``cityzero.ghg``) has no Django and so no gettext; its names are listed here so that
``makemessages`` extracts them, and pages show them through :func:`translated`. A test keeps this
list complete.
"""

from django.utils.translation import gettext
from django.utils.translation import gettext_noop as _

from cityzero.ghg.carriers import CARRIERS
from cityzero.ghg.factors import FactorKind
from cityzero.ghg.gpc import SECTORS

CORE_NAMES = (
    # sectors
    _("Stationary energy"),
    _("Transportation"),
    _("Waste"),
    _("Industrial processes and product use (IPPU)"),
    _("Agriculture, forestry and other land use (AFOLU)"),
    _("Other scope 3"),
    # subsectors
    _("Residential buildings"),
    _("Commercial and institutional buildings and facilities"),
    _("Manufacturing industries and construction"),
    _("Energy industries"),
    _("Agriculture, forestry and fishing activities"),
    _("Non-specified sources"),
    _("Fugitive emissions from mining, processing, storage and transportation of coal"),
    _("Fugitive emissions from oil and natural gas systems"),
    _("On-road transportation"),
    _("Railways"),
    _("Waterborne navigation"),
    _("Aviation"),
    _("Off-road transportation"),
    _("Solid waste disposal"),
    _("Biological treatment of waste"),
    _("Incineration and open burning"),
    _("Wastewater treatment and discharge"),
    _("Industrial processes"),
    _("Product use"),
    _("Livestock"),
    _("Land"),
    _("Aggregate sources and non-CO2 emission sources on land"),
    _("Other scope 3"),
    # carriers
    _("Natural gas"),
    _("Gas/diesel oil"),
    _("Motor gasoline"),
    _("Liquefied petroleum gases (LPG)"),
    _("Residual fuel oil"),
    _("Other kerosene"),
    _("Jet kerosene"),
    _("Anthracite"),
    _("Other bituminous coal"),
    _("Sub-bituminous coal"),
    _("Lignite"),
    _("Peat"),
    _("Coke"),
    _("Municipal solid waste (as fuel)"),
    _("Other primary solid biomass"),
    _("Landfill gas"),
    _("Biodiesels"),
    _("Biogas"),
    _("Grid electricity"),
    _("District heat"),
    _("District cooling"),
    _("Steam"),
    _("Passenger car"),
    _("Light commercial vehicle"),
    _("Heavy goods vehicle"),
    _("Bus"),
    _("Motorcycle"),
    _("Municipal solid waste"),
    _("Organic waste"),
    _("Wastewater"),
)

FACTOR_KINDS = {
    FactorKind.USER: _("entered on the row"),
    FactorKind.LOCAL: _("the city's own factor"),
    FactorKind.NATIONAL: _("national factor"),
    FactorKind.IPCC_DEFAULT: _("IPCC 2006 default"),
}


def translated(name: str) -> str:
    """The core's English name in the active language (unchanged where there is no translation)."""
    return gettext(name)


def factor_kind(kind: str) -> str:
    return gettext(FACTOR_KINDS[FactorKind(kind)])


def sector_label(code: str) -> str:
    """'I Stationary energy', in the active language."""
    return f"{code} {translated(SECTORS[code].name)}"


def carrier_label(code: str) -> str:
    return translated(CARRIERS[code].name) if code in CARRIERS else code
