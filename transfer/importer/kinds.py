"""One method per kind of row: each reads its cells and calls the service a page would call
(`requester_create`, `goal_create`, `activity_create`, `description_note_add`, …), with
the importing administrator as the actor."""

from __future__ import annotations

from typing import Any

from activities import services as activity_services
from activities.models import (
    ActivityStatus,
    CompletionStatus,
    PlanStage,
    Requester,
    TAActivity,
)
from activities.services import STATUS_TRANSITIONS
from goals import services as goal_services
from goals.models import Goal, GoalNote, StrategicArea
from transfer.importer.cells import _parse_date
from transfer.importer.messages import (
    GOAL_WITHOUT_AREAS,
    JURISDICTION_OR_GOAL,
    STRATEGIC_AREA_NOT_ON_GOAL,
    UNKNOWN_REFERENCE,
    UNKNOWN_REQUESTER,
)
from transfer.importer.results import _RowFailed
from transfer.reading import Row


class KindImporters:
    """The per-kind steps of an `Importer` (see `transfer.importer.run`)."""

    # ------------------------------------------------------------------ kinds
    def _requester(self, row: Row) -> None:
        if self._already(row):
            return

        def call() -> Requester:
            errors: list[tuple[str, str]] = []
            jurisdiction = self.ref(
                row, "jurisdiction", self.jurisdictions, "State or Territory", errors
            )
            region = self.ref(row, "region", self.regions, "Region", errors)
            approved_by = self.choice(row, "approved_by", Requester.ApprovedBy.values, errors)
            self.check(row, errors)
            requester = activity_services.requester_create(
                actor=self.actor,
                name=row.get("name"),
                title=row.get("title"),
                email=row.get("email"),
                jurisdiction=jurisdiction,
                region=region,
                approved_by=approved_by,
                approved_by_name=row.get("approved_by_name"),
            )
            self.requesters_by_email[requester.email.lower()] = requester
            return requester

        self._do(row, call)

    def _goal(self, row: Row, area_rows: list[Row]) -> None:
        if self._already(row):
            for area_row in area_rows:
                self._strategic_area_alone(area_row, row.get("external_id"))
            return

        def call() -> Goal:
            errors: list[tuple[str, str]] = []
            jurisdiction = self.ref(
                row, "jurisdiction", self.jurisdictions, "State or Territory", errors, True
            )
            category = self.ref(
                row, "goal_category", self.categories, "goal category", errors, True
            )
            related = self.ref(row, "related_category", self.categories, "goal category", errors)
            readiness = self.choice(row, "readiness", ["least", "somewhat", "most"], errors, True)
            start_date = self.date(row, "start_date", errors, True)
            approximate = self.boolean(row, "start_date_is_approximate", errors)
            self.choice(row, "status", Goal.Status.values, errors, default="open")
            if not area_rows:
                errors.append(("", GOAL_WITHOUT_AREAS))
            self.check(row, errors)
            chosen = []
            area_failed = False
            for area_row in area_rows:
                area_errors: list[tuple[str, str]] = []
                value = self.text(area_row, "strategic_area", area_errors, True)
                item = self.items[category.pk].get(value.lower()) if value else None
                if value and item is None:
                    area_errors.append(
                        (
                            "strategic_area",
                            UNKNOWN_REFERENCE.format(
                                what=f"strategic area of “{category}”", value=value
                            ),
                        )
                    )
                for column, message in area_errors:
                    self.error(area_row, column, message)
                area_failed = area_failed or bool(area_errors)
                if item is not None:
                    chosen.append((item, area_row.get("notes").strip()))
            if area_failed:
                raise _RowFailed
            goal = goal_services.goal_create(
                actor=self.actor,
                jurisdiction=jurisdiction,
                category=category,
                related_category=related,
                readiness=readiness,
                start_date=start_date,
                start_date_is_approximate=bool(approximate),
                strategic_areas=chosen,
                confirm_duplicate_category=True,  # G2's confirmation: the file is the record
            )
            by_item = {sa.item_id: sa for sa in goal.strategic_areas.all()}
            for area in by_item.values():
                self.areas[(goal.pk, area.item_id)] = area
            for area_row, (item, _notes) in zip(area_rows, chosen, strict=True):
                self._remember(area_row, by_item[item.pk])
            return goal

        if self._do(row, call) is None:
            for area_row in area_rows:
                self.failed.add(("strategic_area", area_row.get("external_id")))

    def _strategic_area_alone(self, row: Row, goal_id: str) -> None:
        """A strategic_area row whose goal is not a goal row of this file: an earlier import's
        goal gets the strategic area added (G1/G2's strategic_area_add)."""
        if self._already(row):
            return

        def call() -> StrategicArea:
            errors: list[tuple[str, str]] = []
            goal = self.parent(row, "goal_external_id", "goal", errors)
            value = self.text(row, "strategic_area", errors, True)
            self.check(row, errors)
            item = self.items[goal.category_id].get(value.lower())
            if item is None:
                errors.append(
                    (
                        "strategic_area",
                        UNKNOWN_REFERENCE.format(
                            what=f"strategic area of “{goal.category}”", value=value
                        ),
                    )
                )
                self.check(row, errors)
            return goal_services.strategic_area_add(
                actor=self.actor, goal=goal, item=item, notes=row.get("notes")
            )

        self._do(row, call)

    def _goal_note(self, row: Row) -> None:
        if self._already(row):
            return

        def call() -> GoalNote:
            errors: list[tuple[str, str]] = []
            goal = self.parent(row, "goal_external_id", "goal", errors)
            kind = self.choice(
                row, "note_kind", GoalNote.Kind.values, errors, default=GoalNote.Kind.UPDATE
            )
            note_date = self.date(row, "note_date", errors, True)
            text = self.text(row, "text", errors, True)
            self.check(row, errors)
            return goal_services.goal_note_add(
                actor=self.actor, goal=goal, text=text, note_date=note_date, kind=kind
            )

        self._do(row, call)

    def _activity(self, row: Row) -> None:
        if self._already(row):
            return

        def call() -> TAActivity:
            errors: list[tuple[str, str]] = []
            strategic_area = None
            jurisdiction = None
            if row.get("goal_external_id").strip():
                goal = self.parent(row, "goal_external_id", "goal", errors)
                value = self.text(row, "strategic_area", errors, True)
                if goal is not None and value:
                    item = self.items[goal.category_id].get(value.lower())
                    strategic_area = self._area_of(goal, item) if item is not None else None
                    if strategic_area is None:
                        errors.append(
                            (
                                "strategic_area",
                                STRATEGIC_AREA_NOT_ON_GOAL.format(
                                    goal=row.get("goal_external_id"), value=value
                                ),
                            )
                        )
            if row.get("jurisdiction").strip() or strategic_area is None:
                jurisdiction = self.ref(
                    row, "jurisdiction", self.jurisdictions, "State or Territory", errors
                )
                if (
                    jurisdiction is None
                    and not row.get("goal_external_id").strip()
                    and not row.get("jurisdiction").strip()
                ):
                    errors.append(("jurisdiction", JURISDICTION_OR_GOAL))
            focus = self.ref(row, "focus", self.focus, "TA focus", errors, True)
            date_opened = self.date(row, "date_opened", errors, True)
            priority = self.choice(row, "priority", ["low", "medium", "high"], errors, True)
            activity_type = self.choice(
                row, "activity_type", ["universal", "targeted", "tailored"], errors, True
            )
            final_status = self.choice(
                row, "status", ActivityStatus.values, errors, default=ActivityStatus.PLANNING
            )
            requesters = []
            for email in self._split(row.get("requester_emails")):
                requester = self.requesters_by_email.get(email.lower())
                if requester is None:
                    errors.append(("requester_emails", UNKNOWN_REQUESTER.format(value=email)))
                else:
                    requesters.append(requester)
            primary_center = self.ref(row, "primary_center", self.centers, "center", errors)
            staff_email = row.get("primary_staff_email").strip()
            primary_staff = (
                self.person(staff_email, "primary_staff_email", errors) if staff_email else None
            )
            collaborating_centers = self.refs(
                row, "collaborating_centers", self.centers, "center", errors
            )
            collaborating_staff = [
                u
                for u in (
                    self.person(e, "collaborating_staff_emails", errors)
                    for e in self._split(row.get("collaborating_staff_emails"))
                )
                if u
            ]
            others = self.refs(
                row, "other_collaborators", self.collaborator_types, "collaborator type", errors
            )
            requested_by_admin = self.boolean(row, "requested_by_ccdf_administrator", errors)
            approval_date = self.date(row, "requester_approval_date", errors)
            cor_date = self.date(row, "cor_approval_date", errors)
            self.choice(row, "completion_status", CompletionStatus.values, errors, default="open")
            self.date(row, "completion_date", errors)
            self.check(row, errors)
            # An activity approved at some point (the COR's approval is on record) starts
            # approved, so its tracking data can follow (A9); its last status comes at the end.
            start_status = (
                ActivityStatus.APPROVED
                if row.get("cor_name").strip() and cor_date is not None
                else final_status
            )
            return activity_services.activity_create(
                actor=self.actor,
                jurisdiction=jurisdiction,
                strategic_area=strategic_area,
                focus=focus,
                other_focus_notes=row.get("other_focus_notes"),
                date_opened=date_opened,
                priority=priority,
                activity_type=activity_type,
                requesters=requesters,
                primary_center=primary_center,
                primary_staff=primary_staff,
                collaborating_centers=collaborating_centers,
                collaborating_staff=collaborating_staff,
                other_collaborators=others,
                other_collaborators_details=row.get("other_collaborators_details"),
                outcome_plan=row.get("outcome_plan"),
                join_existing_confirmed=True,  # A16's confirmation: the file is the record
                status=start_status,
                requested_by_ccdf_administrator=requested_by_admin,
                requester_approver_role=row.get("requester_approver_role").strip().lower(),
                requester_approver_name=row.get("requester_approver_name"),
                requester_approval_date=approval_date,
                cor_name=row.get("cor_name"),
                cor_approval_date=cor_date,
            )

        self._do(row, call)

    def _activity_finish(self, row: Row) -> None:
        """The activity's last status (A7), outcome report and completion (A12)."""
        key = ("activity", row.get("external_id"))
        if key not in self.fresh:
            return
        final = row.get("status").strip().lower() or ActivityStatus.PLANNING
        started_approved = bool(row.get("cor_name").strip() and row.get("cor_approval_date"))
        if (
            (final == ActivityStatus.APPROVED or not started_approved)
            and row.get("completion_status").strip().lower() in ("", CompletionStatus.OPEN)
            and not row.get("outcome_report").strip()
        ):
            return  # created as it should end (the common case): nothing more to do
        activity = self.objects[key]

        def call() -> None:
            nonlocal activity
            activity.refresh_from_db()
            final_status = (
                row.get("status").strip().lower().replace(" ", "_") or ActivityStatus.PLANNING
            )
            completion = row.get("completion_status").strip().lower() or CompletionStatus.OPEN
            report = row.get("outcome_report").strip()
            if completion == CompletionStatus.CLOSED:
                activity_services.activity_close(
                    actor=self.actor,
                    activity=activity,
                    completion_date=_parse_date(row.get("completion_date"))
                    if row.get("completion_date").strip()
                    else None,
                    outcome_report=report,
                )
                return None
            if report and report != activity.outcome_report:
                activity = activity_services.activity_update(
                    actor=self.actor,
                    activity=activity,
                    expected_version=activity.version,
                    outcome_report=report,
                )
            if final_status != activity.status:
                if final_status not in STATUS_TRANSITIONS[activity.status]:
                    activity = activity_services.activity_set_status(
                        actor=self.actor,
                        activity=activity,
                        status=ActivityStatus.PLANNING,
                        reason="Imported",
                    )
                activity_services.activity_set_status(
                    actor=self.actor, activity=activity, status=final_status, reason="Imported"
                )
            if completion == CompletionStatus.CANCELLED:
                activity_services.activity_cancel(
                    actor=self.actor,
                    activity=activity,
                    reason=row.get("cancel_reason") or "Imported as cancelled.",
                )
            return None

        self._do(row, call, remember=False)

    def _area_of(self, goal: Goal, item: Any) -> StrategicArea | None:
        """The goal's strategic area for `item`: made by this run, or read once."""
        key = (goal.pk, item.pk)
        if key not in self.areas:
            area = goal.strategic_areas.filter(item=item).first()
            if area is None:
                return None
            self.areas[key] = area
        return self.areas[key]

    def _note_parent(self, row: Row, errors: list[tuple[str, str]]) -> TAActivity | None:
        return self.parent(row, "activity_external_id", "activity", errors)

    def _plan_note(self, row: Row) -> None:
        if self._already(row):
            return

        def call() -> Any:
            errors: list[tuple[str, str]] = []
            activity = self._note_parent(row, errors)
            stage = self.choice(row, "stage", PlanStage.values, errors, True)
            note_date = self.date(row, "note_date", errors, True)
            text = self.text(row, "text", errors, True)
            self.check(row, errors)
            # An archived final plan was a final plan when written: adding plans in the order
            # they were written archives it again (A6).
            if stage == PlanStage.ARCHIVED_FINAL:
                stage = PlanStage.FINAL
            note, _archived = activity_services.description_note_add(
                actor=self.actor, activity=activity, stage=stage, text=text, note_date=note_date
            )
            return note

        self._do(row, call)

    def _summary(self, row: Row) -> None:
        if self._already(row):
            return

        def call() -> Any:
            errors: list[tuple[str, str]] = []
            activity = self._note_parent(row, errors)
            delivery_date = self.date(row, "note_date", errors, True)
            text = self.text(row, "text", errors, True)
            methods = self.refs(row, "delivery_methods", self.methods, "delivery method", errors)
            types = self.refs(row, "ta_types", self.ta_types, "TA type", errors)
            self.check(row, errors)
            return activity_services.summary_add(
                actor=self.actor,
                activity=activity,
                delivery_date=delivery_date,
                text=text,
                delivery_methods=methods,
                ta_types=types,
            )

        self._do(row, call)

    def _feedback(self, row: Row) -> None:
        if self._already(row):
            return

        def call() -> Any:
            errors: list[tuple[str, str]] = []
            activity = self._note_parent(row, errors)
            feedback_date = self.date(row, "note_date", errors, True)
            self.check(row, errors)
            return activity_services.feedback_add(
                actor=self.actor,
                activity=activity,
                feedback_date=feedback_date,
                giver_name=row.get("giver_name"),
                giver_title=row.get("giver_title"),
                text=row.get("text"),
            )

        self._do(row, call)

    def _response_note(self, row: Row) -> None:
        if self._already(row):
            return

        def call() -> Any:
            errors: list[tuple[str, str]] = []
            activity = self._note_parent(row, errors)
            note_date = self.date(row, "note_date", errors)
            text = self.text(row, "text", errors, True)
            self.check(row, errors)
            return activity_services.response_note_add(
                actor=self.actor, activity=activity, text=text, note_date=note_date
            )

        self._do(row, call)

    def _goal_finish(self, row: Row) -> None:
        """A closed goal is closed last, once its activities are (G4)."""
        key = ("goal", row.get("external_id"))
        if key not in self.fresh or row.get("status").strip().lower() != Goal.Status.CLOSED:
            return
        goal = self.objects[key]

        def call() -> None:
            goal_services.goal_close(actor=self.actor, goal=goal, note=row.get("closure_note"))
            return None

        self._do(row, call, remember=False)
