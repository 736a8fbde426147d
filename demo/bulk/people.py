"""Bulk generator stage: staff (every role, SSS assignments) and requesters (A4)."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password
from django.db import models, transaction

from accounts.models import User
from activities.models import Requester
from demo import phrases as P
from demo.bulk.base import EMAIL_DOMAIN, FIRST_DAY, GeneratorBase


class PeopleStage(GeneratorBase):
    """Creates the generated people and requester contacts."""

    def create_people(self) -> None:
        rng = self.rng
        n_staff = max(20, self.n_activities // 100)
        n_sss = max(3, min(28, n_staff // 10))
        n_federal = max(2, n_staff // 200)
        offset = (User.objects.aggregate(m=models.Max("id"))["m"] or 0) + 1
        # One unusable password hash shared by all generated people: nobody signs in as them.
        unusable = make_password(None)
        joined = self._moment(FIRST_DAY)
        users: list[User] = []
        roles: list[str] = []

        def person(role: str, center_id: int | None, title: str, **flags: bool) -> None:
            first, last = rng.choice(P.FIRST_NAMES), rng.choice(P.LAST_NAMES)
            number = offset + len(users)
            users.append(
                User(
                    email=f"{first}.{last}.{number}@{EMAIL_DOMAIN}".lower().replace(" ", ""),
                    full_name=f"{first} {last}",
                    title=title,
                    center_id=center_id,
                    password=unusable,
                    date_joined=joined,
                    **flags,
                )
            )
            roles.append(role)

        sss_center = self.scbc_id or self.center_ids[0]
        person("admin", None, "TAT Administrator", is_tat_admin=True, is_staff=True)
        for _ in range(n_sss):
            person("sss", sss_center, "State Systems Specialist", is_sss=True, is_ta_staff=True)
        for center_id in self.center_ids:
            person("lead", center_id, "Center Lead", is_center_lead=True, is_ta_staff=True)
        for _ in range(n_federal):
            title = rng.choice(("Regional Program Manager", "Contracting Officer's Representative"))
            person("federal", None, title, is_federal_viewer=True)
        remaining = n_staff - len(users)
        for i in range(max(remaining, len(self.center_ids))):
            # SCBC carries about a third of the work; the other centers share the rest.
            if self.scbc_id and i % 3 == 0:
                center_id = self.scbc_id
            else:
                center_id = self.center_ids[i % len(self.center_ids)]
            person("staff", center_id, rng.choice(P.STAFF_TITLES), is_ta_staff=True)

        with transaction.atomic():
            self._bulk(User, users)
            through = User.sss_jurisdictions.through
            sss_ids = [u.pk for u, r in zip(users, roles, strict=True) if r == "sss"]
            self.sss_by_jurisdiction: dict[int, list[int]] = {}
            links = []
            for index, (jur_id, *_rest) in enumerate(self.jurisdictions):
                sss_id = sss_ids[index % len(sss_ids)]
                self.sss_by_jurisdiction.setdefault(jur_id, []).append(sss_id)
                links.append(through(user_id=sss_id, jurisdiction_id=jur_id))
            self._bulk(through, links)
            self.counts.m2m_rows += len(links)

        self.admin_id = next(u.pk for u, r in zip(users, roles, strict=True) if r == "admin")
        self.federal_ids = [u.pk for u, r in zip(users, roles, strict=True) if r == "federal"]
        self.staff_by_center: dict[int, list[int]] = {}
        self.staff_name: dict[int, str] = {}
        for user, role in zip(users, roles, strict=True):
            if role in ("staff", "lead", "sss") and user.center_id:
                self.staff_by_center.setdefault(user.center_id, []).append(user.pk)
                self.staff_name[user.pk] = user.full_name
        self.counts.users = len(users)

        requesters: list[Requester] = []
        per_jurisdiction = max(2, self.n_activities // 4000)
        for jur_id, code, _kind, _region in self.jurisdictions:
            for _ in range(per_jurisdiction):
                requesters.append(
                    self._requester(code.lower(), rng.choice(P.REQUESTER_TITLES), jur_id=jur_id)
                )
        for region_id in self.region_ids:
            for _ in range(2):
                requesters.append(
                    self._requester(
                        f"region{region_id}", rng.choice(P.REGIONAL_TITLES), region_id=region_id
                    )
                )
        with transaction.atomic():
            self._bulk(Requester, requesters)
        self.requesters_by_jurisdiction: dict[int, list[Requester]] = {}
        self.requesters_by_region: dict[int, list[Requester]] = {}
        for r in requesters:
            if r.jurisdiction_id:
                self.requesters_by_jurisdiction.setdefault(r.jurisdiction_id, []).append(r)
            else:
                self.requesters_by_region.setdefault(r.region_id, []).append(r)
        self.counts.requesters = len(requesters)

    def _requester(
        self, place: str, title: str, *, jur_id: int | None = None, region_id: int | None = None
    ) -> Requester:
        first, last = self.rng.choice(P.FIRST_NAMES), self.rng.choice(P.LAST_NAMES)
        self._requester_serial = getattr(self, "_requester_serial", 0) + 1
        stamp = self._moment(self._date_between(FIRST_DAY, self.today))
        return Requester(
            name=f"{first} {last}",
            title=title,
            # A serial keeps e-mails unique within the run; the run's first user id across runs.
            email=f"{first}.{last}.{self.admin_id}-{self._requester_serial}@{place}.gov.example".lower(),
            jurisdiction_id=jur_id,
            region_id=region_id,
            approved_by=self.rng.choice(Requester.ApprovedBy.values),
            approved_by_name=self._person_name(),
            created_by_id=self.admin_id,
            created_at=stamp,
            updated_at=stamp,
        )
