"""The people and resources of `test_concurrent_booking`, written in its scratch database by a
process of their own (the test's process never opens that database through Django):

    DATABASE_URL=... python -m cordee.premises.tests.server_setup --people 6

Each person is the member of an organisation of their own, so that every booking request comes
from a different session in the name of a different member. The two rooms belong to yet another
organisation, with no people: nobody who books them manages them. Both are open at all hours, on
public holidays too, and may be booked without notice; the second needs its owner's approval, so
that its bookings are requested rather than confirmed. Prints one JSON line:
{"password": ..., "people": [{"email": ..., "organisation_id": ...}], "resources": {"room": id, "approval": id}}.
"""

from __future__ import annotations

import argparse
import json
import os
import sys


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="server_setup")
    parser.add_argument("--people", type=int, required=True)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cordee.settings")
    import django

    django.setup()
    from django.db import transaction

    from cordee.core.testing import PASSWORD, make_organisation, make_person
    from cordee.network.models import Affiliation
    from cordee.premises.tests.factories import make_resource

    with transaction.atomic():
        owner = make_organisation("Tiers-lieu du Champsaur")
        room = make_resource(owner, opening_hours=(), closed_on_public_holidays=False, name="Salle du Drac")
        approval = make_resource(
            owner, opening_hours=(), closed_on_public_holidays=False, approval_required=True, name="Grande salle"
        )
        people = []
        for n in range(1, args.people + 1):
            organisation = make_organisation(f"Association {n} du Buëch")
            person = make_person(f"booker{n}@example.org", f"Personne {n}")
            Affiliation.objects.create(person=person, organisation=organisation, role=Affiliation.Role.MEMBER)
            people.append({"email": person.email, "organisation_id": organisation.pk})
    print(json.dumps({"password": PASSWORD, "people": people, "resources": {"room": room.pk, "approval": approval.pk}}))


if __name__ == "__main__":
    main(sys.argv[1:])
