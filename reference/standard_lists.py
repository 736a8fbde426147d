"""Help and Resources (HL2): the standard lists with their definitions, as a page, CSV and PDF.

One read (`help_catalogue`) feeds all three, in a fixed number of queries whatever the
length of the lists; only active items are shown, and the "Other" TA focus once.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from xml.sax.saxutils import escape  # nosec B406 # escape() only; no XML is parsed

from django.db.models import Prefetch
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from reference import help as field_help_keys
from reference.models import FieldHelp, FocusArea, GoalCategory, StrategicAreaItem

HELP_TITLE = "OCC TAT standard goal categories, strategic areas and TA focus areas"
AGENCY = "Office of Child Care"
CSV_HEADER = ["List", "Category number", "Category", "Item", "Definition"]
LIST_CATEGORY = "Goal category"
LIST_STRATEGIC_AREA = "Strategic area"
LIST_FOCUS_AREA = "TA focus area"
ALL_CATEGORIES = "All categories"

# The help page shows the field definitions (HL1) by form, in the guide's order; keys
# that no form group names (added by administrators) follow, grouped by their prefix.
FIELD_GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("goal", "Goal", field_help_keys.GOAL_KEYS),
    ("activity", "TA activity", field_help_keys.ACTIVITY_KEYS),
    ("tracking", "Tracking: summaries, feedback and completion", field_help_keys.TRACKING_KEYS),
    ("response-notes", "TA response notes", field_help_keys.RESPONSE_NOTE_KEYS),
    ("search", "Search", field_help_keys.SEARCH_KEYS),
)


@dataclass(frozen=True)
class HelpItem:
    name: str
    definition: str


@dataclass(frozen=True)
class HelpCategory:
    number: int
    name: str
    definition: str
    strategic_areas: list[HelpItem] = field(default_factory=list)
    focus_areas: list[HelpItem] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"category-{self.number}"

    @property
    def heading(self) -> str:
        return f"{self.number}. {self.name}"


@dataclass(frozen=True)
class FieldHelpEntry:
    key: str
    label: str
    definition: str
    best_practice: str


@dataclass(frozen=True)
class FieldHelpGroup:
    key: str
    title: str
    entries: list[FieldHelpEntry]

    @property
    def anchor(self) -> str:
        return f"fields-{self.key.replace('_', '-')}"


@dataclass(frozen=True)
class HelpCatalogue:
    categories: list[HelpCategory]
    other_focus_areas: list[HelpItem]
    field_groups: list[FieldHelpGroup]


def _field_groups(entries: Iterable[FieldHelpEntry]) -> list[FieldHelpGroup]:
    by_key = {entry.key: entry for entry in entries}
    groups: list[FieldHelpGroup] = []
    placed: set[str] = set()
    for group_key, title, keys in FIELD_GROUPS:
        found = [by_key[key] for key in keys if key in by_key]
        placed.update(keys)
        if found:
            groups.append(FieldHelpGroup(group_key, title, found))
    rest: dict[str, list[FieldHelpEntry]] = {}
    for key, entry in by_key.items():
        if key not in placed:
            rest.setdefault(key.split(".", 1)[0], []).append(entry)
    for prefix in sorted(rest):
        title = prefix.replace("_", " ").capitalize()
        groups.append(FieldHelpGroup(f"other-{prefix}", title, rest[prefix]))
    return groups


def help_catalogue(*, include_fields: bool = True) -> HelpCatalogue:
    """Active goal categories with their active strategic areas and TA focus areas (HL2),
    the "Other" focus once, and the field definitions (HL1) grouped by form.

    Five queries at most, however long the lists are.
    """
    categories = GoalCategory.objects.active().prefetch_related(
        Prefetch(
            "strategic_area_items",
            queryset=StrategicAreaItem.objects.active().order_by("sort_order", "name"),
            to_attr="active_strategic_areas",
        ),
        Prefetch(
            "focus_areas",
            queryset=FocusArea.objects.active()
            .filter(is_other=False)
            .order_by("sort_order", "name"),
            to_attr="active_focus_areas",
        ),
    )
    help_categories = [
        HelpCategory(
            number=category.number,
            name=category.name,
            definition=category.definition,
            strategic_areas=[
                HelpItem(item.name, item.definition) for item in category.active_strategic_areas
            ],
            focus_areas=[
                HelpItem(item.name, item.definition) for item in category.active_focus_areas
            ],
        )
        for category in categories
    ]
    other_focus: list[HelpItem] = []
    seen: set[str] = set()
    for item in FocusArea.objects.active().filter(is_other=True).order_by("sort_order", "id"):
        if item.name not in seen:
            seen.add(item.name)
            other_focus.append(HelpItem(item.name, item.definition))
    field_groups: list[FieldHelpGroup] = []
    if include_fields:
        rows = FieldHelp.objects.order_by("id").values_list(
            "key", "label", "definition", "best_practice"
        )
        field_groups = _field_groups(FieldHelpEntry(*row) for row in rows)
    return HelpCatalogue(help_categories, other_focus, field_groups)


def _csv_safe(value: object) -> str:
    """Neutralise spreadsheet formulas: a cell must not start with = + - @ or a control."""
    text = "" if value is None else str(value)
    if text and text[0] in "=+-@\t\r":
        return "'" + text
    return text


def help_csv_rows(catalogue: HelpCatalogue) -> Iterator[list[str]]:
    yield CSV_HEADER
    for category in catalogue.categories:
        number = str(category.number)
        yield [LIST_CATEGORY, number, category.name, category.name, category.definition]
        for item in category.strategic_areas:
            yield [LIST_STRATEGIC_AREA, number, category.name, item.name, item.definition]
        for item in category.focus_areas:
            yield [LIST_FOCUS_AREA, number, category.name, item.name, item.definition]
    for item in catalogue.other_focus_areas:
        yield [LIST_FOCUS_AREA, "", ALL_CATEGORIES, item.name, item.definition]


def help_csv(catalogue: HelpCatalogue) -> str:
    """The lists as CSV text (the view encodes it as UTF-8 with a BOM for spreadsheets)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in help_csv_rows(catalogue):
        writer.writerow([_csv_safe(value) for value in row])
    return out.getvalue()


def _para(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text or "").replace("\n", "<br/>"), style)


def help_pdf(catalogue: HelpCatalogue, *, generated_on: dt.date) -> bytes:
    """The lists as a PDF: a title, each category as a heading with its strategic areas
    and TA focus areas as tables of wrapping text, and page numbers."""
    buffer = io.BytesIO()
    margin = 0.75 * inch
    doc = SimpleDocTemplate(
        buffer,
        pagesize=LETTER,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin,
        title=HELP_TITLE,
        author=AGENCY,
        subject="Technical Assistance Tracker Help and Resources",
        lang="en-US",
    )
    styles = getSampleStyleSheet()
    title_style = ParagraphStyle("TatTitle", parent=styles["Title"], fontSize=16, leading=20)
    heading = ParagraphStyle(
        "TatHeading", parent=styles["Heading2"], keepWithNext=1, spaceBefore=14
    )
    subheading = ParagraphStyle("TatSub", parent=styles["Heading4"], keepWithNext=1)
    body = ParagraphStyle("TatBody", parent=styles["BodyText"], fontSize=10, leading=13)
    cell = ParagraphStyle("TatCell", parent=body, fontSize=9, leading=11.5, alignment=TA_LEFT)
    head_cell = ParagraphStyle(
        "TatHeadCell", parent=cell, fontName="Helvetica-Bold", textColor=colors.white
    )
    width = LETTER[0] - 2 * margin
    table_style = TableStyle(
        [
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#1a4480")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#a9aeb1")),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f0f0f0")]),
            ("TOPPADDING", (0, 0), (-1, -1), 4),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ]
    )

    def items_table(first_column: str, items: list[HelpItem]) -> Table | Paragraph:
        if not items:
            return _para("None listed.", body)
        rows = [[_para(first_column, head_cell), _para("Definition", head_cell)]]
        rows += [[_para(item.name, cell), _para(item.definition, cell)] for item in items]
        table = Table(rows, colWidths=[width * 0.34, width * 0.66], repeatRows=1)
        table.setStyle(table_style)
        return table

    generated = f"{generated_on:%B} {generated_on.day}, {generated_on.year}"
    story: list = [
        _para(HELP_TITLE, title_style),
        _para(f"{AGENCY} Technical Assistance Tracker. Generated {generated}.", body),
        Spacer(1, 8),
    ]
    for category in catalogue.categories:
        story.append(_para(category.heading, heading))
        if category.definition:
            story.append(_para(category.definition, body))
        story.append(_para(f"Strategic areas: {category.name}", subheading))
        story.append(items_table("Strategic area", category.strategic_areas))
        story.append(_para(f"TA focus areas: {category.name}", subheading))
        story.append(items_table("TA focus area", category.focus_areas))
    if catalogue.other_focus_areas:
        story.append(_para("TA focus offered under every category", heading))
        story.append(items_table("TA focus area", catalogue.other_focus_areas))

    def page_furniture(canvas, document) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.setFillColor(colors.HexColor("#565c65"))
        canvas.drawString(margin, 0.45 * inch, "Technical Assistance Tracker: Help and Resources")
        canvas.drawRightString(LETTER[0] - margin, 0.45 * inch, f"Page {document.page}")
        canvas.restoreState()

    doc.build(story, onFirstPage=page_furniture, onLaterPages=page_furniture)
    return buffer.getvalue()
