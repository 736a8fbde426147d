"""S2: criteria that contradict each other, explained in sentences a person can act on.

A search whose criteria contradict each other cannot return anything; the page shows these
sentences above the empty results instead of a silent empty table.
"""

from __future__ import annotations

from activities.models import TAActivity
from search.criteria import SearchCriteria, record_number

JURISDICTION_OUTSIDE_REGION = "{jurisdiction} is in {actual}, not {chosen} — run two searches."
STRATEGIC_AREA_OUTSIDE_CATEGORY = (
    "“{area}” is a strategic area of goal category {actual}, not of goal category {chosen} — "
    "choose goal category {actual} to search it, or run two searches."
)
RANGE_REVERSED = (
    "The {label} range ends on {end:%m/%d/%Y}, before it starts on {start:%m/%d/%Y} — "
    "swap the two dates."
)
RECORD_NOT_FOUND = "There is no TA record {number} — check the number or remove it."

RANGE_NAMES = {
    "date_opened": "date opened",
    "date_closed": "date closed",
    "response_note_entered": "TA response note (date entered)",
    "summary_entered": "summary of TA delivered (date entered)",
    "response_note_date": "TA response note (date of the note)",
    "summary_date": "summary of TA delivered (delivery date)",
    "cor_approval_date": "COR approval date",
}


def find_contradictions(criteria: SearchCriteria) -> list[str]:
    """Sentences explaining why these criteria can match nothing (empty when none)."""
    problems: list[str] = []
    if criteria.record is not None and not TAActivity.objects.filter(pk=criteria.record).exists():
        problems.append(RECORD_NOT_FOUND.format(number=record_number(criteria.record)))
    jurisdiction, region = criteria.jurisdiction, criteria.region
    if jurisdiction and region and jurisdiction.region_id != region.pk:
        problems.append(
            JURISDICTION_OUTSIDE_REGION.format(
                jurisdiction=jurisdiction.name,
                actual=jurisdiction.region.short_name,
                chosen=region.short_name,
            )
        )
    area, category = criteria.strategic_area, criteria.category
    if area and category and area.category_id != category.pk:
        problems.append(
            STRATEGIC_AREA_OUTSIDE_CATEGORY.format(
                area=area.name, actual=area.category.number, chosen=category.number
            )
        )
    for name, label in RANGE_NAMES.items():
        value = getattr(criteria, name)
        if value.is_reversed:
            problems.append(RANGE_REVERSED.format(label=label, start=value.start, end=value.end))
    return problems
