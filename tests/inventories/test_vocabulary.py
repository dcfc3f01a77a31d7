from django.utils import translation

from cityzero.ghg.carriers import CARRIERS
from cityzero.ghg.gpc import SECTORS, SUBSECTORS
from cityzero.inventories.vocabulary import CORE_NAMES, carrier_label, sector_label


def test_every_name_of_the_core_is_listed_for_translation():
    names = {s.name for s in SECTORS.values()} | {s.name for s in SUBSECTORS.values()}
    names |= {c.name for c in CARRIERS.values()}
    assert names - set(CORE_NAMES) == set()


def test_labels_go_through_the_active_language(monkeypatch):
    translated = {"Stationary energy": "Énergie stationnaire", "Natural gas": "Gaz naturel"}
    monkeypatch.setattr(
        "cityzero.inventories.vocabulary.gettext", lambda text: translated.get(text, text)
    )
    with translation.override("fr"):
        assert sector_label("I") == "I Énergie stationnaire"
        assert carrier_label("natural_gas") == "Gaz naturel"
        assert carrier_label("unheard_of") == "unheard_of"
