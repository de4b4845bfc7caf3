#!/usr/bin/python3
"""Demo organisational life (三会一课) for the demo grid branches made by
seed_orgs.py, through grassroots-cli (the same API a user calls): a committee
of three for every branch with 7 or more full members, and the last six
months of meetings: monthly committee meetings where there is a committee,
a member assembly and a party lecture each quarter. One branch in four
stopped meeting four months ago, so its clocks run out and it shows on the
overdue list. Idempotent: every create carries a request id, and a meeting
already recorded is left as it is.

usage: seed_life.py CLI TARGET   (GRASSROOTS_PRINCIPAL_KEY set)
"""
import datetime
import json
import random
import subprocess
import sys

CLI, TARGET = sys.argv[1], sys.argv[2]
ROLES = ["SECRETARY", "DEPUTY_SECRETARY", "COMMITTEE_MEMBER"]
ABSENCE = ["ill", "working away from home", "caring for a family member", "on a business trip"]
TOPICS = {
    "BRANCH_COMMITTEE": "this month's work: visits to elderly residents living alone",
    "MEMBER_ASSEMBLY": "the quarter's report and the members' comments",
    "PARTY_LECTURE": "the Party Constitution, chapter by chapter",
}


def call(method, body):
    out = subprocess.run([CLI, f"--target={TARGET}", "call", method, json.dumps(body)],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def listed(method, body, field):
    items, token = [], ""
    while True:
        page = call(method, dict(body, pageSize=1000, pageToken=token))
        items += page.get(field, [])
        token = page.get("nextPageToken", "")
        if not token:
            return items


def month_start(day, back):
    """The first day of the month `back` months before `day`'s month."""
    index = day.year * 12 + day.month - 1 - back
    return datetime.date(index // 12, index % 12 + 1, 1)


def hold(rng, branch, kind, day):
    """Plans the meeting (idempotently) and records it as held, unless it is."""
    planned = call("grassroots.orgs.v1.MeetingService/PlanMeeting",
                   {"meeting": {"organisationId": branch, "type": kind, "topic": TOPICS[kind],
                                "plannedDate": day.isoformat()},
                    "requestId": f"demo-meeting-{branch}-{kind}-{day.isoformat()}"})
    meeting = call("grassroots.orgs.v1.MeetingService/GetMeeting", {"id": planned["id"]})
    if meeting["state"] != "PLANNED":
        return meeting
    roster = call("grassroots.orgs.v1.MeetingService/GetMeetingRoster",
                  {"organisationId": branch, "type": kind, "date": day.isoformat()})
    attendance = []
    for member in roster.get("members", []):
        entry = {"memberId": member["memberId"], "present": rng.random() < 0.85}
        if not entry["present"]:
            entry["absenceReason"] = rng.choice(ABSENCE)
        attendance.append(entry)
    return call("grassroots.orgs.v1.MeetingService/RecordMeeting",
                {"id": meeting["id"], "etag": meeting["etag"], "actualDate": day.isoformat(),
                 "attendance": attendance,
                 "decisions": [f"{TOPICS[kind]}: agreed, with the secretary to report back"]})


today = datetime.datetime.now(datetime.timezone.utc).date()
rng = random.Random(11)
branches = sorted(listed("grassroots.orgs.v1.OrganisationService/ListOrganisations",
                         {"subtree": True, "kind": "GRID_BRANCH"}, "organisations"),
                  key=lambda o: o["path"])
seats = meetings = invalid = 0
for index, branch in enumerate(branches):
    members = listed("grassroots.orgs.v1.MemberService/ListMembers",
                     {"organisationId": branch["id"]}, "members")
    full = sorted((m for m in members if m["status"] == "FULL"), key=lambda m: m["id"])
    committee = len(full) >= 7
    if committee:
        # Appointed the first day of the seventh month back: in office
        # before every seeded meeting.
        start = month_start(today, 7).isoformat()
        for i, role in enumerate(ROLES):
            call("grassroots.orgs.v1.CommitteeService/AppointCommitteeMember",
                 {"organisationId": branch["id"], "memberId": full[i]["id"], "role": role,
                  "startDate": start, "requestId": f"demo-seat-{branch['id']}-{i}"})
            seats += 1
    lapsed = index % 4 == 0
    for back in range(6, 0, -1):
        if lapsed and back <= 4:
            continue
        month = month_start(today, back)
        held = []
        if committee:
            held.append(hold(rng, branch["id"], "BRANCH_COMMITTEE", month.replace(day=10)))
        if month.month % 3 == 2:  # the middle month of each quarter
            held.append(hold(rng, branch["id"], "MEMBER_ASSEMBLY", month.replace(day=20)))
            held.append(hold(rng, branch["id"], "PARTY_LECTURE", month.replace(day=25)))
        meetings += len(held)
        invalid += sum(1 for m in held if not m.get("valid"))

district = next(o for o in call("grassroots.orgs.v1.OrganisationService/ListOrganisations", {})
                ["organisations"] if o["code"] == "d01")
overdue = listed("grassroots.orgs.v1.MeetingService/ListOverdueMeetings",
                 {"organisationId": district["id"]}, "overdue")
compliance = call("grassroots.orgs.v1.MeetingService/GetMeetingCompliance",
                  {"organisationId": district["id"], "fromDate": month_start(today, 6).isoformat(),
                   "toDate": (month_start(today, 0) - datetime.timedelta(days=1)).isoformat()})
totals = compliance.get("totals", {})
print(f"demo organisational life in place: {seats} committee seats, {meetings} meetings "
      f"({invalid} without a quorum), {len(overdue)} overdue meeting clocks, "
      f"{totals.get('met', 0)} of {totals.get('required', 0)} required cycles met "
      f"over the last six months")
