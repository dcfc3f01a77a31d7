"""Synthetic knowledge entries for scale tests: plausible climate text, made deterministically.

``synthetic_entries(count, seed=…)`` yields plain dicts of ``Entry`` fields (plus ``tags``, a list
of tag codes). Entry *i* of a seed is always the same, whatever ``start`` the stream begins at, so
a scale database can be grown in steps and rebuilt exactly.

Each entry has a main topic and a second one: its title names the main topic, its summary and
body draw about half their words from the two topics' word pools and the rest from a general pool
of climate-policy words. A two-word topic query ("district heating") therefore matches a few
percent of the entries, a pair of general words ("municipal budget") somewhat fewer, and a
single common word ("climate") a large share — roughly what a real repository sees.

The body is Markdown of a fixed shape (headings, paragraphs, a list) and ``body_html`` is built
here directly, equal to what ``core.markdown.render_markdown`` makes of it, because rendering
100,000 bodies through Markdown would take most of a minute. The words carry no Markdown or HTML
syntax, so nothing needs escaping.
"""

import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

T = TypeVar("T")

ORGANISATION = "Synthetic"
LICENCE = "CC0 1.0"
SLUG_PREFIX = "synthetic"

KINDS = (
    ("case_study", 24), ("guide", 20), ("report", 14), ("tool", 10), ("dataset", 8),
    ("training", 10), ("funding", 7), ("event", 7),
)  # fmt: skip
LANGUAGES = (("en", 82), ("de", 4), ("fr", 3), ("es", 3), ("it", 3), ("nl", 2), ("sv", 3))
YEARS = (2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026)
LEVERS = ("technology", "governance", "social_innovation", "democracy", "learning", "finance")
PHASES = (
    "phase-mandate", "phase-system", "phase-portfolio", "phase-act", "phase-learn", "phase-normal",
)  # fmt: skip
CONTRACT = ("ccc-commitments", "ccc-action-plan", "ccc-investment-plan", "ghg-inventory")


@dataclass(frozen=True)
class Topic:
    phrase: str  # what a title says
    tags: tuple[str, ...]  # a field of action first, then themes
    words: tuple[str, ...]  # words its text draws on


# --- English ------------------------------------------------------------------------------------

EN_TOPICS = (
    Topic("district heating", ("energy", "district-heating"),
          ("district", "heating", "network", "waste", "heat", "supply", "temperature", "pipes",
           "utility", "connection", "boilers", "storage", "substation", "biomass", "tariff")),
    Topic("district cooling", ("energy", "district-heating"),
          ("district", "cooling", "chillers", "seawater", "network", "demand", "peak", "summer",
           "offices", "hospital", "absorption", "storage")),
    Topic("heat pumps", ("buildings", "renewables"),
          ("heat", "pumps", "installers", "subsidy", "air", "ground", "source", "radiators",
           "efficiency", "electricity", "grid", "households", "boilers", "noise")),
    Topic("energy communities", ("energy", "energy-communities"),
          ("community", "cooperative", "members", "shares", "solar", "sharing", "tenants",
           "citizens", "ownership", "self", "consumption", "aggregator", "statutes")),
    Topic("rooftop solar", ("energy", "renewables"),
          ("solar", "rooftop", "panels", "photovoltaic", "roofs", "cadastre", "inverter",
           "output", "schools", "depots", "yield", "permits")),
    Topic("wind power", ("energy", "renewables"),
          ("wind", "turbines", "onshore", "repowering", "siting", "noise", "landscape",
           "community", "benefit", "fund", "capacity", "hub")),
    Topic("building renovation", ("buildings", "renovation"),
          ("renovation", "retrofit", "insulation", "facade", "windows", "owners", "apartment",
           "blocks", "deep", "one", "stop", "shop", "energy", "performance", "certificates")),
    Topic("public buildings retrofit", ("buildings", "renovation"),
          ("public", "buildings", "schools", "town", "hall", "retrofit", "energy", "performance",
           "contracting", "savings", "guarantee", "esco", "lighting")),
    Topic("social housing", ("buildings", "just-transition"),
          ("social", "housing", "tenants", "rents", "energy", "poverty", "landlord", "bills",
           "associations", "retrofit", "comfort")),
    Topic("green bonds", ("buildings", "green-finance"),
          ("green", "bonds", "issuance", "investors", "framework", "allocation", "impact",
           "reporting", "rating", "coupon", "eligible", "projects", "taxonomy")),
    Topic("climate budgeting", ("buildings", "green-finance"),
          ("climate", "budget", "budgeting", "spending", "tagging", "council", "finance",
           "department", "carbon", "allowance", "annual", "accounts")),
    Topic("revolving funds", ("energy", "green-finance"),
          ("revolving", "fund", "savings", "loans", "repayments", "capital", "projects",
           "efficiency", "treasury", "payback")),
    Topic("cycling infrastructure", ("mobility", "active-mobility"),
          ("cycling", "bike", "lanes", "network", "parking", "protected", "junctions", "commuters",
           "cargo", "bikes", "counts", "safety")),
    Topic("walkable neighbourhoods", ("mobility", "active-mobility"),
          ("walking", "pedestrians", "streets", "superblocks", "school", "crossings", "benches",
           "trees", "neighbourhood", "traffic", "calming")),
    Topic("zero-emission buses", ("mobility", "electromobility"),
          ("buses", "zero", "emission", "battery", "electric", "depot", "charging", "fleet",
           "tender", "operator", "hydrogen", "routes")),
    Topic("public transport", ("mobility", "public-transport"),
          ("public", "transport", "tram", "metro", "ticket", "fares", "frequency", "ridership",
           "interchange", "timetable", "passengers", "routes")),
    Topic("mobility hubs", ("mobility", "public-transport"),
          ("mobility", "hubs", "sharing", "scooters", "car", "club", "bike", "station",
           "interchange", "parking", "app")),
    Topic("electric vehicle charging", ("mobility", "electromobility"),
          ("electric", "vehicles", "charging", "points", "chargers", "grid", "kerbside",
           "taxis", "fleet", "concession", "tariff")),
    Topic("low-emission zones", ("mobility", "multi-level"),
          ("low", "emission", "zone", "vehicles", "access", "cameras", "air", "quality",
           "exemptions", "enforcement", "diesel")),
    Topic("urban logistics", ("mobility", "circular-economy"),
          ("logistics", "freight", "delivery", "consolidation", "centre", "cargo", "bikes",
           "vans", "parcels", "loading", "zones")),
    Topic("circular construction", ("waste", "circular-economy"),
          ("circular", "construction", "materials", "reuse", "demolition", "timber", "concrete",
           "passport", "embodied", "carbon", "recycling")),
    Topic("waste prevention", ("waste", "circular-economy"),
          ("waste", "prevention", "reuse", "repair", "cafes", "packaging", "households",
           "collection", "sorting", "landfill", "compost")),
    Topic("biowaste collection", ("waste", "circular-economy"),
          ("biowaste", "food", "waste", "collection", "compost", "anaerobic", "digestion",
           "biogas", "bins", "separate", "households")),
    Topic("sustainable food", ("waste", "sustainable-food"),
          ("food", "canteens", "school", "meals", "plant", "based", "local", "farmers",
           "procurement", "seasonal", "diets")),
    Topic("urban forests", ("green", "nature-based"),
          ("urban", "forest", "trees", "canopy", "shade", "heat", "species", "planting",
           "maintenance", "carbon", "sinks")),
    Topic("nature-based solutions", ("green", "nature-based"),
          ("nature", "based", "solutions", "green", "roofs", "rain", "gardens", "wetlands",
           "biodiversity", "flooding", "stormwater")),
    Topic("green roofs", ("green", "nature-based"),
          ("green", "roofs", "substrate", "sedum", "retention", "stormwater", "cooling",
           "biodiversity", "owners", "grants")),
    Topic("citizens' assemblies", ("buildings", "citizen-assemblies"),
          ("citizens", "assembly", "sortition", "deliberation", "recommendations", "members",
           "facilitators", "experts", "council", "response")),
    Topic("city labs", ("energy", "citizen-assemblies"),
          ("living", "lab", "experiments", "prototypes", "residents", "university", "testing",
           "learning", "street", "pilot")),
    Topic("co-creation workshops", ("green", "co-creation"),
          ("co", "creation", "workshops", "residents", "design", "ideas", "facilitation",
           "neighbourhood", "stakeholders", "mapping")),
    Topic("behaviour change", ("energy", "behaviour-change"),
          ("behaviour", "change", "nudges", "habits", "households", "feedback", "campaign",
           "norms", "challenge", "lifestyle")),
    Topic("green procurement", ("waste", "procurement"),
          ("procurement", "tender", "criteria", "suppliers", "contracts", "award",
           "market", "dialogue", "lifecycle", "costing", "specifications")),
    Topic("just transition", ("energy", "just-transition"),
          ("just", "transition", "workers", "skills", "fairness", "vulnerable", "households",
           "jobs", "retraining", "distributional", "impacts")),
    Topic("energy poverty", ("buildings", "just-transition"),
          ("energy", "poverty", "bills", "arrears", "vulnerable", "households", "advice",
           "cold", "homes", "support")),
    Topic("GHG inventory", ("energy", "ghg-inventory"),
          ("inventory", "emissions", "scope", "sectors", "activity", "data", "factors", "gpc",
           "baseline", "stationary", "transport", "waste")),
    Topic("monitoring indicators", ("buildings", "data-monitoring"),
          ("monitoring", "indicators", "targets", "dashboard", "data", "collection", "interval",
           "metadata", "baseline", "progress", "reporting")),
    Topic("digital twins", ("energy", "smart-city"),
          ("digital", "twin", "model", "sensors", "platform", "open", "data", "simulation",
           "buildings", "scenarios", "3d")),
    Topic("smart grids", ("energy", "smart-city"),
          ("smart", "grid", "flexibility", "demand", "response", "meters", "storage",
           "batteries", "operator", "congestion")),
    Topic("impact pathways", ("mobility", "ccc-action-plan"),
          ("impact", "pathways", "levers", "outcomes", "early", "changes", "co", "benefits",
           "portfolio", "actions", "theory")),
    Topic("investment planning", ("buildings", "ccc-investment-plan"),
          ("investment", "plan", "capital", "gap", "capex", "opex", "cost", "tonne", "sources",
           "bankable", "pipeline")),
    Topic("climate city contract", ("energy", "ccc-commitments"),
          ("contract", "commitments", "signatories", "council", "decision", "priorities",
           "goal", "neutrality", "stakeholders", "pledge")),
    Topic("multi-level governance", ("green", "multi-level"),
          ("multi", "level", "governance", "region", "national", "ministry", "agreement",
           "coordination", "mandate", "support")),
    Topic("EU funding", ("energy", "green-finance"),
          ("funding", "horizon", "europe", "life", "programme", "call", "consortium",
           "proposal", "grant", "partners", "deadline")),
    Topic("carbon sinks", ("green", "nature-based"),
          ("carbon", "sinks", "soils", "peatland", "restoration", "removals", "offsets",
           "residual", "emissions", "wetlands")),
    Topic("industrial waste heat", ("energy", "district-heating"),
          ("industrial", "waste", "heat", "recovery", "data", "centres", "factories",
           "temperature", "network", "contracts")),
    Topic("port decarbonisation", ("mobility", "electromobility"),
          ("port", "shore", "power", "ships", "ferries", "cranes", "electrification",
           "terminal", "harbour", "emissions")),
)  # fmt: skip

EN_GENERAL = (
    # Words of climate-policy prose in general, none a topic's own: a topic query finds the texts
    # about the topic, rarely others.
    # common: in most texts
    ("climate", 24), ("city", 24), ("emissions", 14), ("neutral", 5), ("2030", 5),
    ("municipal", 3), ("local", 3), ("action", 3), ("residents", 3), ("council", 2),
    ("project", 4), ("pilot", 2), ("partners", 3),
    # middling
    *((word, 2) for word in (
        "costs", "savings", "targets", "reduction", "tonnes", "policy", "strategy", "mandate",
        "team", "department", "staff", "capacity", "skills", "stakeholders", "businesses",
        "universities", "region", "national", "european", "mission", "portfolio", "measures",
        "results", "lessons", "evaluation", "survey", "scenario", "timeline", "phase",
        "implementation", "permits", "regulation", "barriers", "risks", "benefits", "health",
        "jobs", "equity", "neighbourhood", "infrastructure", "finance", "private",
        "participation", "engagement", "communication",
    )),
    # rarer
    *((word, 1) for word in (
        "replication", "scaling", "governance", "framework", "guidance", "template", "toolkit",
        "checklist", "workshop", "webinar", "training", "module", "exercise", "worksheet",
        "questionnaire", "interviews", "analysis", "assessment", "appraisal",
        "benchmark", "comparison", "trajectory", "milestones", "schedule",
        "approval", "resolution", "ordinance", "bylaw", "zoning", "masterplan", "corridor",
        "square", "park", "riverside", "campus", "estate", "suburb",
        "centre", "village", "metropolitan", "cross", "border", "twinning", "peer", "exchange",
        "visit", "mentoring", "coaching", "alliance", "platform", "portal",
        "licence", "dataset", "spreadsheet", "calculator", "methodology", "assumptions",
        "uncertainty", "sensitivity", "verification", "audit", "transparency", "accountability",
        "trust", "legitimacy", "inclusion", "gender", "youth", "elderly", "migrants",
        "landlords", "developers", "architects", "engineers",
        "retailers", "artists", "schoolchildren", "volunteers", "ambassadors",
        "champions", "frontrunners", "laggards", "incentives", "penalties", "fees",
        "levies", "taxes", "vouchers", "rebates", "guarantees", "debt",
        "leasing", "crowdfunding", "foundations", "philanthropy", "banks",
        "insurers", "pension", "ratings", "disclosure",
    )),
)  # fmt: skip

EN_TITLE = (
    "{Topic} in {place}: lessons from a pilot",
    "{Topic}: a practical guide for {audience}",
    "How {place} scaled up {topic}",
    "{Topic} toolkit for {audience}",
    "Costs and benefits of {topic} in {place}",
    "{Topic} and {second}: what works",
    "Designing {topic} with {audience}",
    "{Topic} monitoring results, {place}",
    "Ten questions about {topic}",
    "From pilot to programme: {topic} in {place}",
    "Financing {topic}: options for {audience}",
    "{Topic} webinar series for {audience}",
)
EN_PLACES = (
    "Northbridge", "Lakeside", "Eastmoor", "Riverton", "Harbourside", "Westfield", "Kingsmere",
    "Ashford Vale", "Saltmarsh", "Hillcrest", "Old Quay", "Millbrook", "Greenhaven", "Stonebury",
)  # fmt: skip
EN_AUDIENCES = (
    "small cities", "mission cities", "city officers", "energy managers", "procurement teams",
    "council members", "community groups", "transport planners", "finance departments",
    "climate coordinators",
)  # fmt: skip
EN_HEADINGS = ("Context", "What was done", "Results", "Lessons", "Next steps", "How to start")


@dataclass(frozen=True)
class Vocabulary:
    topics: tuple[Topic, ...]
    general: tuple[tuple[str, int], ...]
    titles: tuple[str, ...]
    places: tuple[str, ...]
    audiences: tuple[str, ...]
    headings: tuple[str, ...]


def _topics(rows: tuple[tuple[str, tuple[str, ...], str], ...]) -> tuple[Topic, ...]:
    return tuple(Topic(phrase, tags, tuple(words.split())) for phrase, tags, words in rows)


def _general(words: str) -> tuple[tuple[str, int], ...]:
    listed = words.split()
    return tuple((word, 6 if n < 10 else 2) for n, word in enumerate(listed))


# --- other languages: smaller vocabularies, enough to stem and search realistically ------------

OTHER = {
    "de": Vocabulary(
        _topics(
            (
                (
                    "Fernwärme",
                    ("energy", "district-heating"),
                    "Fernwärme Wärmenetze Abwärme Netzbetreiber Anschlüsse Wärmespeicher Stadtwerke",
                ),
                (
                    "Wärmepumpen",
                    ("buildings", "renewables"),
                    "Wärmepumpen Förderung Installateure Heizkörper Strom Haushalte Effizienz",
                ),
                (
                    "Energiegenossenschaften",
                    ("energy", "energy-communities"),
                    "Genossenschaft Mitglieder Bürger Solaranlagen Anteile Eigenverbrauch Mieterstrom",
                ),
                (
                    "Gebäudesanierung",
                    ("buildings", "renovation"),
                    "Sanierung Dämmung Fassaden Eigentümer Mehrfamilienhäuser Beratung Fenster",
                ),
                (
                    "Radverkehr",
                    ("mobility", "active-mobility"),
                    "Radwege Fahrräder Lastenräder Kreuzungen Pendler Abstellanlagen Sicherheit",
                ),
                (
                    "Bürgerräte",
                    ("buildings", "citizen-assemblies"),
                    "Bürgerrat Losverfahren Empfehlungen Moderation Beteiligung Stadtrat Bürgerinnen",
                ),
                (
                    "Klimahaushalt",
                    ("energy", "green-finance"),
                    "Haushalt Kämmerei Investitionen Kredite Förderprogramme Anleihen Finanzierung",
                ),
                (
                    "Stadtbäume",
                    ("green", "nature-based"),
                    "Bäume Stadtgrün Hitze Schatten Regenwasser Pflanzungen Artenvielfalt",
                ),
            )
        ),
        _general(
            "Klimaschutz Stadt Emissionen Klimaneutralität Kommune Maßnahmen Verwaltung "
            "Projekt Ziele Bürger Energie Verkehr Gebäude Daten Bericht Umsetzung Kosten "
            "Planung Beteiligung Stadtwerke Quartier Strategie Förderung Ergebnisse"
        ),
        (
            "{Topic} in {place}: Erfahrungen aus der Praxis",
            "Leitfaden {topic} für {audience}",
            "{Topic} und {second} in {place}",
        ),
        ("Nordstadt", "Seehausen", "Altdorf am Main", "Bergheim"),
        ("Kommunen", "Stadtwerke", "Klimaschutzmanager"),
        ("Ausgangslage", "Vorgehen", "Ergebnisse", "Nächste Schritte"),
    ),
    "fr": Vocabulary(
        _topics(
            (
                (
                    "réseaux de chaleur",
                    ("energy", "district-heating"),
                    "réseaux chaleur chaufferie biomasse raccordements récupération géothermie",
                ),
                (
                    "rénovation énergétique",
                    ("buildings", "renovation"),
                    "rénovation isolation copropriétés logements propriétaires travaux accompagnement",
                ),
                (
                    "communautés énergétiques",
                    ("energy", "energy-communities"),
                    "communautés autoconsommation collective habitants coopérative panneaux solaires",
                ),
                (
                    "mobilité douce",
                    ("mobility", "active-mobility"),
                    "vélos pistes cyclables piétons rues apaisées stationnement écoles",
                ),
                (
                    "conventions citoyennes",
                    ("buildings", "citizen-assemblies"),
                    "convention citoyens tirage sort propositions délibération élus",
                ),
                (
                    "budget vert",
                    ("energy", "green-finance"),
                    "budget vert dépenses cotation investissements emprunts obligations",
                ),
                (
                    "végétalisation",
                    ("green", "nature-based"),
                    "arbres îlots fraîcheur cours écoles végétalisation biodiversité pluie",
                ),
            )
        ),
        _general(
            "climat ville émissions neutralité commune actions habitants projet objectifs "
            "énergie transports bâtiments données bilan mise œuvre coûts planification "
            "concertation quartier stratégie financement résultats territoire"
        ),
        (
            "{Topic} à {place} : retour d'expérience",
            "Guide des {topic} pour les {audience}",
            "{Topic} et {second} à {place}",
        ),
        ("Val-sur-Loire", "Montclair", "Saint-Aubin-du-Lac"),
        ("collectivités", "élus", "services techniques"),
        ("Contexte", "Démarche", "Résultats", "Prochaines étapes"),
    ),
    "es": Vocabulary(
        _topics(
            (
                (
                    "comunidades energéticas",
                    ("energy", "energy-communities"),
                    "comunidades energéticas vecinos autoconsumo placas solares cooperativa",
                ),
                (
                    "rehabilitación de viviendas",
                    ("buildings", "renovation"),
                    "rehabilitación viviendas aislamiento comunidades propietarios fachadas ayudas",
                ),
                (
                    "movilidad sostenible",
                    ("mobility", "public-transport"),
                    "autobuses transporte público bicicletas carriles peatones supermanzanas",
                ),
                (
                    "asambleas ciudadanas",
                    ("buildings", "citizen-assemblies"),
                    "asamblea ciudadanos sorteo recomendaciones deliberación ayuntamiento",
                ),
                (
                    "soluciones basadas en la naturaleza",
                    ("green", "nature-based"),
                    "árboles sombra parques humedales inundaciones biodiversidad refugios",
                ),
                (
                    "compra pública verde",
                    ("waste", "procurement"),
                    "contratación pública licitación criterios proveedores pliegos adjudicación",
                ),
            )
        ),
        _general(
            "clima ciudad emisiones neutralidad municipio acciones vecinos proyecto "
            "objetivos energía transporte edificios datos informe ejecución costes "
            "planificación participación barrio estrategia financiación resultados"
        ),
        (
            "{Topic} en {place}: lecciones aprendidas",
            "Guía de {topic} para {audience}",
            "{Topic} y {second} en {place}",
        ),
        ("Villanueva del Río", "Puerto Claro", "San Martín de la Vega"),
        ("ayuntamientos", "técnicos municipales", "entidades vecinales"),
        ("Contexto", "Qué se hizo", "Resultados", "Próximos pasos"),
    ),
    "it": Vocabulary(
        _topics(
            (
                (
                    "comunità energetiche",
                    ("energy", "energy-communities"),
                    "comunità energetiche rinnovabili condivisione autoconsumo pannelli soci",
                ),
                (
                    "riqualificazione degli edifici",
                    ("buildings", "renovation"),
                    "riqualificazione edifici isolamento condomini cappotto incentivi proprietari",
                ),
                (
                    "mobilità ciclabile",
                    ("mobility", "active-mobility"),
                    "biciclette piste ciclabili pedoni strade scolastiche zone trenta",
                ),
                (
                    "forestazione urbana",
                    ("green", "nature-based"),
                    "alberi forestazione ombra calore parchi biodiversità piantumazione",
                ),
                (
                    "bilancio climatico",
                    ("energy", "green-finance"),
                    "bilancio spese investimenti mutui obbligazioni finanziamenti",
                ),
                (
                    "mense sostenibili",
                    ("waste", "sustainable-food"),
                    "mense scolastiche pasti filiera corta spreco alimentare agricoltori",
                ),
            )
        ),
        _general(
            "clima città emissioni neutralità comune azioni cittadini progetto obiettivi "
            "energia trasporti edifici dati rapporto attuazione costi pianificazione "
            "partecipazione quartiere strategia finanziamento risultati"
        ),
        (
            "{Topic} a {place}: lezioni apprese",
            "Guida alle {topic} per {audience}",
            "{Topic} e {second} a {place}",
        ),
        ("Borgo Alto", "Lagofiore", "San Vito al Piano"),
        ("comuni", "tecnici comunali", "associazioni"),
        ("Contesto", "Cosa è stato fatto", "Risultati", "Prossimi passi"),
    ),
    "nl": Vocabulary(
        _topics(
            (
                (
                    "warmtenetten",
                    ("energy", "district-heating"),
                    "warmtenetten restwarmte aansluitingen wijken aardgasvrij warmtebedrijf",
                ),
                (
                    "energiecoöperaties",
                    ("energy", "energy-communities"),
                    "coöperatie leden zonnepanelen daken windmolens opbrengst buurt",
                ),
                (
                    "fietsbeleid",
                    ("mobility", "active-mobility"),
                    "fietsers fietspaden stallingen kruispunten snelfietsroutes veiligheid",
                ),
                (
                    "groene daken",
                    ("green", "nature-based"),
                    "groene daken regenwater vergroening hittestress tuinen biodiversiteit",
                ),
                (
                    "burgerberaad",
                    ("buildings", "citizen-assemblies"),
                    "burgerberaad loting aanbevelingen deelnemers gemeenteraad",
                ),
            )
        ),
        _general(
            "klimaat stad uitstoot klimaatneutraal gemeente maatregelen bewoners project "
            "doelen energie verkeer gebouwen gegevens rapport uitvoering kosten planning "
            "participatie wijk strategie financiering resultaten"
        ),
        (
            "{Topic} in {place}: ervaringen",
            "Handreiking {topic} voor {audience}",
            "{Topic} en {second} in {place}",
        ),
        ("Nieuwendam", "Oosterveld", "Zuidhaven"),
        ("gemeenten", "beleidsmakers", "bewonersgroepen"),
        ("Aanleiding", "Aanpak", "Resultaten", "Vervolg"),
    ),
    "sv": Vocabulary(
        _topics(
            (
                (
                    "fjärrvärme",
                    ("energy", "district-heating"),
                    "fjärrvärme spillvärme värmepumpar nätet kraftvärmeverk kunder",
                ),
                (
                    "cykelinfrastruktur",
                    ("mobility", "active-mobility"),
                    "cykelbanor cyklister cykelparkering korsningar pendlare vinterväghållning",
                ),
                (
                    "klimatkontrakt",
                    ("energy", "ccc-commitments"),
                    "klimatkontrakt åtaganden företag undertecknare kommunfullmäktige",
                ),
                (
                    "cirkulärt byggande",
                    ("waste", "circular-economy"),
                    "återbruk byggmaterial rivning trähus klimatdeklaration",
                ),
                (
                    "medborgardialog",
                    ("buildings", "co-creation"),
                    "medborgardialog invånare workshoppar förslag delaktighet",
                ),
            )
        ),
        _general(
            "klimat staden utsläpp klimatneutral kommunen åtgärder invånare projekt mål "
            "energi trafik byggnader data rapport genomförande kostnader planering "
            "delaktighet stadsdel strategi finansiering resultat"
        ),
        (
            "{Topic} i {place}: erfarenheter",
            "Vägledning om {topic} för {audience}",
            "{Topic} och {second} i {place}",
        ),
        ("Norrvik", "Sjöstad", "Älvby"),
        ("kommuner", "tjänstepersoner", "föreningar"),
        ("Bakgrund", "Genomförande", "Resultat", "Nästa steg"),
    ),
}
ENGLISH = Vocabulary(EN_TOPICS, EN_GENERAL, EN_TITLE, EN_PLACES, EN_AUDIENCES, EN_HEADINGS)
VOCABULARIES = {"en": ENGLISH, **OTHER}


# --- making an entry ----------------------------------------------------------------------------


def _weights(pairs: Iterable[tuple[T, float]]) -> tuple[tuple[T, ...], list[float]]:
    listed = list(pairs)
    items = tuple(item for item, _weight in listed)
    cumulative, total = [], 0.0
    for _item, weight in listed:
        total += weight
        cumulative.append(total)
    return items, cumulative


_KINDS = _weights(KINDS)
# Some topics are written about more than others: the first about five times the last.
_TOPICS = {
    code: _weights((topic, 1 / (1 + n / 10)) for n, topic in enumerate(vocabulary.topics))
    for code, vocabulary in VOCABULARIES.items()
}
_LANGUAGES = _weights(LANGUAGES)
_GENERAL = {code: _weights(vocabulary.general) for code, vocabulary in VOCABULARIES.items()}


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _sentence(rng: random.Random, topic_words: list[str], language: str, n: int) -> str:
    """``n`` words, about half from the topic, the rest general words: a readable jumble."""
    general, cumulative = _GENERAL[language]
    from_topic = n // 2
    chosen = rng.choices(topic_words, k=from_topic) + rng.choices(
        general, cum_weights=cumulative, k=n - from_topic
    )
    rng.shuffle(chosen)
    return _capital(" ".join(chosen)) + "."


def _paragraph(rng: random.Random, topic_words: list[str], language: str, sentences: int) -> str:
    return " ".join(
        _sentence(rng, topic_words, language, rng.randint(8, 14)) for _ in range(sentences)
    )


def _title(rng: random.Random, vocabulary: Vocabulary, topic: Topic, second: Topic) -> str:
    template = rng.choice(vocabulary.titles)
    return template.format(
        Topic=_capital(topic.phrase), topic=topic.phrase, second=second.phrase,
        place=rng.choice(vocabulary.places), audience=rng.choice(vocabulary.audiences),
    )  # fmt: skip


def _body(
    rng: random.Random, vocabulary: Vocabulary, words: list[str], language: str
) -> tuple[str, str]:
    """Markdown and the HTML ``render_markdown`` makes of it: heading, paragraph, list, and
    another heading and paragraph."""
    first, second = rng.sample(vocabulary.headings, 2)
    intro = _paragraph(rng, words, language, rng.randint(3, 5))
    items = [_sentence(rng, words, language, rng.randint(4, 8)) for _ in range(rng.randint(2, 4))]
    outro = _paragraph(rng, words, language, rng.randint(1, 3))
    markdown = "\n\n".join(
        [f"## {first}", intro, "\n".join(f"- {item}" for item in items), f"## {second}", outro]
    )
    html = "\n".join(
        [f"<h2>{first}</h2>", f"<p>{intro}</p>", "<ul>", *(f"<li>{item}</li>" for item in items),
         "</ul>", f"<h2>{second}</h2>", f"<p>{outro}</p>"]
    )  # fmt: skip
    return markdown, html


def _tags(rng: random.Random, topic: Topic, second: Topic) -> list[str]:
    codes = list(topic.tags)
    codes += [code for code in second.tags[1:] if rng.random() < 0.5]
    codes.append(rng.choice(LEVERS))
    if rng.random() < 0.6:
        codes.append(rng.choice(PHASES))
    if rng.random() < 0.25:
        codes.append(rng.choice(CONTRACT))
    return list(dict.fromkeys(codes))[:6]


def synthetic_entry(seed: int, number: int) -> dict[str, Any]:
    """Entry ``number`` of the stream ``seed``: the same every time."""
    rng = random.Random(seed * 1_000_003 + number)  # noqa: S311  (test data, not secrets)
    kind = rng.choices(_KINDS[0], cum_weights=_KINDS[1])[0]
    language = rng.choices(_LANGUAGES[0], cum_weights=_LANGUAGES[1])[0]
    vocabulary = VOCABULARIES[language]
    topics, cumulative = _TOPICS[language]
    topic = second = rng.choices(topics, cum_weights=cumulative)[0]
    while second is topic:
        second = rng.choice(vocabulary.topics)
    # Not every word of a topic in every text; the second topic only sometimes, and less.
    words = rng.sample(topic.words, k=max(4, len(topic.words) * 2 // 3)) * 4
    if rng.random() < 0.6:
        words += rng.sample(second.words, k=max(3, len(second.words) // 2))
    body, body_html = _body(rng, vocabulary, words, language)
    year = rng.choice(YEARS)
    published = datetime(year, 1, 1, tzinfo=UTC) + timedelta(minutes=rng.randrange(525_000))
    return {
        "title": _title(rng, vocabulary, topic, second),
        "slug": f"{SLUG_PREFIX}-{seed}-{number}",
        "summary": _paragraph(rng, words, language, rng.randint(2, 3)),
        "body": body,
        "body_html": body_html,
        "kind": kind,
        "language": language,
        "year": year,
        "organisation": ORGANISATION,
        "licence": LICENCE,
        "published_at": published,
        "tags": _tags(rng, topic, second),
    }


def synthetic_entries(count: int, *, seed: int = 0, start: int = 0) -> Iterator[dict[str, Any]]:
    """Entries ``start`` … ``start + count - 1`` of the stream ``seed``."""
    for number in range(start, start + count):
        yield synthetic_entry(seed, number)
