import pytest

from cityzero.ghg.factors import FactorSet, load_ipcc_defaults


@pytest.fixture(scope="session")
def ipcc() -> FactorSet:
    return load_ipcc_defaults()
