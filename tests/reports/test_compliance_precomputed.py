"""Issue 10, "Speed": the compliance report reads precomputed monthly counts (missing
summaries and entries beside the dashboard's summaries, `reports.DashboardCount`). They must
equal the monthly review's own flag (R1, `oversight.selectors.missing_summary_rows`) and the
records after every kind of write, and the report's queries stay constant."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from activities import services
from activities.models import ActivityStatus, PlanStage, ResponseNote, TAActivity
from oversight.selectors import missing_summary_rows
from reports.compliance.figures import ComplianceFilters, compliance_report
from reports.dashboard.rollup import refresh_stale
from reports.models import DashboardCount, DashboardStale
from tests.reports import compliance_data as data

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 1)
MONTHS = (dt.date(2025, 10, 1), dt.date(2025, 11, 1), dt.date(2025, 12, 1))
REPORT_QUERIES = 4  # the stale check, the month's counts, the centers, the States


def _review_missing(month: dt.date) -> Counter:
    """The review's flag, counted per (State or Territory, primary center)."""
    return Counter(
        (row.jurisdiction_id, row.primary_center_id)
        for row in missing_summary_rows(month=month).select_related(None)
    )


def _precomputed_missing(month: dt.date) -> Counter:
    refresh_stale()
    counts: Counter = Counter()
    for row in DashboardCount.objects.filter(kind=DashboardCount.Kind.MISSING, month=month):
        counts[(row.jurisdiction_id, row.center_id)] += row.count
    return counts


def _local_month(moment: dt.datetime) -> dt.date:
    """The month of an entry in the site's time zone."""
    local = timezone.localtime(moment)
    return dt.date(local.year, local.month, 1)


def _entries_from_records(month: dt.date) -> tuple[int, int]:
    entered = [a for a in TAActivity.objects.all() if _local_month(a.created_at) == month]
    return len(entered), sum(1 for a in entered if a.is_late_entry)


def _assert_report_matches_records() -> None:
    for month in MONTHS:
        assert _precomputed_missing(month) == _review_missing(month), month
        report = compliance_report(ComplianceFilters(month=month), today=TODAY)
        assert report.total.missing == sum(_review_missing(month).values())
        assert (report.total.entered, report.total.entered_late) == _entries_from_records(month)


def test_r1_precomputed_missing_summaries_equal_the_review_flag_every_month(world):
    data.build(world)
    _assert_report_matches_records()
    november = compliance_report(ComplianceFilters(month=data.MONTH), today=TODAY)
    assert november.total.missing == data.EXPECTED_TOTAL[3] == 2


def test_r1_a2_counts_follow_response_notes_plans_and_status(world):
    records = data.build(world)
    compliance_report(ComplianceFilters(month=data.MONTH), today=TODAY)  # counts current
    assert not DashboardStale.objects.exists()

    # A response note dated in October on an approved activity with a final plan and no
    # October summary: a missing summary in October, in Florida.
    a5 = records["a5"]
    data.response_note(world, a5, dated=data.d(10, 29), entered=data.d(11, 2))
    assert DashboardStale.objects.filter(jurisdiction=a5.jurisdiction).exists()
    october = compliance_report(ComplianceFilters(month=MONTHS[0]), today=TODAY)
    assert october.total.missing == 1
    _assert_report_matches_records()

    # A new final plan archives the previous one (A6): still a current final plan.
    with data.clock(data.d(11, 5)):
        services.description_note_add(
            actor=world.admin, activity=a5, stage=PlanStage.FINAL, text="Revised final plan."
        )
    assert DashboardStale.objects.filter(jurisdiction=a5.jurisdiction).exists()
    _assert_report_matches_records()

    # On hold: no longer approved, so no summary is missing for it.
    a2 = TAActivity.objects.get(pk=records["a2"].pk)
    with data.clock(data.d(11, 20)):
        services.activity_set_status(actor=world.admin, activity=a2, status=ActivityStatus.ON_HOLD)
    report = compliance_report(ComplianceFilters(month=data.MONTH), today=TODAY)
    assert report.total.missing == 1
    _assert_report_matches_records()

    # A summary of November for a6 clears its missing summary.
    data.summary(world, records["a6"], delivered=data.d(11, 21), entered=data.d(12, 1))
    report = compliance_report(ComplianceFilters(month=data.MONTH), today=TODAY)
    assert report.total.missing == 0
    _assert_report_matches_records()


def test_r1_deleting_a_response_note_marks_its_state_stale(world):
    records = data.build(world)
    compliance_report(ComplianceFilters(month=data.MONTH), today=TODAY)
    ResponseNote.objects.filter(activity=records["a2"]).delete()
    assert DashboardStale.objects.filter(jurisdiction=records["a2"].jurisdiction).exists()
    assert compliance_report(ComplianceFilters(month=data.MONTH), today=TODAY).total.missing == 1
    _assert_report_matches_records()


def test_refresh_all_rebuilds_the_compliance_counts(world):
    data.build(world)
    refresh_stale()
    DashboardCount.objects.filter(
        kind__in=[DashboardCount.Kind.MISSING, DashboardCount.Kind.ENTERED]
    ).delete()  # as a bulk load that bypassed the signals would leave them
    call_command("refresh_dashboard_figures", "--all")
    _assert_report_matches_records()


def test_report_queries_are_constant_and_read_no_records(world):
    data.build(world)
    compliance_report(ComplianceFilters(month=data.MONTH), today=TODAY)
    for filters in (
        ComplianceFilters(month=data.MONTH),
        ComplianceFilters(month=data.MONTH, region=world.region, primary_center=world.center),
    ):
        with CaptureQueriesContext(connection) as queries:
            compliance_report(filters, today=TODAY)
        assert len(queries) == REPORT_QUERIES
        tables = " ".join(q["sql"] for q in queries.captured_queries)
        for table in ("activities_taactivity", "activities_responsenote", "deliverysummary"):
            assert table not in tables
