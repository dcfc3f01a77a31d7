from ninja import NinjaAPI
from ninja.throttling import AnonRateThrottle, AuthRateThrottle

from cityzero.cities.api import router as cities_router
from cityzero.community.api import router as community_router
from cityzero.contracts.api import router as contracts_router
from cityzero.finance.api import router as finance_router
from cityzero.inventories.api import router as inventories_router
from cityzero.knowledge.api import router as knowledge_router
from cityzero.monitoring.api import router as monitoring_router
from cityzero.programmes.api import router as programmes_router
from cityzero.reviews.api import router as reviews_router

api = NinjaAPI(
    title="CityZero API",
    version="1",
    description=(
        "Public data of the CityZero mission platform: cities, dossiers, inventories, "
        "contracts, Mission Labels, the Knowledge Repository, the Finance Guidance Tool, "
        "calls, cohorts and pilot activities."
    ),
    urls_namespace="api",
    throttle=[AnonRateThrottle("120/m"), AuthRateThrottle("600/m")],
)
api.add_router("/", cities_router)
api.add_router("/", inventories_router)
# Before contracts: its /cities/{slug}/contract/{number} would otherwise take "submission".
api.add_router("/", reviews_router)
api.add_router("/", contracts_router)
api.add_router("/", monitoring_router)
api.add_router("/", knowledge_router)
api.add_router("/", finance_router)
api.add_router("/", community_router)
api.add_router("/", programmes_router)
