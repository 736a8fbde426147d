"""Bulk generator stage: TA activities with their plans, summaries, feedback and notes.

Keeps A2, A6, A9, A10, A12 and G4 true of the rows it writes (see `demo.bulk.base`).
"""

from __future__ import annotations

import datetime as dt
import time

from django.db import models, reset_queries, transaction

from activities.models import (
    ActivityStatus,
    ActivityType,
    ActivityWorkMonth,
    CompletionStatus,
    DeliverySummary,
    DescriptionNote,
    PlanStage,
    Priority,
    RequesterFeedback,
    ResponseNote,
    TAActivity,
)
from demo import phrases as P
from demo.bulk.base import (
    DRAFT_SEQUENCES,
    FINAL_SEQUENCES,
    FIRST_DAY,
    SHARE_GOAL_DRIVEN,
    SHARE_LATE_ENTRY,
    SHARE_LATE_SUMMARY,
    GeneratorBase,
    Pending,
)


class ActivityStage(GeneratorBase):
    """Creates the activities in batches, one transaction per batch."""

    def create_activities(self) -> None:
        started = time.monotonic()
        done = 0
        # The first activities of a run take every completion status and activity status,
        # so even a small data set shows each of them.
        forced = [
            (CompletionStatus.OPEN, ActivityStatus.PLANNING),
            (CompletionStatus.OPEN, ActivityStatus.APPROVED),
            (CompletionStatus.OPEN, ActivityStatus.ON_HOLD),
            (CompletionStatus.OPEN, ActivityStatus.DENIED),
            (CompletionStatus.CLOSED, ActivityStatus.APPROVED),
            (CompletionStatus.CANCELLED, ActivityStatus.DENIED),
        ]
        while done < self.n_activities:
            size = min(self.batch, self.n_activities - done)
            rows = [self._activity(forced.pop(0) if forced else None) for _ in range(size)]
            self._write_batch(rows)
            reset_queries()
            done += size
            self.progress(
                f"  {done:,}/{self.n_activities:,} activities, {self.counts.notes:,} notes "
                f"({time.monotonic() - started:.1f} s)"
            )

    def _write_batch(self, rows: list[tuple[TAActivity, Pending]]) -> None:
        link = self.link_makers
        for activity, pending in rows:
            # A9, stored (what `refresh_tracking_flag` keeps for the services' writes).
            activity.is_tracking_available = activity.status == ActivityStatus.APPROVED and any(
                note.stage == PlanStage.FINAL for note in pending.description_notes
            )
        with transaction.atomic():
            activities = self._bulk(TAActivity, [activity for activity, _ in rows])
            requester_links, center_links, staff_links, type_links = [], [], [], []
            descriptions: list[models.Model] = []
            summaries: list[tuple[DeliverySummary, list[int], list[int]]] = []
            feedback: list[models.Model] = []
            responses: list[models.Model] = []
            for activity, (_, pending) in zip(activities, rows, strict=True):
                pk = activity.pk
                for r in pending.requester_ids:
                    requester_links.append(link["requesters"](taactivity_id=pk, requester_id=r))
                for c in pending.center_ids:
                    center_links.append(link["centers"](taactivity_id=pk, center_id=c))
                for u in pending.staff_ids:
                    staff_links.append(link["staff"](taactivity_id=pk, user_id=u))
                for t in pending.collaborator_type_ids:
                    type_links.append(link["types"](taactivity_id=pk, collaboratortype_id=t))
                for group, target in (
                    (pending.description_notes, descriptions),
                    (pending.feedback, feedback),
                    (pending.response_notes, responses),
                ):
                    for note in group:
                        note.activity_id = pk
                    target.extend(group)
                for summary, _methods, _types in pending.summaries:
                    summary.activity_id = pk
                summaries.extend(pending.summaries)
            self._bulk(TAActivity.requesters.through, requester_links)
            self._bulk(TAActivity.collaborating_centers.through, center_links)
            self._bulk(TAActivity.collaborating_staff.through, staff_links)
            self._bulk(TAActivity.other_collaborators.through, type_links)
            self._bulk(DescriptionNote, descriptions)
            self._bulk(DeliverySummary, [summary for summary, _, _ in summaries])
            method_links, ta_type_links = [], []
            for summary, methods, ta_types in summaries:
                for m in methods:
                    method_links.append(
                        link["methods"](deliverysummary_id=summary.pk, deliverymethod_id=m)
                    )
                for t in ta_types:
                    ta_type_links.append(
                        link["ta_types"](deliverysummary_id=summary.pk, tatype_id=t)
                    )
            self._bulk(DeliverySummary.delivery_methods.through, method_links)
            self._bulk(DeliverySummary.ta_types.through, ta_type_links)
            self._bulk(RequesterFeedback, feedback)
            self._bulk(ResponseNote, responses)
            # What `refresh_work_months` keeps for the services' writes (ADR 0015).
            flags = {activity.pk: activity.is_tracking_available for activity in activities}
            self._bulk(
                ActivityWorkMonth,
                [
                    ActivityWorkMonth(activity_id=pk, month=month, is_tracking_available=flags[pk])
                    for pk, month in sorted(
                        {(note.activity_id, note.note_date.replace(day=1)) for note in responses}
                    )
                ],
            )
        c = self.counts
        c.activities += len(activities)
        c.m2m_rows += sum(
            map(
                len,
                (
                    requester_links,
                    center_links,
                    staff_links,
                    type_links,
                    method_links,
                    ta_type_links,
                ),
            )
        )
        c.description_notes += len(descriptions)
        c.summaries += len(summaries)
        c.feedback += len(feedback)
        c.response_notes += len(responses)
        for activity in activities:
            c.by_completion[activity.completion_status] = (
                c.by_completion.get(activity.completion_status, 0) + 1
            )
            c.by_status[activity.status] = c.by_status.get(activity.status, 0) + 1

    def _lifecycle(
        self, opened: dt.date, must_finish: bool, forced: tuple[str, str] | None
    ) -> tuple[str, str]:
        rng = self.rng
        if forced:
            return forced
        age = (self.today - opened).days
        finished = must_finish or rng.random() < (0.03 if age < 45 else min(0.93, 0.15 + age / 800))
        if finished:
            if rng.random() < 0.07:
                status = self._weighted(
                    (
                        (ActivityStatus.PLANNING, 30),
                        (ActivityStatus.DENIED, 40),
                        (ActivityStatus.ON_HOLD, 20),
                        (ActivityStatus.APPROVED, 10),
                    )
                )
                return CompletionStatus.CANCELLED, status
            return CompletionStatus.CLOSED, ActivityStatus.APPROVED
        if age < 60:
            weights = (
                (ActivityStatus.PLANNING, 55),
                (ActivityStatus.APPROVED, 35),
                (ActivityStatus.ON_HOLD, 5),
                (ActivityStatus.DENIED, 5),
            )
        else:
            weights = (
                (ActivityStatus.PLANNING, 15),
                (ActivityStatus.APPROVED, 65),
                (ActivityStatus.ON_HOLD, 12),
                (ActivityStatus.DENIED, 8),
            )
        return CompletionStatus.OPEN, self._weighted(weights)

    def _activity(self, forced: tuple[str, str] | None = None) -> tuple[TAActivity, Pending]:
        rng = self.rng
        today = self.today
        goal = None
        wants_open = forced is not None and forced[0] == CompletionStatus.OPEN
        if rng.random() < SHARE_GOAL_DRIVEN:
            pool = self.open_goals if wants_open else self.goals
            goal = rng.choice(pool) if pool else None
        other_notes = ""
        if goal:
            jur_id, category_id = goal.jurisdiction_id, goal.category_id
            strategic_area_id = rng.choice(goal.strategic_area_ids)
            first, last = goal.start, goal.closed_on or today
            if self.other_focus_id and rng.random() < 0.02:
                focus_id = self.other_focus_id
                other_notes = rng.choice(P.OTHER_FOCUS_NOTES)
            else:
                focus_id = rng.choice(self.focus_by_category[category_id])
        else:
            jur_id = rng.choice(self.jurisdictions)[0]
            strategic_area_id = None
            focus_id = rng.choice(self.all_focus_ids)
            category_id = self.focus_category[focus_id]
            first, last = FIRST_DAY, today
        opened = self._date_between(first, last)
        completion, status = self._lifecycle(
            opened, goal is not None and goal.closed_on is not None, forced
        )

        # People and centers (A5).
        if self.scbc_id and rng.random() < 0.35:
            primary_center = self.scbc_id
        else:
            primary_center = rng.choice(self.center_ids)
        primary_staff = rng.choice(self.staff_by_center[primary_center])
        n_centers = self._weighted(((0, 45), (1, 40), (2, 15)))
        others = [c for c in self.center_ids if c != primary_center]
        collab_centers = rng.sample(others, min(n_centers, len(others)))
        collab_staff = {
            rng.choice(self.staff_by_center[c]) for c in collab_centers if rng.random() < 0.7
        }
        if rng.random() < 0.2:
            collab_staff.add(rng.choice(self.staff_by_center[primary_center]))
        collab_staff.discard(primary_staff)
        collab_types: list[int] = []
        details = ""
        if rng.random() < 0.25:
            collab_types = rng.sample(
                self.collaborator_type_ids, min(len(self.collaborator_type_ids), rng.randint(1, 2))
            )
            if self.other_collaborator_type_ids.intersection(collab_types) or rng.random() < 0.3:
                details = rng.choice(P.OTHER_COLLABORATOR_DETAILS).format(
                    person=self._person_name(), center=self.center_code[primary_center]
                )
        own = self.requesters_by_jurisdiction.get(jur_id, [])
        chosen = rng.sample(own, min(len(own), self._weighted(((1, 60), (2, 30), (3, 10)))))
        regional = self.requesters_by_region.get(self.jurisdiction_by_id[jur_id][3], [])
        if regional and (not chosen or rng.random() < 0.1):
            chosen.append(rng.choice(regional))
        ctx = self._text_context(jur_id, category_id, (primary_center, *collab_centers))
        writers = [primary_staff, *collab_staff]

        # Timeline: plan, approval, delivery, completion.
        if completion == CompletionStatus.CLOSED:
            end = min(last, opened + dt.timedelta(days=rng.randint(45, 600)))
        elif completion == CompletionStatus.CANCELLED:
            end = min(last, opened + dt.timedelta(days=rng.randint(10, 120)))
        else:
            end = last
        has_final = status == ActivityStatus.APPROVED or (
            status == ActivityStatus.ON_HOLD and rng.random() < 0.5
        )
        sequence = self._weighted(FINAL_SEQUENCES if has_final else DRAFT_SEQUENCES)
        plan_span = max(0, (end - opened).days * 3 // 10)
        offsets = sorted(rng.randint(0, plan_span) for _ in sequence)
        offsets[0] = 0
        entered = opened + dt.timedelta(
            days=rng.randint(4, 20) if rng.random() < SHARE_LATE_ENTRY else rng.randint(0, 2)
        )
        entered = min(entered, today)
        entered_at = self._moment(entered)
        sss = self.sss_by_jurisdiction.get(jur_id, [primary_staff])

        descriptions: list[DescriptionNote] = []
        for stage, offset in zip(sequence, offsets, strict=True):
            day = opened + dt.timedelta(days=offset)
            text = self._plan_text(ctx)
            stage_value = PlanStage.ARCHIVED_FINAL if stage == "archived" else stage
            author = rng.choice(sss) if stage == "initial" else primary_staff
            descriptions.append(
                self._note(DescriptionNote, day, text, author, entered, stage=stage_value)
            )
        plan_done = opened + dt.timedelta(days=offsets[-1])
        approval_day = min(end, plan_done + dt.timedelta(days=rng.randint(0, 10)))

        summaries: list[tuple[DeliverySummary, list[int], list[int]]] = []
        delivers = (
            has_final
            and completion != CompletionStatus.CANCELLED
            and status
            in (
                ActivityStatus.APPROVED,
                ActivityStatus.ON_HOLD,
            )
        )
        if delivers:
            months = (end - approval_day).days // 30 + 1
            if completion == CompletionStatus.CLOSED:
                n_summaries = rng.randint(1, min(6, months))
            elif status == ActivityStatus.ON_HOLD:
                n_summaries = rng.randint(0, min(2, months))
            else:
                n_summaries = rng.randint(0, min(6, months))
            for day in sorted(self._date_between(approval_day, end) for _ in range(n_summaries)):
                summaries.append(self._summary(day, ctx, primary_staff, writers))

        feedback: list[RequesterFeedback] = []
        if completion == CompletionStatus.CLOSED:
            n_feedback = self._weighted(((0, 20), (1, 55), (2, 25)))
        else:
            n_feedback = 1 if summaries and rng.random() < 0.3 else 0
        if summaries:
            for _ in range(n_feedback):
                day = self._date_between(summaries[0][0].note_date, end)
                if completion == CompletionStatus.CLOSED and rng.random() < 0.05:
                    day = self._date_between(end, today)  # A11: feedback after closing
                giver = rng.choice(chosen)
                quote = rng.choice(P.FEEDBACK_QUOTES).format(**ctx)
                text = f"{day:%m/%d/%y} received from {giver.name}, {giver.title}: “{quote}”"
                feedback.append(
                    self._note(
                        RequesterFeedback,
                        day,
                        text,
                        primary_staff,
                        day,
                        giver_name=giver.name,
                        giver_title=giver.title,
                    )
                )

        responses: list[ResponseNote] = []
        target = rng.randint(6, 14)
        for _ in range(max(0, target - len(descriptions) - len(summaries) - len(feedback))):
            day = self._date_between(opened, end)
            text = rng.choice(P.RESPONSE_TEMPLATES).format(
                date=f"{day:%m/%d/%y}",
                **{**ctx, "audience": rng.choice(P.AUDIENCES), "product": rng.choice(P.PRODUCTS)},
            )
            responses.append(self._note(ResponseNote, day, text, rng.choice(writers), day))

        # Closed: the day work ended; cancelled: the day it was cancelled (as activity_cancel).
        completion_date = None if completion == CompletionStatus.OPEN else end
        last_touch = max(
            [
                entered,
                *(d.note_date for d in descriptions),
                end if completion != CompletionStatus.OPEN else entered,
            ]
        )
        approved = status == ActivityStatus.APPROVED or (
            has_final and status == ActivityStatus.ON_HOLD
        )
        activity = self.make_activity(
            jurisdiction_id=jur_id,
            goal_id=goal.id if goal else None,
            strategic_area_id=strategic_area_id,
            goal_category_id=category_id,
            focus_id=focus_id,
            other_focus_notes=other_notes,
            date_opened=opened,
            is_late_entry=entered > self._late_deadline(opened),
            priority=self._weighted(
                ((Priority.LOW, 25), (Priority.MEDIUM, 45), (Priority.HIGH, 30))
            ),
            activity_type=self._weighted(
                (
                    (ActivityType.UNIVERSAL, 20),
                    (ActivityType.TARGETED, 45),
                    (ActivityType.TAILORED, 35),
                )
            ),
            status=status,
            approved_by_id=rng.choice(self.federal_ids) if approved else None,
            approved_at=self._moment(approval_day) if approved else None,
            primary_center_id=primary_center,
            primary_staff_id=primary_staff,
            other_collaborators_details=details,
            outcome_plan=rng.choice(P.OUTCOME_PLANS).format(
                year=opened.year + rng.randint(1, 2), **ctx
            ),
            outcome_report=(
                rng.choice(P.OUTCOME_REPORTS).format(**ctx)
                if completion == CompletionStatus.CLOSED
                else ""
            ),
            completion_status=completion,
            completion_date=completion_date,
            created_by_id=rng.choice((primary_staff, primary_staff, primary_staff, sss[0])),
            created_at=entered_at,
            updated_at=max(entered_at, self._moment(min(last_touch, today))),
        )
        pending = Pending(
            requester_ids=[r.pk for r in chosen],
            center_ids=collab_centers,
            staff_ids=list(collab_staff),
            collaborator_type_ids=collab_types,
            description_notes=descriptions,
            summaries=summaries,
            feedback=feedback,
            response_notes=responses,
        )
        return activity, pending

    def _note(
        self, model: type, day: dt.date, text: str, author: int, entered: dt.date, **extra
    ) -> models.Model:
        stamp = self._moment(max(day, entered))
        return self.note_makers[model](
            note_date=day, text=text, author_id=author, created_at=stamp, updated_at=stamp, **extra
        )

    def _plan_text(self, ctx: dict) -> str:
        rng = self.rng
        local = {**ctx, "audience": rng.choice(P.AUDIENCES), "product": rng.choice(P.PRODUCTS)}
        opener = rng.choice(P.PLAN_OPENERS).format(**local)
        purpose = rng.choice(P.PLAN_PURPOSES).format(**local)
        role = rng.choice(P.PLAN_CENTER_ROLES).format(**local)
        return f"{opener} {purpose}. {role}".strip()

    def _summary(
        self, day: dt.date, ctx: dict, primary_staff: int, writers: list[int]
    ) -> tuple[DeliverySummary, list[int], list[int]]:
        rng = self.rng
        due = self._due(day)
        if rng.random() < SHARE_LATE_SUMMARY:
            entered = due + dt.timedelta(days=rng.randint(1, 25))
        else:
            entered = day + dt.timedelta(days=rng.randint(0, (due - day).days))
        entered = min(entered, self.today)
        roll = rng.random()
        if roll < 0.03:
            template = rng.choice(P.SUMMARY_FUTURE_TEMPLATES)
        elif roll < 0.05:
            template = rng.choice(P.SUMMARY_NAMED_TEMPLATES)
        else:
            template = rng.choice(P.SUMMARY_TEMPLATES)
        local = {
            **ctx,
            "audience": rng.choice(P.AUDIENCES),
            "product": rng.choice(P.PRODUCTS),
            "method": rng.choice(P.METHODS_PHRASES),
            "person": self.staff_name.get(primary_staff, "the specialist"),
        }
        local["action"] = rng.choice(P.ACTIONS_PAST).format(audience=local["audience"])
        text = template.format(date=f"{day:%m/%d/%y}", **local)
        stamp = self._moment(entered)
        summary = self.make_summary(
            note_date=day,
            text=text,
            author_id=primary_staff if rng.random() < 0.85 else rng.choice(writers),
            due_date=due,
            is_late=entered > due,
            created_at=stamp,
            updated_at=stamp,
        )
        # A few summaries lack delivery methods, so the monthly review (R2) can flag them.
        methods = (
            []
            if rng.random() < 0.03
            else rng.sample(
                self.method_ids, min(len(self.method_ids), self._weighted(((1, 7), (2, 3))))
            )
        )
        types = rng.sample(
            self.ta_type_ids, min(len(self.ta_type_ids), self._weighted(((1, 7), (2, 3))))
        )
        return summary, methods, types
