#!/usr/bin/python3
"""Demo party organisations and members over the demo areas, through
grassroots-cli (so it exercises the same API a user calls). Idempotent: every
create carries a request id, so a second run returns the first results.

usage: seed_orgs.py CLI TARGET   (GRASSROOTS_PRINCIPAL_KEY set)
"""
import json
import os
import random
import subprocess
import sys
import tempfile

CLI, TARGET = sys.argv[1], sys.argv[2]
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英华"


def call(method, body):
    out = subprocess.run([CLI, f"--target={TARGET}", "call", method, json.dumps(body)],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def id_number(serial):
    base = f"1101021975{serial % 10000000:07d}"
    check = "10X98765432"[sum(int(c) * w for c, w in zip(base, WEIGHTS)) % 11]
    return base + check


def organisation(kind, code, name, parent, area):
    body = {"organisation": {"kind": kind, "code": code, "displayName": name, "areaId": area},
            "requestId": f"demo-org-{parent or 'root'}-{code}"}
    if parent:
        body["organisation"]["parentId"] = parent
    return call("grassroots.orgs.v1.OrganisationService/CreateOrganisation", body)["id"]


areas = {a["path"]: a for a in
         call("grassroots.orgs.v1.AreaService/ListAreas", {"subtree": True, "pageSize": 1000})["areas"]}
district = organisation("DISTRICT_COMMITTEE", "d01", "Riverside District Committee", "",
                        areas["d01"]["id"])
rng = random.Random(7)
serial = 0
members = 0
for path, area in sorted(areas.items()):
    if area["kind"] not in ("STREET", "TOWN"):
        continue
    street = organisation("STREET_WORKING_COMMITTEE", area["code"],
                          area["displayName"] + " Working Committee", district, area["id"])
    for child_path, child in sorted(areas.items()):
        if child.get("parentId") != area["id"]:
            continue
        community = organisation("COMMUNITY_COMMITTEE", child["code"],
                                 child["displayName"] + " Party Committee", street, child["id"])
        for g in range(1, 4):
            grid = organisation("GRID_BRANCH", f"g{g}", f"Grid {g} Branch", community, child["id"])
            # Grid 3 of every community is short of full members: the
            # coverage engine flags it.
            for m in range(2 if g == 3 else rng.randint(6, 14)):
                serial += 1
                probationary = rng.random() < 0.1
                member = {"organisationId": grid,
                          "status": "PROBATIONARY" if probationary else "FULL",
                          "joinDate": "2025-07-01" if probationary else
                          f"{rng.randint(1975, 2020)}-{rng.randint(1, 12):02d}-01",
                          "name": rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                          "phone": f"139{serial:08d}",
                          "idNumber": id_number(serial)}
                if probationary:
                    member["probationEndDate"] = "2026-07-01"
                call("grassroots.orgs.v1.MemberService/AddMember",
                     {"member": member, "requestId": f"demo-member-{serial}"})
                members += 1


def import_file(method, header, rows, request_id):
    """Streams a CSV through an import method (all or nothing; a repeat with
    the same request id answers the first result)."""
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
        f.write(header + "\n" + "".join(r + "\n" for r in rows))
        name = f.name
    try:
        out = subprocess.run([CLI, f"--target={TARGET}", f"--request-id={request_id}", "import",
                              method, name], check=True, capture_output=True, text=True).stdout
    finally:
        os.unlink(name)
    return int(out.split()[-1])


# The rest of the district's membership, imported in one file: a realistic
# district has thousands of members, not a few hundred.
grid_paths = [f"{path}/g{g}" for path, area in sorted(areas.items())
              if area["kind"] == "COMMUNITY" for g in (1, 2)]
rows = []
for i in range(3000):
    serial += 1
    rows.append(",".join([grid_paths[i % len(grid_paths)], "FULL",
                          f"{rng.randint(1975, 2022)}-{rng.randint(1, 12):02d}-01", "",
                          rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                          f"138{serial:08d}", id_number(serial)]))
members += import_file("grassroots.orgs.v1.MemberService/ImportMembers",
                       "organisation_path,status,join_date,probation_end_date,name,phone,id_number",
                       rows, "demo-members-bulk")

# Places the coverage rule is about: a compound and two workplaces per
# community, some big enough to need an organisation.
rows = []
for path, area in sorted(areas.items()):
    if area["kind"] != "COMMUNITY":
        continue
    rows.append(f"RESIDENTIAL_COMPOUND,{area['displayName']} Gardens,{path},"
                f"{rng.choice([320, 640, 1200])},0")
    rows.append(f"COMMERCIAL_BUILDING,{area['displayName']} Tower,{path},0,"
                f"{rng.choice([120, 350, 800])}")
    rows.append(f"ENTERPRISE,{area['displayName']} Printing Works,{path},0,{rng.randint(8, 40)}")
places = import_file("grassroots.orgs.v1.PlaceService/ImportPlaces",
                     "kind,display_name,area_path,resident_count,employee_count", rows,
                     "demo-places")
print(f"demo organisations, {members} members and {places} places in place")
