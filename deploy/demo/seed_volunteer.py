#!/usr/bin/python3
"""Demo volunteers and points over the first demo communities in orgs,
through grassroots-cli (the same API a user calls): points rules, volunteers
and a team per community, a patrol this evening attended and confirmed (its
points credited through the ledger), love-supermarket goods and one
redemption each, then the invariant checker. Creates carry request ids and
redemptions their own ids, so a replay answers the first results; up.sh
runs it once.

usage: seed_volunteer.py CLI VOLUNTEER_TARGET ORGS_TARGET   (GRASSROOTS_PRINCIPAL_KEY set)
"""
import datetime
import json
import random
import subprocess
import sys

CLI, VOLUNTEER, ORGS = sys.argv[1], sys.argv[2], sys.argv[3]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英华"
# name, price in points, stock; a patrol earns 9, enough for the last.
GOODS = [("食用油 5L", 30, 20), ("大米 10kg", 25, 30), ("洗衣液", 8, 40)]
V1 = "grassroots.volunteer.v1."


def call(target, method, body):
    run = subprocess.run([CLI, f"--target={target}", "call", method, json.dumps(body)],
                         capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"{method}: {run.stderr.strip()}")
    return json.loads(run.stdout)


def at(delta):
    t = datetime.datetime.now(datetime.timezone.utc) + delta
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


rng = random.Random(23)
areas = call(ORGS, "grassroots.orgs.v1.AreaService/ListAreas",
             {"subtree": True, "pageSize": 1000}).get("areas", [])
communities = sorted(a["path"] for a in areas if a["kind"] == "COMMUNITY")[:4]
for path in communities:
    tag = path.replace("/", "-")
    call(VOLUNTEER, V1 + "ActivityService/SetPointsRule",
         {"rule": {"communityPath": path, "activityType": "patrol", "pointsPerHour": "2",
                   "pointsPerActivity": "3"}})
    call(VOLUNTEER, V1 + "ActivityService/SetPointsRule",
         {"rule": {"communityPath": path, "activityType": "*", "pointsPerActivity": "1"}})
    volunteers = [call(VOLUNTEER, V1 + "VolunteerService/CreateVolunteer",
                       {"volunteer": {"communityPath": path,
                                      "name": rng.choice(SURNAMES) + rng.choice(GIVEN) +
                                      rng.choice(GIVEN)},
                        "requestId": f"demo-{tag}-v{i}"}) for i in range(6)]
    call(VOLUNTEER, V1 + "VolunteerService/CreateTeam",
         {"team": {"communityPath": path, "displayName": "老兵巡逻队",
                   "leaderVolunteerIds": [volunteers[0]["id"]]},
          "requestId": f"demo-{tag}-team"})
    activity = call(VOLUNTEER, V1 + "ActivityService/CreateActivity",
                    {"activity": {"communityPath": path, "title": "Evening patrol",
                                  "activityType": "patrol", "place": "North gate",
                                  "startTime": at(datetime.timedelta(hours=-3)),
                                  "endTime": at(datetime.timedelta(hours=1)), "capacity": 10},
                     "requestId": f"demo-{tag}-patrol"})
    for v in volunteers[:4]:
        a = call(VOLUNTEER, V1 + "ActivityService/SignUp",
                 {"activityId": activity["id"], "volunteerId": v["id"]})
        if a["state"] == "ATTENDANCE_SIGNED_UP":
            call(VOLUNTEER, V1 + "ActivityService/CheckIn",
                 {"attendanceId": a["id"], "time": at(datetime.timedelta(hours=-3, minutes=-20))})
            a = call(VOLUNTEER, V1 + "ActivityService/CheckOut", {"attendanceId": a["id"]})
        if a["state"] == "ATTENDANCE_CHECKED_OUT":
            call(VOLUNTEER, V1 + "ActivityService/ConfirmAttendance", {"attendanceId": a["id"]})
    goods = [call(VOLUNTEER, V1 + "SupermarketService/CreateGood",
                  {"good": {"communityPath": path, "displayName": name, "price": str(price),
                            "initialStock": str(stock)},
                   "requestId": f"demo-{tag}-g{i}"})
             for i, (name, price, stock) in enumerate(GOODS)]
    call(VOLUNTEER, V1 + "SupermarketService/Redeem",
         {"redemption": {"id": f"demo-{tag}-r1", "volunteerId": volunteers[0]["id"],
                         "goodId": goods[2]["id"], "quantity": "1"}})
check = call(VOLUNTEER, V1 + "LedgerService/CheckInvariants", {})
if check.get("violations"):
    sys.exit(f"the ledger's invariants do not hold: {check['violations']}")
print(f"volunteer demo: {len(communities)} communities, {check.get('transfersChecked', 0)} "
      "transfers, invariants hold")
