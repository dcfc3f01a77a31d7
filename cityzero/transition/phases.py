"""The Climate Transition Map: six phases (DOMAIN §4), each with the steps a city takes in it.

The phases are the mission's; their steps are not public, so these are our design, written for
this project. Each step says what it is for (goal), how to go about it (guidance, Markdown), what
it should leave behind (outputs), which platform pages serve it (tools) and which knowledge tags
find resources about it. The map is a cycle: after phase 6 a city starts the next round.

Tools name URL patterns. A tool that works on a city's data takes the city from the page (its
slug, and for contract modules its newest iteration); without a city it points to a public page.
"""

from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# --- Tools ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ToolCity:
    """The city a page is about, as tools need it."""

    slug: str
    name: str
    iteration_number: int | None = None  # its newest contract iteration, if any


@dataclass(frozen=True)
class ToolLink:
    label: Any
    url: str
    note: Any = ""  # said next to the link when it cannot open the tool itself


@dataclass(frozen=True)
class Tool:
    label: Any
    url_name: str
    kwargs: tuple[tuple[str, str], ...] = ()  # fixed arguments, e.g. (("kind", "vision"),)
    city: bool = False  # takes the city's slug
    iteration: bool = False  # and the number of its newest contract iteration
    query: str = ""  # takes the city's slug as this query parameter instead
    public: str = "cities:list"  # where a visitor without a city goes

    def link(self, city: ToolCity | None = None) -> ToolLink:
        if self.query:
            url = reverse(self.url_name)
            return ToolLink(
                self.label, f"{url}?{urlencode({self.query: city.slug})}" if city else url
            )
        if not self.city:
            return ToolLink(self.label, reverse(self.url_name, kwargs=dict(self.kwargs)))
        if city is None:
            return ToolLink(self.label, reverse(self.public), NO_CITY)
        kwargs = {"slug": city.slug, **dict(self.kwargs)}
        if self.iteration:
            if city.iteration_number is None:
                return ToolLink(
                    self.label, reverse("contracts:home", args=[city.slug]), NO_CONTRACT
                )
            kwargs["number"] = str(city.iteration_number)
        return ToolLink(self.label, reverse(self.url_name, kwargs=kwargs))


NO_CITY = _("for a city: open it from the city’s own transition map")
NO_CONTRACT = _("start the city’s Climate City Contract first")


def section(kind: str, label: Any) -> Tool:
    return Tool(label, "cities:section_edit", (("kind", kind),), city=True)


def module(code: str, label: Any) -> Tool:
    return Tool(label, "contracts:module", (("code", code),), city=True, iteration=True)


DOSSIER = Tool(_("The city’s dossier"), "cities:detail", city=True)
INVENTORIES = Tool(_("GHG inventories"), "inventories:list", city=True)
COMPARE_INVENTORIES = Tool(_("Compare inventories over the years"), "inventories:compare",
                           query="cities")  # fmt: skip
CONTRACT = Tool(_("Climate City Contract"), "contracts:home", city=True)
CONTRACT_OVERVIEW = Tool(_("Contract overview and mission checks"), "contracts:overview",
                         city=True, iteration=True)  # fmt: skip
REVIEW = Tool(_("Submission and review"), "reviews:submission", city=True, iteration=True)
TEAM = Tool(_("City team"), "accounts:team", city=True)
KNOWLEDGE = Tool(_("Knowledge repository"), "knowledge:search")
CONTRIBUTE = Tool(_("Contribute a resource"), "knowledge:contribute")
CITIES = Tool(_("Mission cities"), "cities:list")
LABELS = Tool(_("Mission Label registry"), "cities:labels")


# --- Steps and phases -------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    code: str  # unique on the map; the address and the key of a city's progress
    title: Any
    goal: Any
    guidance: Any  # Markdown
    outputs: tuple[Any, ...]
    tools: tuple[Tool, ...]
    tags: tuple[str, ...]  # knowledge tag codes, besides the phase's own
    phase: str = ""  # set by the phase
    number: str = ""  # "2.3", set by the phase

    @property
    def heading(self) -> str:
        return f"{self.number} {self.title}"


@dataclass(frozen=True)
class Phase:
    number: int
    code: str
    title: Any
    goal: Any
    tag: str  # the knowledge tag of the phase
    steps: tuple[Step, ...] = field(default=())

    @property
    def heading(self) -> str:
        return f"{self.number} {self.title}"


def phase(number: int, code: str, title: Any, goal: Any, *steps: Step) -> Phase:
    numbered = tuple(
        replace(step, phase=code, number=f"{number}.{index}", tags=(f"phase-{code}", *step.tags))
        for index, step in enumerate(steps, start=1)
    )
    return Phase(number, code, title, goal, f"phase-{code}", numbered)


PHASES: tuple[Phase, ...] = (
    phase(
        1,
        "mandate",
        _("Build a strong mandate"),
        _("Political commitment, a team with the means to act, and a shared idea of where the "
          "city wants to be in 2030."),
        Step(
            "political-commitment",
            _("Secure political commitment"),
            _("The council commits the city to climate neutrality by 2030 and names who answers "
              "for it."),
            _("A mission that lives only in the environment department stalls at the first "
              "budget round. Aim for a **council decision** that states the 2030 goal, the "
              "geographic and sectoral scope, and who leads: usually the mayor or a deputy "
              "mayor, with a named senior official.\n\n"
              "Prepare the decision with the party groups, not only the governing coalition: "
              "the mission outlasts an election. Brief them on what neutrality means in "
              "practice (the emissions scope, the residual emissions, the investment it needs), "
              "so that the vote is not a surprise later.\n\n"
              "Record the decision's reference and date: the Climate City Contract cites them "
              "in its goal module, and reviewers will ask for them."),
            (_("Council decision on climate neutrality by 2030, with its reference and date"),
             _("A named political lead and a senior official accountable for the mission"),
             _("A public statement of the commitment")),
            (module("goal", _("Contract: introduction and goal")), DOSSIER),
            ("governance", "ccc-commitments"),
        ),
        Step(
            "mission-team",
            _("Set up a mission team"),
            _("A cross-departmental team with the time, budget and reporting line to steer the "
              "transition."),
            _("Neutrality touches energy, buildings, mobility, waste, planning and finance, so "
              "the team must cut across departments. Give it a **charter**: its remit, who sits "
              "in it, how much of each member's time it may claim, and to whom it reports.\n\n"
              "A small core (three to six people) with a wider circle of contacts in each "
              "department works better than a large committee. Include someone from the "
              "finance department from the start.\n\n"
              "Invite the team to the platform so that the dossier, the inventory and the "
              "contract are kept by the people who do the work, each with the right role."),
            (_("Mission team charter: remit, members, time and reporting line"),
             _("Core team members invited to the platform with their roles")),
            (TEAM, section("skills", _("Dossier: skills"))),
            ("governance", "learning"),
        ),
        Step(
            "shared-vision",
            _("Write a shared vision for 2030"),
            _("A picture of the climate-neutral city that residents, businesses and the council "
              "recognise as theirs."),
            _("A vision is not a target: it describes what daily life looks like in a "
              "climate-neutral city — how people heat their homes, get to work, what streets "
              "look like. Write it so that a resident can picture it.\n\n"
              "Draft it with the people who will have to live it: hold workshops with "
              "neighbourhood groups, businesses and young people, and show how their words "
              "changed the text.\n\n"
              "Keep the 2030 ambition next to it — the share of emissions to cut and what the "
              "city will do about the rest — so that vision and figures tell the same story."),
            (_("Vision and 2030 ambition published in the dossier"),
             _("A record of who took part in writing it")),
            (section("vision", _("Dossier: vision and 2030 ambition")),),
            ("co-creation", "democracy"),
        ),
        Step(
            "multi-level-support",
            _("Win support from regional and national government"),
            _("The regional and national governments back the city's mission and say how they "
              "will help."),
            _("Many of the levers a city needs — energy regulation, tax, building codes, "
              "public transport funding — sit with the region or the state. Start the "
              "conversation early, with concrete asks rather than a general request for "
              "support.\n\n"
              "Map which authority holds each lever, then seek **support statements** that name "
              "what each will do: a regulatory change, co-funding, data sharing, or a seat on a "
              "joint steering group.\n\n"
              "Use national mission platforms and city networks to make joint asks: several "
              "cities asking for the same change are harder to ignore."),
            (_("Support statements from regional and national government"),
             _("A list of the levers the city does not hold and who does")),
            (module("support", _("Contract: support statements")),),
            ("multi-level", "governance", "ccc-commitments"),
        ),
        Step(
            "capacity-needs",
            _("Assess capacities and support needs"),
            _("The team knows which skills it has, which it lacks, and what help to ask for."),
            _("Go through the journey ahead — inventory, pathways, investment plan, procurement, "
              "engagement — and ask for each whether the city can do it itself, with help, or "
              "not yet.\n\n"
              "Be specific: *energy system modelling* or *green bond issuance* is a need an "
              "advisor can answer; *more capacity* is not. Rank the needs by how soon the "
              "journey needs them.\n\n"
              "Publish the priorities in the dossier: advisors, experts and peer cities use "
              "them to offer help."),
            (_("Capacity-building priorities in the dossier"),
             _("Skills the city has and those it lacks")),
            (section("capacity", _("Dossier: capacity-building priorities")),
             section("skills", _("Dossier: skills"))),
            ("learning",),
        ),
    ),
    phase(
        2,
        "system",
        _("Understand the system"),
        _("Where the emissions come from, which policies already act on them, who holds the "
          "levers and what stands in the way."),
        Step(
            "baseline-inventory",
            _("Build your baseline inventory"),
            _("A complete GHG inventory of a recent year, in the GPC format, as the baseline of "
              "the mission."),
            _("Choose a recent year with good data — usually two or three years back — and "
              "follow the GPC: stationary energy, transport and waste at least, scopes 1 and 2, "
              "and scope 3 where the mission asks for it.\n\n"
              "Collect activity data from utilities, transport operators and waste companies, "
              "and choose emission factors you can explain. Where a source does not exist, say "
              "so with a **notation key** rather than leaving a zero: missing is not zero.\n\n"
              "Keep the source documents with the inventory and finalise it once the team has "
              "checked it: the contract's baseline is read from a finalised inventory."),
            (_("A finalised baseline inventory with its sources"),
             _("Notes on data gaps and how to close them")),
            (INVENTORIES,),
            ("ghg-inventory", "data-monitoring"),
        ),
        Step(
            "policy-review",
            _("Review current policies and the gap"),
            _("The city knows what its current policies deliver by 2030 and how far that is from "
              "neutrality."),
            _("List the plans and policies already acting on emissions — local, regional, "
              "national and EU — and estimate what they will deliver by 2030. The difference "
              "to the target is the **emissions gap** the new portfolio must close.\n\n"
              "Be honest about policies that are announced but not funded: count them "
              "separately. Note where a policy works against the mission, such as parking "
              "minimums or subsidies for fossil heating.\n\n"
              "The result is the starting point for the contract's action plan and for the "
              "conversation with other levels of government."),
            (_("A list of current policies with their relevance and need for action"),
             _("The emissions gap to 2030")),
            (module("policies", _("Contract: current policies and the target")),
             CONTRACT_OVERVIEW),
            ("governance", "multi-level", "ccc-action-plan"),
        ),
        Step(
            "stakeholder-map",
            _("Map the system's actors"),
            _("Who influences each source of emissions, how much, and how interested they are in "
              "change."),
            _("Emissions come from systems — the heat system, the mobility system, the food "
              "system — run by many actors. For each system, list the organisations that "
              "shape it: utilities, housing associations, transport operators, large "
              "employers, civil society, researchers.\n\n"
              "Place each on a grid of **influence** and **interest**. High influence and low "
              "interest is where engagement matters most; high interest and low influence is "
              "where the city can lend its voice.\n\n"
              "Keep the map alive: it guides who to invite to co-design the portfolio in the "
              "next phase."),
            (_("Stakeholder map by system, with influence and interest"),),
            (section("stakeholders", _("Dossier: stakeholders")),
             module("barriers", _("Contract: barriers and stakeholder mapping"))),
            ("co-creation", "multi-level"),
        ),
        Step(
            "barriers",
            _("Identify barriers and opportunities"),
            _("The systemic barriers that block change, and the openings to use, are named and "
              "shared."),
            _("Ask, for each field of action, what has stopped change so far. Sort the answers "
              "by kind: regulatory, financial, technical, social, institutional. Barriers that "
              "recur across fields are **systemic** and deserve actions of their own.\n\n"
              "Look for opportunities too: a renovation wave in social housing, a heat network "
              "up for renewal, a new tram line, an EU funding call.\n\n"
              "Check that the barriers fall fairly: who would bear the cost of change, and who "
              "would be left out? A just transition starts with seeing it."),
            (_("Barriers and opportunities by field of action"),
             _("A first view of who could lose out, and how to prevent it")),
            (section("barriers", _("Dossier: barriers")),
             module("barriers", _("Contract: barriers and stakeholder mapping"))),
            ("just-transition", "governance"),
        ),
        Step(
            "investment-landscape",
            _("Take stock of spending and finance"),
            _("The city knows what it spends on climate today, what it can borrow and what "
              "stands in the way of investment."),
            _("Start from the budget: how much of today's capital and operating spending goes "
              "to climate, by field of action? Then the capacity: current debt, the legal debt "
              "limit, extraordinary income such as land sales.\n\n"
              "Add a first estimate of the investment the mission needs, even a rough one. "
              "Comparing the two shows the scale of the capital gap long before the portfolio "
              "is costed.\n\n"
              "Write down the barriers to investment — fiscal rules, small project sizes, "
              "split incentives — so that the investment plan can answer them."),
            (_("Existing climate spending by field of action"),
             _("Debt capacity and capital sources"),
             _("A first estimate of the investment need")),
            (module("ip_a1", _("Contract: existing climate funding")),
             module("ip_a2", _("Contract: income, capital sources and debt")),
             section("investment", _("Dossier: investment needs"))),
            ("finance", "green-finance", "ccc-investment-plan"),
        ),
    ),
    phase(
        3,
        "portfolio",
        _("Co-design a portfolio"),
        _("With the people who will carry them out, the city designs the pathways and the "
          "actions that close the gap, and how to pay for them."),
        Step(
            "engage-citizens",
            _("Open the design to citizens and stakeholders"),
            _("Citizens and stakeholders shape the portfolio, not just comment on it."),
            _("Choose formats that match the question. A **citizens' assembly** suits hard "
              "trade-offs (road space, heat options); a **city lab** suits testing solutions "
              "with the people who will use them; open calls bring in ideas from businesses and "
              "neighbourhoods.\n\n"
              "Say before you start what the city will do with the results, and report back "
              "afterwards on what was taken up and why the rest was not.\n\n"
              "Reach beyond the usual voices: paid participation, childcare, sessions in "
              "neighbourhoods and languages where people are."),
            (_("An engagement plan with its formats and who takes part"),
             _("A report on what the engagement changed")),
            (module("social", _("Contract: social innovation")), KNOWLEDGE),
            ("citizen-assemblies", "co-creation", "democracy", "social_innovation"),
        ),
        Step(
            "impact-pathways",
            _("Draw impact pathways"),
            _("For each field of action, a chain from actions to outcomes to emissions cut by "
              "2030."),
            _("An impact pathway explains how change happens: which actions lead to which "
              "early outcomes (more heat pumps installed, more trips by bike), which lead to "
              "lower emissions. Draw one per field of action, or per system.\n\n"
              "Name the **systemic levers** each pathway relies on — technology, governance, "
              "social innovation, participation, learning, finance. A pathway that relies on "
              "technology alone usually misses the reasons it has not happened yet.\n\n"
              "The outcomes along the way become the indicators you will monitor in phase 5."),
            (_("Impact pathways per field of action, with their levers"),),
            (module("pathways", _("Contract: impact pathways")),),
            ("ccc-action-plan", "data-monitoring"),
        ),
        Step(
            "action-portfolio",
            _("Assemble a portfolio of actions"),
            _("A balanced set of actions across the five fields of action that closes the "
              "emissions gap."),
            _("Collect actions from the pathways, the engagement and peer cities. For each: "
              "what it does, who leads it, when, what it costs and how many tonnes it cuts by "
              "2030.\n\n"
              "Treat them as a **portfolio**, not a list: mix quick wins with long projects, "
              "technical with social actions, and check that together they close the gap. The "
              "contract overview adds up the reductions and shows what remains.\n\n"
              "Cover all five fields — energy, buildings, mobility, waste, green "
              "infrastructure — or explain why one does not apply."),
            (_("Action portfolio with costs, reductions, leads and timing"),
             _("Reductions that close the gap, checked against the baseline")),
            (module("actions", _("Contract: action portfolio")), CONTRACT_OVERVIEW),
            ("energy", "buildings", "mobility", "waste", "green", "ccc-action-plan"),
        ),
        Step(
            "residual-emissions",
            _("Plan for residual emissions"),
            _("The city knows which emissions will remain in 2030 and how they will be "
              "compensated."),
            _("Some emissions cannot be cut by 2030. The mission allows at most a fifth of the "
              "baseline to remain; what remains must be offset, preferably within the city "
              "(trees, soils, wetlands, carbon capture) and otherwise through credible "
              "schemes.\n\n"
              "Estimate the removals each measure can deliver and how sure the estimate is. "
              "Nature-based removals bring shade, flood protection and biodiversity too; count "
              "them, but do not overstate the tonnes.\n\n"
              "Write the strategy so that it shrinks over time: residuals are a last resort, "
              "not a budget."),
            (_("A strategy for residual emissions, with estimated removals"),),
            (module("residual", _("Contract: strategy for residual emissions")),),
            ("nature-based", "green", "ccc-action-plan"),
        ),
        Step(
            "investment-plan",
            _("Cost the portfolio and plan its financing"),
            _("Every action has a cost and a source of funds; the capital gap is known and has "
              "a plan."),
            _("Cost each action over its life: capital, operating, and what it saves. The "
              "platform turns the actions' costs and reductions into cost scenarios and a "
              "cost-per-tonne view.\n\n"
              "Match each action to a source: the municipal budget, EU grants, loans, green "
              "bonds, energy performance contracts, private or citizen capital. What no "
              "source covers is the **capital gap** — name it and say how you will close it.\n\n"
              "Talk to financiers early: banks and funds prefer pipelines of projects to "
              "single ones."),
            (_("Costed actions with their funding sources"),
             _("The capital gap and a plan to close it")),
            (module("ip_b1", _("Contract: cost scenarios")),
             module("ip_b2", _("Contract: capital planning"))),
            ("finance", "green-finance", "ccc-investment-plan"),
        ),
        Step(
            "contract-submission",
            _("Agree and submit the Climate City Contract"),
            _("The city and its partners sign the contract and submit it for review."),
            _("The contract brings the commitments, the action plan and the investment plan "
              "together. Before submitting, run the platform's mission checks and fix what "
              "they flag.\n\n"
              "Collect the **signatures** of the partners who commit to actions: utilities, "
              "businesses, universities, civil society. A signature should mean something — "
              "tie each to the actions that partner carries.\n\n"
              "After submission, experts review the contract module by module. Treat their "
              "comments as advice: a revised iteration is a normal step, not a failure."),
            (_("A complete contract iteration that passes the mission checks"),
             _("Signatories and their commitments"),
             _("The submitted contract")),
            (CONTRACT, module("signatories", _("Contract: signatories")), REVIEW),
            ("ccc-commitments", "ccc-action-plan", "ccc-investment-plan"),
        ),
    ),
    phase(
        4,
        "act",
        _("Act"),
        _("Finance, procure and deliver the portfolio; test new solutions and scale the ones "
          "that work."),
        Step(
            "secure-finance",
            _("Secure the finance"),
            _("The funds for the first years of the portfolio are committed."),
            _("Turn the investment plan into applications and deals. Bundle small projects into "
              "programmes large enough for lenders; use project development assistance (such "
              "as ELENA or the Advisory Hub) to prepare them.\n\n"
              "Combine sources: grants for what does not pay back, loans and bonds for what "
              "does, and citizen or private capital where people share the benefits.\n\n"
              "Adopt the **policies** that make capital flow: a revolving fund, green budget "
              "tagging, rules that let savings pay for investment."),
            (_("Funding secured for the first years' actions"),
             _("Policies for capital formation adopted")),
            (module("ip_c1", _("Contract: policies for capital formation")),
             module("ip_c3", _("Contract: capacity and financial stakeholders")), KNOWLEDGE),
            ("finance", "green-finance"),
        ),
        Step(
            "procure",
            _("Procure for climate neutrality"),
            _("The city's purchasing and tenders drive the low-carbon market."),
            _("Public procurement is one of the largest levers a city holds. Add climate "
              "criteria to tenders for construction, vehicles, energy, food and IT, and weigh "
              "life-cycle cost over purchase price.\n\n"
              "Use **market dialogue** before tendering to learn what suppliers can offer, and "
              "innovation procurement where the solution does not exist yet.\n\n"
              "Pool demand with other cities or public bodies to reach prices and volumes a "
              "single city cannot."),
            (_("Climate criteria in the city's procurement rules"),
             _("Tenders launched for the first actions")),
            (module("actions", _("Contract: action portfolio")), KNOWLEDGE),
            ("procurement", "circular-economy"),
        ),
        Step(
            "pilot",
            _("Run pilots and experiments"),
            _("New solutions are tried at small scale, with the people who will use them, and "
              "their results measured."),
            _("Where the right solution is uncertain, test it: a superblock in one "
              "neighbourhood, an energy community on one street, a digital twin of one "
              "district. Set out in advance what success looks like and how you will measure "
              "it.\n\n"
              "Design pilots to be **scaled or stopped**: decide before you start who will "
              "decide, when, and on what evidence.\n\n"
              "Share what did not work as openly as what did; other cities learn as much from "
              "it."),
            (_("Pilots with their success criteria and results"),),
            (module("actions", _("Contract: action portfolio")), KNOWLEDGE),
            ("social_innovation", "smart-city", "co-creation", "technology"),
        ),
        Step(
            "scale-up",
            _("Deliver and scale what works"),
            _("The portfolio's large actions are under way and successful pilots become "
              "programmes."),
            _("Scaling is a different job from piloting: it needs standard processes, "
              "contracts, financing and people. Give each large action a lead, a budget and a "
              "timeline, and track them together.\n\n"
              "District heating, building renovation and energy communities scale best as "
              "**programmes** with one front door for residents and businesses.\n\n"
              "Keep the action statuses in the contract up to date, so that everyone sees "
              "what is planned, under way and completed."),
            (_("Large actions under way with leads, budgets and timelines"),
             _("Successful pilots turned into programmes")),
            (module("actions", _("Contract: action portfolio")), CONTRACT_OVERVIEW),
            ("district-heating", "renovation", "energy-communities", "renewables",
             "public-transport"),
        ),
        Step(
            "communicate",
            _("Keep citizens and partners on board"),
            _("People see the change, understand it and take part in it."),
            _("Visible early results build trust: a new cycle lane, a renovated school, a solar "
              "roof on the town hall. Tell the story of each, with the people involved.\n\n"
              "Make the low-carbon choice easy to take up: one-stop shops for renovation, "
              "trial periods for public transport, support for the households who find the "
              "change hardest.\n\n"
              "Report progress regularly and plainly, including what is late."),
            (_("A communication plan and regular progress reports"),
             _("Support offers for residents and businesses")),
            (DOSSIER, KNOWLEDGE),
            ("behaviour-change", "just-transition", "democracy"),
        ),
    ),
    phase(
        5,
        "learn",
        _("Learn & reflect"),
        _("Measure what is happening, understand why, and change course where needed."),
        Step(
            "monitoring",
            _("Monitor the indicators"),
            _("The outcomes and emissions the pathways promised are measured on a schedule."),
            _("Take the indicators from the impact pathways: the early outcomes (heat pumps "
              "installed, modal share) as well as the emissions. For each, fix the unit, the "
              "baseline, the 2030 target, the data source and who reports it.\n\n"
              "Prefer indicators you can measure every year over perfect ones you can measure "
              "once. Automate what you can; agree data sharing with utilities and operators.\n\n"
              "Publish the results: open data builds trust and lets researchers help."),
            (_("Indicators with baselines, targets, sources and owners"),
             _("A yearly monitoring report")),
            (module("indicators", _("Contract: indicators")),),
            ("data-monitoring", "smart-city"),
        ),
        Step(
            "update-inventory",
            _("Update the inventory and follow the trend"),
            _("A new inventory every year or two shows whether emissions fall as planned."),
            _("Repeat the inventory with the same method, so that years compare. Where the "
              "method or the data improve, recalculate the baseline and say so.\n\n"
              "Compare the years by sector: the trend tells you which pathways deliver and "
              "which do not. Weather, economic cycles and population explain part of the "
              "change — separate them from the effect of the actions.\n\n"
              "Keep every year's source documents: the next team will need them."),
            (_("An updated inventory"), _("A comparison with the baseline by sector")),
            (INVENTORIES, COMPARE_INVENTORIES),
            ("ghg-inventory", "data-monitoring"),
        ),
        Step(
            "evaluate",
            _("Evaluate and learn from feedback"),
            _("The city understands why actions work or not, using its own evaluation and the "
              "reviewers' feedback."),
            _("Numbers show what changed; evaluation explains why. Look at a few actions in "
              "depth each year: what happened, for whom, at what cost, and what got in the "
              "way.\n\n"
              "Read the reviewers' comments on the contract alongside: they see many cities "
              "and spot patterns.\n\n"
              "Hold a **reflection session** with the mission team and partners once a year, "
              "and write down what you will do differently."),
            (_("Evaluations of selected actions"),
             _("Notes from a yearly reflection session")),
            (REVIEW, CONTRACT_OVERVIEW),
            ("learning", "data-monitoring"),
        ),
        Step(
            "peer-learning",
            _("Learn with peer cities"),
            _("The city learns from cities that are ahead, and helps those behind."),
            _("Other cities have solved the problem in front of you, or failed at it "
              "instructively. Search the knowledge repository for case studies and guides, and "
              "contact the cities behind them.\n\n"
              "Join thematic groups and twinning programmes; a study visit often teaches more "
              "than a report.\n\n"
              "Bring back specific lessons and name who in your team will apply them."),
            (_("Lessons from peer cities, and who applies them"),),
            (KNOWLEDGE, CITIES, LABELS),
            ("learning", "multi-level"),
        ),
        Step(
            "adjust",
            _("Adjust the portfolio"),
            _("The portfolio changes where evidence says it should, in a new contract "
              "iteration."),
            _("Use monitoring and evaluation to decide: which actions to scale, fix or stop, "
              "and what to add where the gap is not closing.\n\n"
              "Write the changes into the next **contract iteration**, with the outlook and "
              "next steps explaining why. Partners who signed the contract should see their "
              "commitments reflected.\n\n"
              "Then go round the map again: the mandate may need renewing, the system has "
              "changed, and so will the portfolio."),
            (_("A revised portfolio"), _("A new contract iteration with its outlook")),
            (CONTRACT, module("outlook", _("Contract: outlook and next steps"))),
            ("learning", "ccc-action-plan"),
        ),
    ),
    phase(
        6,
        "normal",
        _("Make it the new normal"),
        _("What works becomes the way the city plans, budgets, builds and lives."),
        Step(
            "embed-budgets",
            _("Embed climate in budgets"),
            _("Every budget decision is checked against the mission."),
            _("Tag the budget by climate impact, so that the council sees what each line does "
              "to emissions. Set a **climate budget** — tonnes per year alongside euros — and "
              "report on it with the accounts.\n\n"
              "Make life-cycle costing and carbon pricing standard in investment decisions, "
              "so that low-carbon options are not penalised by short-term cost.\n\n"
              "Move successful funding schemes from project grants into the regular budget."),
            (_("Climate budget tagging in the annual budget"),
             _("Carbon cost in investment appraisal")),
            (module("ip_c1", _("Contract: policies for capital formation")),),
            ("finance", "green-finance", "governance"),
        ),
        Step(
            "embed-rules",
            _("Write it into plans and rules"),
            _("Land-use plans, building rules and permits make the low-carbon option the "
              "required one."),
            _("Review the city's plans and regulations against the mission: zoning that "
              "favours compact, mixed neighbourhoods; parking rules; heat plans that fix where "
              "networks go; building standards beyond the national minimum where the law "
              "allows.\n\n"
              "Where the power lies with the region or the state, use the evidence from your "
              "pilots to ask for the change.\n\n"
              "Check new rules for their effect on households with low incomes."),
            (_("Plans and rules revised for climate neutrality"),
             _("Requests for regulatory change at other levels")),
            (module("policies", _("Contract: current policies and the target")),),
            ("governance", "multi-level", "buildings", "just-transition"),
        ),
        Step(
            "institutions",
            _("Make the mission part of the institution"),
            _("The mission team and its ways of working become permanent."),
            _("A mission team set up as a project ends with its funding. Give it a permanent "
              "place in the organisation, with a standing budget and a mandate that survives "
              "elections.\n\n"
              "Build the skills into job descriptions and training, so that every department "
              "can do its part without the core team.\n\n"
              "Keep the partnerships formal: a climate board, standing agreements with "
              "utilities and operators, a citizens' panel that meets every year."),
            (_("A permanent mission function with its budget"),
             _("Climate skills in job descriptions and training")),
            (TEAM, section("skills", _("Dossier: skills"))),
            ("governance", "learning", "citizen-assemblies"),
        ),
        Step(
            "everyday-practice",
            _("Make low-carbon living the easy default"),
            _("For residents and businesses, the climate-friendly choice is the easy, "
              "affordable, normal one."),
            _("Look at daily life: how people move, eat, heat, buy and throw away. Where the "
              "low-carbon option is harder or dearer, change the setting — the street design, "
              "the canteen menu, the waste collection, the tariff.\n\n"
              "Work with schools, employers, sports clubs and faith groups: norms change "
              "through the places people belong to.\n\n"
              "Measure the shift in behaviour, not only the campaigns run."),
            (_("Changes to everyday settings, and their measured effect"),),
            (KNOWLEDGE,),
            ("behaviour-change", "sustainable-food", "active-mobility", "circular-economy"),
        ),
        Step(
            "share",
            _("Share your story and help others"),
            _("The city's experience helps other cities move faster."),
            _("Write up what you did, what it cost and what you would do differently, and "
              "contribute it to the knowledge repository.\n\n"
              "Offer study visits, mentor a city that is starting, and take part in city "
              "panels and twinning.\n\n"
              "Sharing is also accountability: it shows residents and partners that the city "
              "does what it said."),
            (_("Case studies contributed to the knowledge repository"),
             _("Mentoring or twinning with another city")),
            (CONTRIBUTE, KNOWLEDGE),
            ("learning", "co-creation"),
        ),
    ),
)  # fmt: skip

BY_CODE: dict[str, Phase] = {p.code: p for p in PHASES}
STEPS: tuple[Step, ...] = tuple(step for p in PHASES for step in p.steps)
STEP_BY_CODE: dict[str, Step] = {step.code: step for step in STEPS}


def neighbours(step: Step) -> tuple[Step, Step]:
    """The steps before and after on the map; the cycle wraps from the last to the first."""
    index = STEPS.index(step)
    return STEPS[index - 1], STEPS[(index + 1) % len(STEPS)]
