#!/usr/bin/python3
"""Demo dual registration over the first community of the first two demo
streets, through grassroots-cli (the same API a user calls): an employer's
party organisation in each (under the community's party committee, which
is made the way seed_orgs.py makes it when that has not run) with three
members in orgs, each a volunteer in volunteer; the employer and its
members registered in dualreg; an order done and confirmed (its credit
goes to volunteer through dualreg's outbox), one dispatched and left to
go overdue, one no member can do (its need goes to orgs); a service post
claimed, a pairing visited, an evaluation and last month's report to the
employer. Creates carry request ids, so a replay answers the first
results; an order's step is taken only from the state it starts from, a
claim made before is let be (a visit would be recorded again). up.sh
runs it once.

usage: seed_dualreg.py CLI DUALREG_TARGET ORGS_TARGET VOLUNTEER_TARGET
  (GRASSROOTS_PRINCIPAL_KEY set)
"""
import datetime
import json
import subprocess
import sys

CLI, DUALREG, ORGS, VOLUNTEER = sys.argv[1:5]
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
NAMES = ["李建国", "王秀兰", "张志强", "刘海燕", "陈文军", "杨丽华"]
D1 = "grassroots.dualreg.v1."


def call(target, method, body, roles="orgs.admin", allowed=()):
    """The answer as JSON; None when refused with one of the `allowed`
    reasons (a step a replay already took)."""
    run = subprocess.run([CLI, f"--target={target}", f"--roles={roles}", "call", method,
                          json.dumps(body)], capture_output=True, text=True)
    if run.returncode != 0:
        if any(reason in run.stderr for reason in allowed):
            return None
        sys.exit(f"{method}: {run.stderr.strip()}")
    return json.loads(run.stdout)


def dualreg(method, body, allowed=()):
    return call(DUALREG, D1 + method, body, roles="dualreg.admin", allowed=allowed)


def id_number(serial):
    base = f"1101061982{serial:07d}"
    check = "10X98765432"[sum(int(c) * w for c, w in zip(base, WEIGHTS)) % 11]
    return base + check


def organisation(kind, code, name, parent, area, **extra):
    """seed_orgs.py's request ids, so either script answers the other's."""
    body = {"organisation": {"kind": kind, "code": code, "displayName": name, "areaId": area,
                             **extra},
            "requestId": f"demo-org-{parent or 'root'}-{code}"}
    if parent:
        body["organisation"]["parentId"] = parent
    return call(ORGS, "grassroots.orgs.v1.OrganisationService/CreateOrganisation", body)["id"]


def at(delta):
    t = datetime.datetime.now(datetime.timezone.utc) + delta
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def order(tag, community, skill, description, requested):
    made = dualreg("OrderService/CreateOrder",
                   {"order": {"communityId": community, "householdId": f"hh-demo-{tag}",
                              "skill": skill, "description": description,
                              "requestedTime": requested, "durationMinutes": 60},
                    "requestId": f"demo-dualreg-{tag}"})
    return dualreg("OrderService/GetOrder", {"id": made["id"]})


areas = {a["path"]: a for a in call(ORGS, "grassroots.orgs.v1.AreaService/ListAreas",
                                    {"subtree": True, "pageSize": 1000}).get("areas", [])}
district = next(a for p, a in sorted(areas.items()) if a["kind"] == "DISTRICT")
district_org = organisation("DISTRICT_COMMITTEE", district["code"],
                            "Riverside District Committee", "", district["id"])
streets = [a for _, a in sorted(areas.items()) if a["kind"] in ("STREET", "TOWN")][:2]
today = datetime.date.today()
last_month_end = today.replace(day=1) - datetime.timedelta(days=1)
serial = 0
for street in streets:
    community = next(a for _, a in sorted(areas.items())
                     if a["kind"] == "COMMUNITY" and a.get("parentId") == street["id"])
    tag = community["path"].replace("/", "-")
    street_org = organisation("STREET_WORKING_COMMITTEE", street["code"],
                              street["displayName"] + " Working Committee", district_org,
                              street["id"])
    committee = organisation("COMMUNITY_COMMITTEE", community["code"],
                             community["displayName"] + " Party Committee", street_org,
                             community["id"])
    employer = organisation("TWO_NEW_ORGANISATION", f"dr-{community['code']}",
                            community["displayName"] + " Logistics Co. Branch", committee,
                            community["id"], unitName=community["displayName"] + " Logistics Co.")
    unit = dualreg("RegistrationService/RegisterUnit",
                   {"unit": {"organisationId": employer, "communityId": community["id"],
                             "resources": "a meeting room, a van on Saturdays",
                             "agreement": "co-building agreement, renewed yearly",
                             "validUntil": f"{today.year + 1}-12-31"},
                    "requestId": f"demo-dualreg-{tag}-unit"})
    registrations = []
    for i, skills in enumerate((["repair", "electrics"], ["repair"], ["tutoring"])):
        serial += 1
        name = NAMES[(serial - 1) % len(NAMES)]
        member = call(ORGS, "grassroots.orgs.v1.MemberService/AddMember",
                      {"member": {"organisationId": employer, "status": "FULL",
                                  "joinDate": f"{2005 + serial}-07-01", "name": name,
                                  "idNumber": id_number(serial)},
                       "requestId": f"demo-dualreg-member-{serial}"})
        volunteer = call(VOLUNTEER, "grassroots.volunteer.v1.VolunteerService/CreateVolunteer",
                         {"volunteer": {"communityPath": community["path"], "name": name,
                                        "memberId": member["id"]},
                          "requestId": f"demo-dualreg-{tag}-v{i}"})
        registrations.append(dualreg(
            "RegistrationService/RegisterMember",
            {"registration": {"memberId": member["id"], "employerOrganisationId": employer,
                              "communityId": community["id"], "skills": skills,
                              "availability": [{"weekday": d, "startMinute": 8 * 60,
                                                "endMinute": 21 * 60} for d in range(1, 8)],
                              "volunteerId": volunteer["id"]},
             "requestId": f"demo-dualreg-{tag}-m{i}"}))
    first, second, third = (r["id"] for r in registrations)

    # Done and confirmed: the member is credited in volunteer.
    o = order(f"{tag}-o1", community["id"], "repair", "the kitchen tap leaks",
              at(datetime.timedelta(hours=-5)))
    if o["state"] == "ORDERED":
        o = dualreg("OrderService/DispatchOrder", {"id": o["id"], "registrationIds": [first]})
    if o["state"] == "DISPATCHED":
        o = dualreg("OrderService/TakeOrder", {"id": o["id"], "registrationId": first})
    if o["state"] == "TAKEN":
        o = dualreg("OrderService/CompleteOrder", {"id": o["id"], "minutes": 50})
    if o["state"] == "COMPLETED":
        o = dualreg("OrderService/ConfirmOrder", {"id": o["id"]})
    if o["state"] == "CONFIRMED":
        dualreg("OrderService/RateOrder", {"id": o["id"], "rating": 5, "comment": "quick and tidy"})
    # Dispatched and not taken: overdue once --take-within-minutes pass.
    o = order(f"{tag}-o2", community["id"], "repair", "a door that will not close",
              at(datetime.timedelta(days=1)))
    if o["state"] == "ORDERED":
        dualreg("OrderService/DispatchOrder", {"id": o["id"], "registrationIds": [second]})
    # No member has the skill: unmatched, and the need goes onto orgs' list.
    o = order(f"{tag}-o3", community["id"], "plumbing", "a burst pipe under the sink",
              at(datetime.timedelta(days=2)))
    if o["state"] == "ORDERED":
        dualreg("OrderService/DispatchOrder", {"id": o["id"], "maxMembers": 2})

    post = dualreg("PostService/CreatePost",
                   {"post": {"communityId": community["id"], "type": "elderly-care",
                             "title": "Reading to the elderly on Saturdays", "capacity": 5},
                    "requestId": f"demo-dualreg-{tag}-post"})
    for registration in (first, second):
        dualreg("PostService/ClaimPost", {"postId": post["id"], "registrationId": registration},
                allowed=("POST_ALREADY_CLAIMED",))
    pairing = dualreg("PairingService/CreatePairing",
                      {"pairing": {"registrationId": third, "householdId": f"hh-demo-{tag}-p",
                                   "need": "ELDERLY_ALONE", "visitIntervalDays": 14},
                       "requestId": f"demo-dualreg-{tag}-pairing"})
    # A visit has no request id: a second run records another.
    dualreg("PairingService/RecordVisit", {"pairingId": pairing["id"],
                                           "visitTime": at(datetime.timedelta(hours=-2)),
                                           "note": "shopping done, all well"})
    dualreg("MemberEvaluationService/RecordMemberEvaluation",
            {"evaluation": {"registrationId": first, "year": today.year,
                            "grade": "EVALUATION_EXCELLENT", "comment": "helps every week"},
             "requestId": f"demo-dualreg-{tag}-ev"})
    dualreg("EmployerReportService/CreateEmployerReport",
            {"report": {"unitId": unit["id"],
                        "periodStart": last_month_end.replace(day=1).isoformat(),
                        "periodEnd": last_month_end.isoformat()},
             "requestId": f"demo-dualreg-{tag}-report-{last_month_end:%Y-%m}"})
figures = dualreg("OrderService/GetServiceFigures", {"path": district["path"]})
print(f"dualreg demo: {len(streets)} communities, {figures.get('registeredMembers', 0)} members "
      f"registered, {figures.get('confirmedOrders', 0)} orders confirmed")
