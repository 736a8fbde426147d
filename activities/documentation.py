"""R2: documentation checks that flag, never block.

The SCBC State Systems Specialist reviews every summary each month "to ensure that
documentation is complete and language used reflects best practice" (the guide). These
checks point at what that review would point at, while the note is written, after it is
saved and on the review page (R1). No service refuses a note because of them.

- `documentation_findings(kind=…, text=…, …)`: pure function over the text (and the
  summary's delivery methods and TA types, the feedback giver's name and title).
- `NameLoader` / `names_for_request`: the names to look for (staff directory and the
  requesters of the State or its Region) and the place names that are not people (centers,
  States and Territories), a fixed number of queries however many notes are checked.
- `findings_for_activity(activity, month_start=…, month_end=…)`: the findings of an
  activity's notes of one month, from prefetched notes (the R1 review page).

Decisions (tested in tests/activities/test_r2_documentation.py):
- A name is a first or last name of an active user (`full_name`'s first and last words)
  or of a requester, matched as a whole word, case-insensitively, at least 3 letters.
  Not matched: words inside e-mail addresses and web addresses; words inside the name of
  a center, a State or Territory; a word followed by a place word ("Will County",
  "Jackson City") or preceded by one ("St. Louis", "Fort Worth"). A name that is also a
  common English word ("Will", "Grace", "Hope", "Young") counts only when it is
  capitalised in the middle of a sentence. The feedback giver's own name is expected in
  feedback (the guide asks for it), so it is not flagged there.
- Future plans: "will" (not "Will County", not a capitalised "Will" mid-sentence, which is
  a name), "won't", "plan(s) to" (not "the State's plan to …", not a capitalised "Plan" —
  "the State Plan" is a proper noun), "intend(s) to", "is/are going to", "scheduled to",
  "is/are scheduled", "is/are planned", "is/are/began … planning", "planning to",
  "planning call/meeting", "next week/month/…", "next steps", "upcoming", "forthcoming",
  "tomorrow", "later this week/month/…", "in the future", "to be held/scheduled/…".
  The bare past "planned" ("as planned", "the planned webinar was delivered") reports
  delivery against the plan and is not flagged; nor is "strategic planning" as a TA topic
  (the guide's own example: "a two-day onsite visit focused on strategic planning for the
  roll-out of its QRIS system, scheduled for May 20XX").
- Sentences end at ".", "!" or "?" followed by a space and a capital letter, digit or
  quote, or at the end of the text; not after an abbreviation ("Dr.", "Mr.", "e.g.",
  "i.e.", "U.S.", "etc.", "St.", "No.", month abbreviations), an initial ("J.") or inside
  a number ("3.5").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.http import HttpRequest

from accounts.models import User
from activities.models import Requester, TAActivity
from reference.models import Center, Jurisdiction

# --- What the guide says (quoted, tat-quick-guide) -------------------------------------------

GUIDE_NAMES = (
    "Identify individuals by title or role rather than name. Identify actions of National "
    "Center representatives with their respective centers; for example, “SCBC to provide "
    "xyz” rather than “Amy to provide xyz.”"
)
GUIDE_BRIEF = (
    "The summary of TA delivered should be a brief summary (one or two sentences) describing "
    "the TA received by the State or Territory."
)
GUIDE_FUTURE = "Do not include things planned for the future or planning done during the month."
GUIDE_METHODS = (
    "Select all delivery methods and types that apply to the TA delivered to the State or "
    "Territory during the month."
)
GUIDE_FEEDBACK_GIVER = "Identify individuals providing the feedback by full name and title or role."

# --- Finding codes and messages ---------------------------------------------------------------

NAMES_PERSON = "names-person"
SUMMARY_TOO_LONG = "summary-too-long"
SUMMARY_FUTURE = "summary-future"
SUMMARY_NO_METHODS = "summary-no-delivery-methods"
SUMMARY_NO_TYPES = "summary-no-ta-types"
FEEDBACK_NO_GIVER_NAME = "feedback-no-giver-name"
FEEDBACK_GIVER_NOT_FULL_NAME = "feedback-giver-not-full-name"
FEEDBACK_NO_GIVER_TITLE = "feedback-no-giver-title"

MSG_NAMES = "Names a person: {names}. Identify the center or the role instead."
MSG_TOO_LONG = "The summary has {count} sentences; keep it to one or two."
MSG_FUTURE = "Speaks of future plans or planning ({phrases}); a summary reports TA delivered only."
MSG_NO_METHODS = "No TA delivery method is selected."
MSG_NO_TYPES = "No TA type is selected."
MSG_NO_GIVER_NAME = "The name of the person giving the feedback is missing."
MSG_GIVER_NOT_FULL = "Give the full name (first and last) of the person giving the feedback."
MSG_NO_GIVER_TITLE = "The title or role of the person giving the feedback is missing."

KIND_PLAN = "plan"
KIND_SUMMARY = "summary"
KIND_FEEDBACK = "feedback"
KIND_RESPONSE = "response"
KINDS = frozenset({KIND_PLAN, KIND_SUMMARY, KIND_FEEDBACK, KIND_RESPONSE})
UNKNOWN_KIND = "There are no documentation checks for this kind of note: {kind!r}."

# The text of one note is checked up to this many characters (a note is at most 20,000 by
# default; the live check may receive anything).
MAX_CHECKED_CHARS = 50_000


@dataclass(frozen=True)
class Finding:
    """One thing the SSS's monthly review would point at (R2)."""

    code: str
    message: str
    best_practice: str  # the guide's sentence it comes from


@dataclass(frozen=True)
class NoteFindings:
    """The findings of one saved note (for the R1 review page)."""

    kind: str
    note: Any
    findings: tuple[Finding, ...]


# --- Names ------------------------------------------------------------------------------------

MIN_NAME_LENGTH = 3


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "phd", "md", "edd", "esq"})
_HONORIFICS = frozenset({"dr", "mr", "mrs", "ms", "mx", "prof", "miss"})
# Words of this domain that must never be read as a name (a requester named "State" or the
# test fixtures' "Requester 12" must not flag every summary).
NEVER_NAMES = _word_set(
    """
    state states territory territories region regional center centers centre national
    federal office program programs child children care early head start quality plan
    plans requester requesters staff team lead agency administrator ccdf scbc person
    people primary specialist consultant collaborator director manager coordinator
    """
)
# First or last names that are also common English words: they count only when capitalised
# in the middle of a sentence ("met with Will" but not "will provide").
COMMON_WORD_NAMES = _word_set(
    """
    will may june april august grace hope faith joy mark bill rose dawn summer winter
    autumn spring young white green brown black gray grey long price hall wood woods day
    lane ward page best love rich sharp strong king rice bell park rush stone cross church
    field fields banks law ray star sue pat art don dean earl frank gene guy jack jean rob
    chase drew hunter miles north south west east major moon reed rivers river ivy iris
    lily holly penny ruby amber crystal pearl sage ash baker cook cooper miller mason
    parker carter turner porter walker waters little good hill lake marsh snow frost
    justice liberty honor trust noble lord pope judge guest post power wise house gates
    key lamb bond hardy hart mills norman wall read reading short small swift cash fox
    wolf bush wells storm glen dale cliff heath forest sterling bishop chance christian
    sunny so son early max august bob rod sky clay golden free may summers well wells
    """
)
# A capitalised word followed by one of these is a place or an institution, not a person.
_PLACE_AFTER = (
    r"County|Counties|City|Parish|Township|Borough|Village|Town|Street|St\.|Avenue|Ave\.|Road|"
    r"Boulevard|University|College|School|Schools|Elementary|Academy|Library|Hospital|"
    r"Institute|Foundation|Center|Centre|Head\s+Start|Reservation|Nation|Tribe|"
    r"Pueblo|Island|Islands|Valley|Falls|Springs|Heights"
)
_PLACE_BEFORE = r"St\.|Saint|Ste\.|Fort|Ft\.|Mount|Mt\.|Lake|Port|San|Santa|Los|Las|City\s+of|County\s+of|University\s+of|College\s+of"  # noqa: E501
_NAME_WORD = r"[A-Z][^\W\d_]*(?:['’\-][^\W\d_]+)*"
_PLACE_PHRASE = re.compile(
    rf"\b{_NAME_WORD}(?:\s+{_NAME_WORD})?\s+(?:{_PLACE_AFTER})(?![^\W\d_])"
    rf"|\b(?:{_PLACE_BEFORE})\s+{_NAME_WORD}(?:\s+{_NAME_WORD})?"
)
_EMAIL = re.compile(r"[\w.+'’\-]+@[\w\-]+(?:\.[\w\-]+)+")
_URL = re.compile(r"(?:\bhttps?://|\bwww\.)\S+", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_POSSESSIVE = re.compile(r"['’]s?$")


def name_keys(full_name: str) -> set[str]:
    """The first and last names of a full name, lower case ("Dr. Amy Smith-Jones, PhD" →
    {"amy", "smith-jones"}); words shorter than 3 letters are left out."""
    words = [w.lower() for w in _WORD.findall(full_name or "")]
    words = [w for w in words if w.rstrip(".") not in _NAME_SUFFIXES]
    while words and words[0] in _HONORIFICS:
        words = words[1:]
    if not words:
        return set()
    keys = {words[0], words[-1]}
    return {key for key in keys if len(key) >= MIN_NAME_LENGTH and key not in NEVER_NAMES}


@dataclass
class NameDirectory:
    """The names of people to look for, and the place names (centers, States and
    Territories) whose words are not people."""

    staff: frozenset[str] = frozenset()
    requesters: frozenset[str] = frozenset()
    places: tuple[str, ...] = ()
    _place_pattern: re.Pattern[str] | None = field(default=None, init=False, repr=False)

    def place_pattern(self) -> re.Pattern[str] | None:
        if self._place_pattern is None and self.places:
            alternatives = sorted({re.escape(p) for p in self.places if p}, key=len, reverse=True)
            self._place_pattern = re.compile(
                r"(?<![^\W_])(?:" + "|".join(alternatives) + r")(?![^\W_])", re.IGNORECASE
            )
        return self._place_pattern


class NameLoader:
    """Loads what the name check needs with a fixed number of queries: active staff names
    (one `values_list`), center and State/Territory names (one), and the requesters of the
    States and Regions asked for (one per `preload`)."""

    def __init__(self) -> None:
        self._staff: frozenset[str] | None = None
        self._places: tuple[str, ...] | None = None
        # jurisdiction id → requester name keys (of the State and of its Region)
        self._requesters: dict[int | None, frozenset[str]] = {}
        self._directories: dict[int | None, NameDirectory] = {}

    def staff(self) -> frozenset[str]:
        if self._staff is None:
            keys: set[str] = set()
            for full_name in User.objects.filter(is_active=True).values_list(
                "full_name", flat=True
            ):
                keys |= name_keys(full_name)
            self._staff = frozenset(keys)
        return self._staff

    def places(self) -> tuple[str, ...]:
        if self._places is None:
            rows = (
                Center.objects.order_by()
                .values_list("name", flat=True)
                .union(Jurisdiction.objects.order_by().values_list("name", flat=True))
            )
            self._places = tuple(name for name in rows if name)
        return self._places

    def preload(self, jurisdictions: Iterable[Jurisdiction]) -> None:
        """Load the requesters of these States/Territories and their Regions in one query."""
        wanted = {j.pk: j.region_id for j in jurisdictions if j.pk not in self._requesters}
        if not wanted:
            return
        rows = Requester.objects.filter(
            Q(jurisdiction_id__in=wanted) | Q(region_id__in=set(wanted.values()))
        ).values_list("name", "jurisdiction_id", "region_id")
        by_jurisdiction: dict[int, set[str]] = {pk: set() for pk in wanted}
        by_region: dict[int, set[str]] = {}
        for name, jurisdiction_id, region_id in rows:
            keys = name_keys(name)
            if jurisdiction_id in by_jurisdiction:
                by_jurisdiction[jurisdiction_id] |= keys
            if region_id is not None:
                by_region.setdefault(region_id, set()).update(keys)
        for pk, region_id in wanted.items():
            self._requesters[pk] = frozenset(by_jurisdiction[pk] | by_region.get(region_id, set()))

    def for_jurisdiction(self, jurisdiction: Jurisdiction | None) -> NameDirectory:
        key = jurisdiction.pk if jurisdiction is not None else None
        directory = self._directories.get(key)
        if directory is None:
            requesters: frozenset[str] = frozenset()
            if jurisdiction is not None:
                self.preload([jurisdiction])
                requesters = self._requesters[jurisdiction.pk]
            directory = NameDirectory(
                staff=self.staff(), requesters=requesters, places=self.places()
            )
            self._directories[key] = directory
        return directory


_REQUEST_CACHE_ATTR = "_tat_documentation_names"


def names_for_request(request: HttpRequest) -> NameLoader:
    """One `NameLoader` per request (the names are read once, however many checks)."""
    loader = getattr(request, _REQUEST_CACHE_ATTR, None)
    if loader is None:
        loader = NameLoader()
        setattr(request, _REQUEST_CACHE_ATTR, loader)
    return loader


def jurisdiction_of_activity(activity_pk: int) -> Jurisdiction | None:
    """The State/Territory of an activity (one query), or None when there is no such one."""
    activity = (
        TAActivity.objects.filter(pk=activity_pk)
        .select_related("jurisdiction")
        .only("jurisdiction__id", "jurisdiction__region_id", "jurisdiction__name")
    ).first()
    return activity.jurisdiction if activity is not None else None


# --- Text helpers -----------------------------------------------------------------------------


def _clean(text: str) -> str:
    return (text or "")[:MAX_CHECKED_CHARS].replace("\x00", " ")


def _masked_spans(text: str, names: NameDirectory | None) -> list[tuple[int, int]]:
    spans = [m.span() for m in _EMAIL.finditer(text)]
    spans += [m.span() for m in _URL.finditer(text)]
    spans += [m.span() for m in _PLACE_PHRASE.finditer(text)]
    pattern = names.place_pattern() if names is not None else None
    if pattern is not None:
        spans += [m.span() for m in pattern.finditer(text)]
    return spans


def _inside(position: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(start <= position < end for start, end in spans)


def _sentence_initial(text: str, position: int) -> bool:
    """Whether the word at `position` starts a sentence (or the text, a line, a date prefix)."""
    before = text[:position].rstrip(" \t\"“‘'([")
    return not before or before[-1] in ".!?:;\n\r"


def _names_in(text: str, names: NameDirectory, spans: list[tuple[int, int]], exempt: set[str]):
    found: dict[str, str] = {}  # key → label
    for match in _WORD.finditer(text):
        if _inside(match.start(), spans):
            continue
        word = match.group()
        candidates = [word]
        if "-" in word:
            candidates += word.split("-")
        for candidate in candidates:
            plain = _POSSESSIVE.sub("", candidate)
            key = plain.lower()
            if len(key) < MIN_NAME_LENGTH or key in NEVER_NAMES or key in exempt:
                continue
            in_staff = key in names.staff
            in_requesters = key in names.requesters
            if not (in_staff or in_requesters):
                continue
            if key in COMMON_WORD_NAMES and (
                not plain[:1].isupper()
                or (len(plain) > 1 and plain.isupper())
                or _sentence_initial(text, match.start())
            ):
                continue
            where = "staff directory" if in_staff else "requester"
            found.setdefault(key, f"“{plain}” ({where})")
    return list(found.values())


_ABBREVIATIONS = _word_set(
    """
    dr mr mrs ms mx prof sr jr st no nos vs etc inc ltd co corp dept gov govt jan feb mar apr
    jun jul aug sep sept oct nov dec approx est fig vol pp ph al cf ca mt ft ave blvd rd
    assn assoc univ
    """
)
_SENTENCE_END = re.compile(r"[.!?]+[\"”’')\]]*(?=\s|$)")
_DOTTED = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]?$")  # U.S, e.g, i.e, a.m, U.S.A


def sentence_count(text: str) -> int:
    """How many sentences a text has (abbreviations, initials and decimals are no ends)."""
    text = _clean(text).strip()
    if not text:
        return 0
    count = 0
    last_end = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        rest = text[end:].lstrip()
        if match.group()[0] == ".":
            word_match = re.search(r"([^\s(\[\"“]+)$", text[last_end : match.start()])
            word = word_match.group(1) if word_match else ""
            bare = word.lower().rstrip(".")
            if (
                bare in _ABBREVIATIONS
                or (len(bare) == 1 and bare.isalpha())
                or _DOTTED.match(word + ".")
            ):
                continue
        if rest and not (rest[0].isupper() or rest[0].isdigit() or rest[0] in "\"“‘'(["):
            continue
        if re.search(r"[^\W_]", text[last_end:end]):
            count += 1
        last_end = end
    if re.search(r"[^\W_]", text[last_end:]):
        count += 1
    return count


_TOPIC_ADJECTIVES = _word_set(
    """
    strategic emergency disaster preparedness succession financial fiscal action workforce
    program policy budget transition systems system continuity
    """
)
_NOUN_BEFORE_PLAN = _word_set(
    """
    a an the its their his her our your this that each every any no draft action work
    strategic implementation improvement new revised
    """
)
_FUTURE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE))
    for name, pattern in (
        ("will", r"\bwill\b"),
        ("won't", r"\bwon['’]t\b"),
        ("plan to", r"\bplans?\s+to\b"),
        (
            "planning",
            r"\b(?:is|are|am|was|were|be|been|began|begun|started|continues?|continued)\s+planning\b",
        ),  # noqa: E501
        ("planning to", r"\bplanning\s+to\b"),
        ("planning meeting", r"\bplanning\s+(?:calls?|meetings?|sessions?)\b"),
        ("planned", r"\b(?:is|are|has\s+been|have\s+been)\s+planned\b"),
        ("intends to", r"\bintends?\s+to\b"),
        ("going to", r"\b(?:am|is|are|['’]s|['’]re)\s+going\s+to\b"),
        ("scheduled to", r"\bscheduled\s+to\b"),
        ("is scheduled", r"\b(?:is|are)\s+scheduled\b"),
        (
            "next",
            r"\bnext\s+(?:week|month|year|quarter|fiscal\s+year|steps?|meeting|call|session|visit|webinar)\b",
        ),  # noqa: E501
        ("upcoming", r"\bupcoming\b"),
        ("forthcoming", r"\bforthcoming\b"),
        ("tomorrow", r"\btomorrow\b"),
        ("later this", r"\blater\s+this\s+(?:week|month|year|quarter|spring|summer|fall|winter)\b"),  # noqa: E501
        ("in the future", r"\bin\s+(?:the\s+)?(?:near\s+)?future\b"),
        ("to be held", r"\bto\s+be\s+(?:held|scheduled|determined|delivered|provided|conducted)\b"),  # noqa: E501
    )
)


def _previous_word(text: str, position: int) -> str:
    match = re.search(r"([^\W\d_]+(?:['’][^\W\d_]*)?)\W*$", text[:position])
    return match.group(1) if match else ""


def future_phrases(text: str, names: NameDirectory | None = None) -> list[str]:
    """The phrases of a text that speak of future plans or planning (see the module doc)."""
    text = _clean(text)
    spans = _masked_spans(text, names)
    found: list[str] = []
    for name, pattern in _FUTURE_PATTERNS:
        for match in pattern.finditer(text):
            if _inside(match.start(), spans):
                continue
            phrase = " ".join(match.group().split())
            first = phrase[:1]
            initial = _sentence_initial(text, match.start())
            if name == "will" and first.isupper() and not initial:
                continue  # "met with Will", "Will County" (a name or a place)
            if name == "plan to":
                previous = _previous_word(text, match.start())
                if (first.isupper() and not initial) or (
                    previous.lower() in _NOUN_BEFORE_PLAN or previous.endswith(("'s", "’s"))
                ):
                    continue  # "the State Plan to …", "the State's plan to expand QRIS"
            if name == "planning meeting" and (
                _previous_word(text, match.start()).lower() in _TOPIC_ADJECTIVES
            ):
                continue  # "a strategic planning session" is a TA topic
            if phrase.lower() not in (p.lower() for p in found):
                found.append(phrase)
    return found


# --- The checks -------------------------------------------------------------------------------


def documentation_findings(
    *,
    kind: str,
    text: str,
    delivery_methods: Sequence[Any] | None = None,
    ta_types: Sequence[Any] | None = None,
    giver_name: str | None = None,
    giver_title: str | None = None,
    names: NameDirectory | None = None,
) -> list[Finding]:
    """R2: what the monthly review would point at in one note. Flags, never blocks.

    `kind` is "plan", "summary", "feedback" or "response" (ValueError otherwise). A
    `None` argument is not checked (e.g. the delivery methods when they are not known);
    an empty list or text is ("no delivery method is selected"). Without `names`, the
    name check is skipped.
    """
    if kind not in KINDS:
        raise ValueError(UNKNOWN_KIND.format(kind=kind))
    text = _clean(text)
    findings: list[Finding] = []
    if names is not None:
        exempt = name_keys(giver_name or "") if kind == KIND_FEEDBACK else set()
        spans = _masked_spans(text, names)
        named = _names_in(text, names, spans, exempt)
        if named:
            findings.append(
                Finding(NAMES_PERSON, MSG_NAMES.format(names=", ".join(named)), GUIDE_NAMES)
            )
    if kind == KIND_SUMMARY:
        count = sentence_count(text)
        if count > 2:
            findings.append(
                Finding(SUMMARY_TOO_LONG, MSG_TOO_LONG.format(count=count), GUIDE_BRIEF)
            )
        phrases = future_phrases(text, names)
        if phrases:
            quoted = ", ".join(f"“{phrase}”" for phrase in phrases)
            findings.append(
                Finding(SUMMARY_FUTURE, MSG_FUTURE.format(phrases=quoted), GUIDE_FUTURE)
            )
        if delivery_methods is not None and not list(delivery_methods):
            findings.append(Finding(SUMMARY_NO_METHODS, MSG_NO_METHODS, GUIDE_METHODS))
        if ta_types is not None and not list(ta_types):
            findings.append(Finding(SUMMARY_NO_TYPES, MSG_NO_TYPES, GUIDE_METHODS))
    if kind == KIND_FEEDBACK:
        if giver_name is not None:
            words = _WORD.findall(_clean(giver_name))
            words = [w for w in words if w.lower().rstrip(".") not in _HONORIFICS]
            if not words:
                findings.append(
                    Finding(FEEDBACK_NO_GIVER_NAME, MSG_NO_GIVER_NAME, GUIDE_FEEDBACK_GIVER)
                )
            elif len(words) < 2:
                findings.append(
                    Finding(FEEDBACK_GIVER_NOT_FULL_NAME, MSG_GIVER_NOT_FULL, GUIDE_FEEDBACK_GIVER)
                )
        if giver_title is not None and not _clean(giver_title).strip():
            findings.append(
                Finding(FEEDBACK_NO_GIVER_TITLE, MSG_NO_GIVER_TITLE, GUIDE_FEEDBACK_GIVER)
            )
    return findings


def note_findings(kind: str, note: Any, names: NameDirectory | None) -> list[Finding]:
    """The findings of a saved note (its delivery methods and TA types from the prefetch
    cache when the caller prefetched them)."""
    extra: dict[str, Any] = {}
    if kind == KIND_SUMMARY:
        extra = {
            "delivery_methods": list(note.delivery_methods.all()),
            "ta_types": list(note.ta_types.all()),
        }
    elif kind == KIND_FEEDBACK:
        extra = {"giver_name": note.giver_name, "giver_title": note.giver_title}
    return documentation_findings(kind=kind, text=note.text, names=names, **extra)


# Lookups a selector adds to `prefetch_related` before calling `findings_for_activity` on
# many activities (no query per note).
FINDINGS_PREFETCH = (
    "description_notes",
    "summaries__delivery_methods",
    "summaries__ta_types",
    "feedback",
    "response_notes",
)
_KIND_RELATIONS = (
    (KIND_PLAN, "description_notes"),
    (KIND_SUMMARY, "summaries"),
    (KIND_FEEDBACK, "feedback"),
    (KIND_RESPONSE, "response_notes"),
)


def _in_month(note: Any, month_start: dt.date, month_end: dt.date) -> bool:
    created = note.created_at.date() if getattr(note, "created_at", None) else None
    return month_start <= note.note_date <= month_end or (
        created is not None and month_start <= created <= month_end
    )


def findings_for_activity(
    activity: TAActivity,
    *,
    month_start: dt.date,
    month_end: dt.date,
    names: NameLoader | None = None,
) -> list[NoteFindings]:
    """R2 for the R1 review: the findings of each note of `activity` dated (or entered) from
    `month_start` to `month_end`, notes without findings left out.

    Prefetch `FINDINGS_PREFETCH` (and select `jurisdiction`) on the activities and share one
    `NameLoader` (after `loader.preload(jurisdictions)`) across them: then no query is made
    per activity or per note.
    """
    loader = names or NameLoader()
    directory = loader.for_jurisdiction(activity.jurisdiction)
    results: list[NoteFindings] = []
    for kind, relation in _KIND_RELATIONS:
        for note in getattr(activity, relation).all():
            if not _in_month(note, month_start, month_end):
                continue
            found = note_findings(kind, note, directory)
            if found:
                results.append(NoteFindings(kind=kind, note=note, findings=tuple(found)))
    return results
