"""Bulk generator stage: goals with strategic areas and goal notes (G1), some closed (G4)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from demo import phrases as P
from demo.bulk.base import FIRST_DAY, GeneratorBase, GoalInfo
from goals.models import Goal, GoalNote, Readiness, StrategicArea


class GoalStage(GeneratorBase):
    """Creates goals round robin over jurisdictions and categories."""

    def create_goals(self) -> None:
        rng = self.rng
        n_goals = max(60, self.n_activities // 40)
        latest_start = self.today - dt.timedelta(days=14)
        goals: list[Goal] = []
        closed_on: list[dt.date | None] = []
        for i in range(n_goals):
            # Round robin over jurisdictions and categories: every pair is covered in turn.
            jur_id = self.jurisdictions[i % len(self.jurisdictions)][0]
            category_id = self.goal_category_ids[i % len(self.goal_category_ids)]
            start = self._date_between(FIRST_DAY, latest_start)
            age = (self.today - start).days
            p_closed = 0.8 if age > 3 * 365 else 0.45 if age > 550 else 0.08
            closed = None
            if rng.random() < p_closed and age > 200:
                closed = min(
                    self.today - dt.timedelta(days=1),
                    start + dt.timedelta(days=rng.randint(180, 4 * 365)),
                )
            related = None
            if rng.random() < 0.3:
                related = rng.choice([c for c in self.category_ids if c != category_id])
            created = self._moment(start)
            goals.append(
                Goal(
                    jurisdiction_id=jur_id,
                    category_id=category_id,
                    related_category_id=related,
                    start_date=start,
                    start_date_is_approximate=rng.random() < 0.15,
                    readiness=rng.choice(Readiness.values),
                    status=Goal.Status.CLOSED if closed else Goal.Status.OPEN,
                    closed_at=self._moment(closed) if closed else None,
                    closed_by_id=self.admin_id if closed else None,
                    created_by_id=rng.choice(self.sss_by_jurisdiction.get(jur_id, [self.admin_id])),
                    created_at=created,
                    updated_at=self._moment(closed) if closed else created,
                )
            )
            closed_on.append(closed)

        with transaction.atomic():
            self._bulk(Goal, goals)
            areas: list[StrategicArea] = []
            notes: list[GoalNote] = []
            for goal, closed in zip(goals, closed_on, strict=True):
                ctx = self._text_context(goal.jurisdiction_id, goal.category_id)
                items = self.items_by_category[goal.category_id]
                for item_id in rng.sample(items, rng.randint(1, min(4, len(items)))):
                    areas.append(
                        StrategicArea(
                            goal_id=goal.pk,
                            item_id=item_id,
                            notes=rng.choice(P.STRATEGIC_AREA_NOTES).format(**ctx),
                            created_at=goal.created_at,
                            updated_at=goal.created_at,
                        )
                    )
                end = closed or self.today
                for _ in range(rng.choice((0, 0, 1, 1, 2))):
                    day = self._date_between(goal.start_date, end)
                    notes.append(
                        self._goal_note(goal, GoalNote.Kind.UPDATE, day, P.GOAL_UPDATE_NOTES, ctx)
                    )
                if closed:
                    notes.append(
                        self._goal_note(
                            goal, GoalNote.Kind.COMPLETION, closed, P.GOAL_CLOSING_NOTES, ctx
                        )
                    )
            self._bulk(StrategicArea, areas)
            self._bulk(GoalNote, notes)

        by_goal: dict[int, list[int]] = {}
        for area in areas:
            by_goal.setdefault(area.goal_id, []).append(area.pk)
        self.goals = [
            GoalInfo(g.pk, g.jurisdiction_id, g.category_id, g.start_date, closed, by_goal[g.pk])
            for g, closed in zip(goals, closed_on, strict=True)
        ]
        self.open_goals = [g for g in self.goals if g.closed_on is None]
        self.counts.goals = len(goals)
        self.counts.strategic_areas = len(areas)
        self.counts.goal_notes = len(notes)

    def _goal_note(
        self, goal: Goal, kind: str, day: dt.date, templates: tuple[str, ...], ctx: dict
    ) -> GoalNote:
        stamp = self._moment(day)
        author = self.admin_id if kind == GoalNote.Kind.COMPLETION else goal.created_by_id
        return GoalNote(
            goal_id=goal.pk,
            kind=kind,
            note_date=day,
            text=self.rng.choice(templates).format(date=day.strftime("%m/%d/%y"), **ctx),
            author_id=author,
            created_at=stamp,
            updated_at=stamp,
        )
