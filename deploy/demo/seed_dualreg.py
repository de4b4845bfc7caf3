#!/usr/bin/python3
"""Demo dual registration over the first two demo communities, through
grassroots-cli (the same API a user calls): per community an employer (a
two-new organisation in orgs) registered with the community, six of its
members in orgs and volunteer, registered where they live (the other
community: members live where they do not work), a service post with
claims, three orders taken round the three lists (ordered, dispatched by
skill, taken, completed, confirmed and rated, so volunteer credits them),
one still open, a pairing with a visit, this year's evaluations of half the
members and a report to the employer for the last 30 days. Every create
carries a request id, so a replay answers the first results; up.sh runs it
once.

usage: seed_dualreg.py CLI DUALREG_TARGET ORGS_TARGET VOLUNTEER_TARGET
       (GRASSROOTS_PRINCIPAL_KEY set)
"""
import datetime
import json
import subprocess
import sys

CLI, DUALREG, ORGS, VOLUNTEER = sys.argv[1:5]
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
NAMES = ["李建国", "王秀兰", "张伟", "刘芳", "陈志强", "杨丽"]
D1 = "grassroots.dualreg.v1."


def call(target, roles, method, body):
    run = subprocess.run([CLI, f"--target={target}", f"--roles={roles}", "call", method,
                          json.dumps(body)], capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"{method}: {run.stderr.strip()}")
    return json.loads(run.stdout)


def dualreg(method, body):
    return call(DUALREG, "dualreg.admin", D1 + method, body)


def id_number(serial):
    base = f"1101021980{serial % 10000000:07d}"
    check = "10X98765432"[sum(int(c) * w for c, w in zip(base, WEIGHTS)) % 11]
    return base + check


def at(days, hours=0):
    """`hours` past 10:00 Beijing time (UTC+8, the members' availability is
    local), `days` from today."""
    day = datetime.datetime.now(datetime.timezone.utc).date() + datetime.timedelta(days=days)
    t = datetime.datetime(day.year, day.month, day.day, 2, tzinfo=datetime.timezone.utc)
    return (t + datetime.timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%SZ")


areas = call(ORGS, "orgs.admin", "grassroots.orgs.v1.AreaService/ListAreas",
             {"subtree": True, "pageSize": 1000}).get("areas", [])
communities = sorted((a for a in areas if a["kind"] == "COMMUNITY"), key=lambda a: a["path"])[:2]
every_day = [{"weekday": d, "startMinute": 8 * 60, "endMinute": 21 * 60} for d in range(1, 8)]
today = datetime.datetime.now(datetime.timezone.utc).date()
confirmed = 0
for n, community in enumerate(communities):
    tag = community["path"].replace("/", "-")
    home = communities[1 - n]
    committee = call(ORGS, "orgs.admin", "grassroots.orgs.v1.OrganisationService/ListOrganisations",
                     {"subtree": True, "kind": "COMMUNITY_COMMITTEE", "areaId": community["id"],
                      "pageSize": 1})["organisations"][0]
    employer = call(ORGS, "orgs.admin", "grassroots.orgs.v1.OrganisationService/CreateOrganisation",
                    {"organisation": {"kind": "TWO_NEW_ORGANISATION", "code": f"works{n}",
                                      "displayName": f"{community['displayName']} Works branch",
                                      "unitName": f"{community['displayName']} Works Ltd",
                                      "areaId": community["id"], "parentId": committee["id"]},
                     "requestId": f"demo-dualreg-{tag}-employer"})
    unit = dualreg("RegistrationService/RegisterUnit",
                   {"unit": {"organisationId": employer["id"], "communityId": community["id"],
                             "resources": "meeting room, a van, 12 volunteers",
                             "agreement": f"co-building agreement {today.year}",
                             "validUntil": f"{today.year + 1}-06-30"},
                    "requestId": f"demo-dualreg-{tag}-unit"})
    registrations = []
    for i, name in enumerate(NAMES):
        member = call(ORGS, "orgs.admin", "grassroots.orgs.v1.MemberService/AddMember",
                      {"member": {"organisationId": employer["id"], "status": "FULL",
                                  "joinDate": f"{2005 + 2 * i}-07-01", "name": name,
                                  "idNumber": id_number(900 + 10 * n + i)},
                       "requestId": f"demo-dualreg-{tag}-m{i}"})
        volunteer = call(VOLUNTEER, "volunteer.admin",
                         "grassroots.volunteer.v1.VolunteerService/CreateVolunteer",
                         {"volunteer": {"communityPath": home["path"], "name": name,
                                        "memberId": member["id"]},
                          "requestId": f"demo-dualreg-{tag}-v{i}"})
        registrations.append(dualreg(
            "RegistrationService/RegisterMember",
            {"registration": {"memberId": member["id"], "employerOrganisationId": employer["id"],
                              "communityId": home["id"],
                              "skills": ["repair", "tutoring"] if i % 2 else ["elderly-care"],
                              "availability": every_day, "volunteerId": volunteer["id"]},
             "requestId": f"demo-dualreg-{tag}-r{i}"}))
    # Renewed now that its members are in orgs: the coverage counts them
    # (once: a second run finds it renewed).
    renewed_until = f"{today.year + 1}-12-31"
    if dualreg("RegistrationService/GetUnit", {"id": unit["id"]})["validUntil"] < renewed_until:
        dualreg("RegistrationService/RenewUnit", {"id": unit["id"], "validUntil": renewed_until})
    post = dualreg("PostService/CreatePost",
                   {"post": {"communityId": home["id"], "type": "elderly-care",
                             "title": "Weekly calls to elderly neighbours", "capacity": 4},
                    "requestId": f"demo-dualreg-{tag}-post"})
    for r in registrations[:3]:
        claim = subprocess.run([CLI, f"--target={DUALREG}", "--roles=dualreg.admin", "call",
                                D1 + "PostService/ClaimPost",
                                json.dumps({"postId": post["id"], "registrationId": r["id"]})],
                               capture_output=True, text=True)
        if claim.returncode != 0 and "ALREADY" not in claim.stderr:
            sys.exit(f"ClaimPost: {claim.stderr.strip()}")
    for k in range(4):
        order = dualreg("OrderService/CreateOrder",
                        {"order": {"communityId": home["id"], "householdId": f"hh-demo-{tag}-{k}",
                                   "skill": "repair", "description": "the kitchen tap leaks",
                                   "requestedTime": at(1, k), "durationMinutes": 60},
                         "requestId": f"demo-dualreg-{tag}-o{k}"})
        if k == 3 or order["state"] != "ORDERED":
            continue  # the last stays open for the branch; a replay leaves the rest
        order = dualreg("OrderService/DispatchOrder", {"id": order["id"], "maxMembers": 2})
        if not order.get("offeredRegistrationIds"):
            continue  # nobody free then: it stays with the branch
        taker = order["offeredRegistrationIds"][0]
        dualreg("OrderService/TakeOrder", {"id": order["id"], "registrationId": taker})
        dualreg("OrderService/CompleteOrder", {"id": order["id"], "minutes": 50 + 10 * k})
        dualreg("OrderService/ConfirmOrder", {"id": order["id"]})
        dualreg("OrderService/RateOrder", {"id": order["id"], "rating": 5 - k % 2,
                                           "comment": "fixed on the first visit"})
        confirmed += 1
    dualreg("PairingService/CreatePairing",
            {"pairing": {"registrationId": registrations[0]["id"],
                         "householdId": f"hh-demo-{tag}-alone", "need": "ELDERLY_ALONE"},
             "requestId": f"demo-dualreg-{tag}-pair"})
    for i, r in enumerate(registrations[:3]):
        dualreg("MemberEvaluationService/RecordMemberEvaluation",
                {"evaluation": {"registrationId": r["id"], "year": today.year,
                                "grade": "EVALUATION_EXCELLENT" if i == 0 else
                                "EVALUATION_COMPETENT", "comment": "serves every month"},
                 "requestId": f"demo-dualreg-{tag}-e{i}"})
    dualreg("EmployerReportService/CreateEmployerReport",
            {"report": {"unitId": unit["id"],
                        "periodStart": (today - datetime.timedelta(days=30)).isoformat(),
                        "periodEnd": today.isoformat()},
             "requestId": f"demo-dualreg-{tag}-report"})
figures = dualreg("OrderService/GetServiceFigures", {"path": communities[0]["path"].split("/")[0]})
print(f"dualreg demo: {figures.get('registeredMembers', 0)} members registered, "
      f"{figures.get('confirmedOrders', 0)} orders confirmed ({confirmed} this run), "
      f"{figures.get('postsClaimed', 0)} posts claimed")
