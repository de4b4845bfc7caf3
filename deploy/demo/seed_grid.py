#!/usr/bin/python3
"""Demo grids and what is in them, over the demo communities in orgs,
through grassroots-cli (the same API a user calls): two grids in every
community, a few hundred households by one ImportHouseholds ledger (which
creates the compounds, buildings and units it names), one key household in
eight, a grid leader, a grid worker and a building leader per grid, two
key persons per grid, and visits to them (door visits days or weeks ago,
some phone contacts), so the overdue report shows key households and key
persons, some visited in time and some not. Idempotent: every create carries a request id, and the
ledger's import its own, so a second run answers the first results.

usage: seed_grid.py CLI GRID_TARGET ORGS_TARGET   (GRASSROOTS_PRINCIPAL_KEY set)
"""
import datetime
import json
import os
import random
import subprocess
import sys
import tempfile

CLI, GRID, ORGS = sys.argv[1], sys.argv[2], sys.argv[3]
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英华"
KEY_REASONS = ["elderly living alone", "disabled resident", "family in hardship",
               "child whose parents work away"]
KEY_PERSONS = [("ELDERLY_LIVING_ALONE", "over 80 and living alone", 7),
               ("DISABLED", "uses a wheelchair; lift out of order twice this year", 14),
               ("LOW_INCOME", "receives minimum living allowance", 30)]


def call(target, method, body):
    out = subprocess.run([CLI, f"--target={target}", "call", method, json.dumps(body)],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def listed(target, method, body, field):
    items, token = [], ""
    while True:
        page = call(target, method, dict(body, pageSize=1000, pageToken=token))
        items += page.get(field, [])
        token = page.get("nextPageToken", "")
        if not token:
            return items


def id_number(serial):
    base = f"1101061968{serial % 10000000:07d}"
    check = "10X98765432"[sum(int(c) * w for c, w in zip(base, WEIGHTS)) % 11]
    return base + check


def name(rng):
    return rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)


rng = random.Random(11)
communities = [a for a in listed(ORGS, "grassroots.orgs.v1.AreaService/ListAreas",
                                 {"subtree": True}, "areas") if a["kind"] == "COMMUNITY"]
grids = []
for community in sorted(communities, key=lambda a: a["path"]):
    for g in (1, 2):
        grids.append(call(GRID, "grassroots.grid.v1.GridService/CreateGrid", {
            "grid": {"code": f"g0{g}", "displayName": f"{community['displayName']} Grid {g}",
                     "communityId": community["id"]},
            "requestId": f"demo-grid-{community['path']}-g0{g}"}))

# One ledger for every grid: a compound of two buildings with two units of
# six dwellings each, and a tower on its own with one unit of four.
header = ("grid_path,compound,building,unit,address,head_name,head_phone,head_id_number,"
          "resident_count,key_household,key_reason,visit_interval_days")
lines, serial = [header], 0
for grid in grids:
    dwellings = [("Osmanthus Court", f"{b}号楼", f"{u}单元", f"{floor}0{door}")
                 for b in (1, 2) for u in (1, 2) for floor in (1, 2, 3) for door in (1, 2)]
    dwellings += [("", "Tower A", "1单元", f"{floor}01") for floor in (5, 6, 7, 8)]
    for compound, building, unit, address in dwellings:
        serial += 1
        residents = rng.choice([0, 1, 2, 2, 3, 3, 4, 5])
        key = residents > 0 and serial % 8 == 0
        lines.append(",".join([
            grid["path"], compound, building, unit, address,
            name(rng) if residents else "", f"137{serial:08d}" if residents else "",
            id_number(serial) if residents else "", str(residents),
            "true" if key else "false", rng.choice(KEY_REASONS) if key else "",
            str(rng.choice([7, 14, 30])) if key else "0"]))
with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, encoding="utf-8") as ledger:
    ledger.write("\n".join(lines) + "\n")
try:
    subprocess.run([CLI, f"--target={GRID}", "--request-id=demo-households-v1", "import",
                    "grassroots.grid.v1.HouseholdService/ImportHouseholds", ledger.name],
                   check=True, capture_output=True, text=True)
finally:
    os.unlink(ledger.name)

staff = 0
for n, grid in enumerate(grids):
    buildings = listed(GRID, "grassroots.grid.v1.BuildingService/ListBuildings",
                       {"gridId": grid["id"]}, "buildings")
    assignments = [("GRID_LEADER", f"demo:leader-{n}", ""),
                   ("GRID_WORKER", f"demo:worker-{n}", ""),
                   ("BUILDING_LEADER", f"demo:building-{n}", buildings[0]["id"])]
    for role, person, building in assignments:
        call(GRID, "grassroots.grid.v1.GridStaffService/AssignStaff", {
            "assignment": {"gridId": grid["id"], "role": role, "personRef": person,
                           "personName": name(rng), "buildingId": building,
                           "startDate": "2026-01-01"},
            "requestId": f"demo-staff-{grid['path']}-{role}"})
        staff += 1
    for k, (category, reason, days) in enumerate(KEY_PERSONS[:2]):
        call(GRID, "grassroots.grid.v1.KeyPersonService/CreateKeyPerson", {
            "keyPerson": {"gridId": grid["id"], "category": category, "name": name(rng),
                          "phone": f"136{n:04d}{k:04d}", "reason": reason,
                          "visitIntervalDays": days},
            "requestId": f"demo-key-person-{grid['path']}-{k}"})
# Visits, by each grid's worker (its leader now and then), at times before
# this run: a replay keeps the first visit of each request id.
now = datetime.datetime.now(datetime.timezone.utc)
visits = 0
for n, grid in enumerate(grids):
    subjects = [("householdId", h["id"]) for h in listed(
        GRID, "grassroots.grid.v1.HouseholdService/ListHouseholds",
        {"gridId": grid["id"], "keyOnly": True}, "households")]
    subjects += [("keyPersonId", k["id"]) for k in listed(
        GRID, "grassroots.grid.v1.KeyPersonService/ListKeyPersons",
        {"gridId": grid["id"]}, "keyPersons")]
    for s, (field, subject) in enumerate(subjects):
        days_ago = [2, 5, 12, 25, 40][(n + s) % 5]
        worker = f"demo:leader-{n}" if s % 4 == 3 else f"demo:worker-{n}"
        entries = [("DOOR_VISIT", days_ago, "all well; talked about the winter heating", False)]
        if s % 3 == 0:
            entries.append(("PHONE", 1, "phoned: asked for help with a hospital appointment", True))
        for k, (kind, ago, findings, follow_up) in enumerate(entries):
            when = now - datetime.timedelta(days=ago, hours=rng.randint(1, 8))
            call(GRID, "grassroots.grid.v1.VisitService/LogVisit", {
                "visit": {field: subject, "workerRef": worker, "kind": kind,
                          "visitTime": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
                          "findings": findings, "followUpNeeded": follow_up},
                "requestId": f"demo-visit-{subject}-{k}"})
            visits += 1
overdue = listed(GRID, "grassroots.grid.v1.VisitService/ListOverdueVisits", {}, "overdue")
print(f"{visits} demo visits; {sum('householdId' in o for o in overdue)} key households and "
      f"{sum('keyPersonId' in o for o in overdue)} key persons overdue today")
print(f"{len(grids)} demo grids, {len(lines) - 1} households, {staff} staff assignments and "
      f"{2 * len(grids)} key persons in place")
