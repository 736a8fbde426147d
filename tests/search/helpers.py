"""The searchable data set of the search tests and the helpers they share: `SearchWorld`
(several States, regions, centers, staff and three activities with their notes, built by
`build_search_world` for the folder's `world` fixture), the search URL, running a search
from criteria or form parameters, and reading the record numbers off a results page."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from accounts.models import User
from activities.models import (
    ActivityStatus,
    ActivityType,
    CompletionStatus,
    DeliverySummary,
    DescriptionNote,
    RequesterFeedback,
    ResponseNote,
    TAActivity,
)
from reference.models import (
    Center,
    CollaboratorType,
    FocusArea,
    GoalCategory,
    Jurisdiction,
    Region,
    StrategicAreaItem,
)
from search.criteria import SearchCriteria
from search.forms import SearchForm
from search.selectors import activities_for_search
from tests.factories import (
    CenterFactory,
    CollaboratorTypeFactory,
    FederalViewerFactory,
    FocusAreaFactory,
    GoalCategoryFactory,
    GoalFactory,
    JurisdictionFactory,
    RegionFactory,
    StrategicAreaFactory,
    StrategicAreaItemFactory,
    TAActivityFactory,
    UserFactory,
)

SEARCH_URL = "/search/"
D = dt.date


@dataclass
class SearchWorld:
    region_v: Region
    region_ix: Region
    illinois: Jurisdiction
    guam: Jurisdiction
    california: Jurisdiction
    quality: GoalCategory
    financial: GoalCategory
    tiered_qris: StrategicAreaItem
    pd_system: StrategicAreaItem
    eligibility: StrategicAreaItem
    qris_focus: FocusArea
    rates_focus: FocusArea
    scbc: Center
    ecqa: Center
    alice: User
    bob: User
    carol: User
    consultant: CollaboratorType
    peer_state: CollaboratorType
    reader: User
    qris: TAActivity  # goal-driven, Illinois, quality
    rates: TAActivity  # on-demand, Guam, financial
    related: TAActivity  # goal-driven, California, financial goal related to quality


def _note(model, activity: TAActivity, text: str, when: dt.date, **extra) -> object:
    return model.objects.create(
        activity=activity, text=text, note_date=when, author=activity.primary_staff, **extra
    )


def build_search_world() -> SearchWorld:
    region_v = RegionFactory(number=5)
    region_ix = RegionFactory(number=9)
    illinois = JurisdictionFactory(code="IL", name="Illinois", region=region_v)
    guam = JurisdictionFactory(code="GU", name="Guam", region=region_ix)
    california = JurisdictionFactory(code="CA", name="California", region=region_ix)
    quality = GoalCategoryFactory(number=7, name="Support continuous quality improvement")
    financial = GoalCategoryFactory(number=3, name="Provide stable financial assistance")
    tiered_qris = StrategicAreaItemFactory(category=quality, name="Tiered QRIS")
    pd_system = StrategicAreaItemFactory(category=quality, name="Workforce training")
    eligibility = StrategicAreaItemFactory(category=financial, name="Eligibility policy")
    qris_focus = FocusAreaFactory(category=quality, name="QRIS program standards")
    rates_focus = FocusAreaFactory(category=financial, name="Market rate survey")
    scbc = CenterFactory(code="SCBC", name="State Capacity Building Center")
    ecqa = CenterFactory(code="ECQA", name="Quality Assurance Center")
    alice = UserFactory(full_name="Alice Adams", center=scbc)
    bob = UserFactory(full_name="Bob Brown", center=ecqa)
    carol = UserFactory(full_name="Carol Chen", center=scbc)
    consultant = CollaboratorTypeFactory(name="Consultant")
    peer_state = CollaboratorTypeFactory(name="Peer State")

    qris_goal = GoalFactory(jurisdiction=illinois, category=quality)
    qris = TAActivityFactory(
        strategic_area=StrategicAreaFactory(goal=qris_goal, item=tiered_qris),
        focus=qris_focus,
        primary_center=scbc,
        primary_staff=alice,
        activity_type=ActivityType.TAILORED,
        status=ActivityStatus.APPROVED,
        completion_status=CompletionStatus.CLOSED,
        completion_date=D(2025, 3, 31),
        date_opened=D(2025, 1, 10),
    )
    qris.collaborating_centers.set([ecqa])
    qris.collaborating_staff.set([bob])
    qris.other_collaborators.set([consultant])
    _note(
        DescriptionNote, qris, "SCBC to review tiered reimbursement", D(2025, 1, 12), stage="final"
    )
    _note(DeliverySummary, qris, "State received an onsite visit on QRIS", D(2025, 2, 15))
    _note(
        RequesterFeedback,
        qris,
        "Exactly the information the licensing council wanted",
        D(2025, 3, 1),
        giver_name="Dana Director",
        giver_title="CCDF Administrator",
    )
    _note(ResponseNote, qris, "Planned a peer learning call", D(2025, 2, 1))

    rates = TAActivityFactory(
        strategic_area=None,
        goal=None,
        jurisdiction=guam,
        goal_category=financial,
        focus=rates_focus,
        other_focus_notes="Territory asked about cost modeling",
        primary_center=ecqa,
        primary_staff=bob,
        activity_type=ActivityType.UNIVERSAL,
        status=ActivityStatus.PLANNING,
        date_opened=D(2025, 6, 1),
    )
    rates.other_collaborators.set([peer_state])
    _note(
        DescriptionNote,
        rates,
        "Provide a market rate survey primer",
        D(2025, 6, 2),
        stage="initial",
    )
    _note(DeliverySummary, rates, "Territory joined a webinar on rates", D(2025, 7, 20))

    related_goal = GoalFactory(
        jurisdiction=california, category=financial, related_category=quality
    )
    related = TAActivityFactory(
        strategic_area=StrategicAreaFactory(goal=related_goal, item=eligibility),
        focus=FocusAreaFactory(category=financial, name="Continuity of care"),
        primary_center=scbc,
        primary_staff=carol,
        activity_type=ActivityType.TARGETED,
        status=ActivityStatus.ON_HOLD,
        completion_status=CompletionStatus.CANCELLED,
        date_opened=D(2025, 9, 5),
    )
    related.collaborating_staff.set([alice])
    _note(ResponseNote, related, "Coordinated with the regional office", D(2025, 9, 30))

    return SearchWorld(
        region_v=region_v,
        region_ix=region_ix,
        illinois=illinois,
        guam=guam,
        california=california,
        quality=quality,
        financial=financial,
        tiered_qris=tiered_qris,
        pd_system=pd_system,
        eligibility=eligibility,
        qris_focus=qris_focus,
        rates_focus=rates_focus,
        scbc=scbc,
        ecqa=ecqa,
        alice=alice,
        bob=bob,
        carol=carol,
        consultant=consultant,
        peer_state=peer_state,
        reader=FederalViewerFactory(full_name="Fay Federal"),
        qris=qris,
        rates=rates,
        related=related,
    )


def found(criteria: SearchCriteria) -> set[int]:
    return set(activities_for_search(criteria).values_list("pk", flat=True))


def criteria_from(params: dict[str, str]) -> SearchCriteria:
    form = SearchForm(params)
    assert form.is_valid(), form.errors
    return form.criteria()


def page_records(response) -> list[str]:
    """Record numbers in the results table, in order."""
    return re.findall(
        r'<th scope="row"><a class="usa-link" href="[^"]+">(TA-\d+)</a>', response.content.decode()
    )
