#!/usr/bin/python3
"""Demo regional party building over the demo areas and organisations (run
after seed_orgs.py), through grassroots-cli: a dozen resident units in the
demo streets, big party committees with member units, a joint meeting held
today with two decisions (each a co-building project) and one planned with
an agenda item, a few resources and needs, and one accepted match.

Idempotent: every create carries a request id, so a second run returns the
first results; the meeting is recorded only while it is still planned.

usage: seed_regional.py CLI TARGET   (GRASSROOTS_PRINCIPAL_KEY set)
"""
import datetime
import json
import subprocess
import sys

CLI, TARGET = sys.argv[1], sys.argv[2]
TODAY = datetime.datetime.now(datetime.timezone.utc).date()


def call(method, body):
    out = subprocess.run([CLI, f"--target={TARGET}", "call", f"grassroots.orgs.v1.{method}",
                          json.dumps(body)], check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def day(offset):
    return (TODAY + datetime.timedelta(days=offset)).isoformat()


areas = {a["path"]: a["id"] for a in
         call("AreaService/ListAreas", {"subtree": True, "pageSize": 1000})["areas"]}
district = next(o["id"] for o in call("OrganisationService/ListOrganisations", {})
                ["organisations"] if o["code"] == "d01")
committees = {o["areaPath"]: o["id"] for o in
              call("OrganisationService/ListOrganisations",
                   {"parentId": district, "kind": "STREET_WORKING_COMMITTEE",
                    "pageSize": 1000})["organisations"]}

# (key, place, name, kind, employees, liaison)
UNITS = [
    ("tax", "d01/s01", "Wharf Street Tax Office", "GOVERNMENT_BODY", 86, "周建国"),
    ("school", "d01/s01/c01", "Riverside No. 2 Middle School", "SCHOOL", 210, "陈丽华"),
    ("hospital", "d01/s01/c02", "Ferry Lane Community Hospital", "HOSPITAL", 340, "林志强"),
    ("logistics", "d01/s01/c03", "Harbour Logistics Co.", "PRIVATE_ENTERPRISE", 520, "黄海涛"),
    ("power", "d01/s01", "City Power Supply, Wharf Station", "STATE_OWNED_ENTERPRISE", 130,
     "吴明"),
    ("primary", "d01/s02/c04", "Grain Market Primary School", "SCHOOL", 95, "赵秀英"),
    ("clinic", "d01/s02/c05", "Silk Row Traditional Medicine Clinic", "HOSPITAL", 48, "孙静"),
    ("legal", "d01/s02", "Market Street Legal Aid Centre", "SOCIAL_ORGANISATION", 22, "马超"),
    ("culture", "d01/s02/c06", "Tea House Cultural Centre", "PUBLIC_INSTITUTION", 35, "朱敏"),
    ("mall", "d01/s02/c07", "Bell Tower Shopping Mall", "PRIVATE_ENTERPRISE", 780, "胡伟"),
    ("health", "d01/t03", "Hilltop Town Health Centre", "HOSPITAL", 160, "郭芳"),
    ("coop", "d01/t03/c08", "Orchard Farmers' Cooperative", "SOCIAL_ORGANISATION", 64, "何磊"),
]
units = {}
for serial, (key, place, name, kind, employees, liaison) in enumerate(UNITS, start=1):
    units[key] = call("ResidentUnitService/CreateResidentUnit", {
        "unit": {"areaId": areas[place], "displayName": name, "kind": kind,
                 "employeeCount": employees, "liaisonName": liaison,
                 "liaisonPhone": f"137{serial:08d}"},
        "requestId": f"demo-unit-{key}"})["id"]

# The big party committees of Wharf Street and Market Street.
SEATS = [("d01/s01", "tax", "PART_TIME_DEPUTY_SECRETARY", "Party secretary of the tax office"),
         ("d01/s01", "school", "PART_TIME_MEMBER", "Party secretary of the school"),
         ("d01/s01", "hospital", "PART_TIME_MEMBER", "Party secretary of the hospital"),
         ("d01/s01", "logistics", "PART_TIME_MEMBER", "Party branch secretary of the company"),
         ("d01/s01", "power", "PART_TIME_MEMBER", "Party secretary of the station"),
         ("d01/s02", "legal", "PART_TIME_DEPUTY_SECRETARY", "Director of the centre"),
         ("d01/s02", "primary", "PART_TIME_MEMBER", "Party secretary of the school"),
         ("d01/s02", "mall", "PART_TIME_MEMBER", "Party branch secretary of the mall")]
for street, key, role, title in SEATS:
    call("BigPartyCommitteeService/AddCommitteeUnit", {
        "seat": {"organisationId": committees[street], "unitId": units[key], "role": role,
                 "holderTitle": title, "termStart": "2026-01-01", "termEnd": "2030-12-31"},
        "requestId": f"demo-seat-{street}-{key}"})

# Wharf Street's joint meeting, held today, with two decisions.
wharf = ["tax", "school", "hospital", "logistics", "power"]
held = call("JointMeetingService/ScheduleJointMeeting", {
    "convenerOrganisationId": committees["d01/s01"],
    "title": "Wharf Street joint meeting: services for the old quay",
    "meetingDate": day(0), "invitedUnitIds": [units[k] for k in wharf],
    "requestId": "demo-meeting-wharf"})
# A replayed create answers as it did then; the meeting's state now is read.
held = call("JointMeetingService/GetJointMeeting", {"id": held["id"]})
if held["state"] == "PLANNED":
    call("JointMeetingService/RecordJointMeeting", {
        "id": held["id"], "etag": held["etag"],
        "presentUnitIds": [units[k] for k in ("tax", "school", "hospital", "power")],
        "minutes": "The units reviewed the residents' needs of the old quay.\n"
                   "1. The school opens its playground to residents at weekends.\n"
                   "2. The hospital holds a free clinic for elderly residents every month.",
        "decisions": [
            {"title": "Open the school playground at weekends", "ownerUnitId": units["school"],
             "dueDate": day(60)},
            {"title": "Monthly free clinic for elderly residents",
             "ownerUnitId": units["hospital"], "dueDate": day(90)}]})

# Market Street's next meeting, a month ahead, with an agenda item in time.
market = ["primary", "clinic", "legal", "culture", "mall"]
planned = call("JointMeetingService/ScheduleJointMeeting", {
    "convenerOrganisationId": committees["d01/s02"],
    "title": "Market Street joint meeting: jobs and legal advice",
    "meetingDate": day(30), "invitedUnitIds": [units[k] for k in market],
    "requestId": "demo-meeting-market"})
call("JointMeetingService/SubmitAgendaItem", {
    "meetingId": planned["id"], "unitId": units["mall"],
    "title": "A job fair for residents in the mall's atrium",
    "description": "The mall can host 30 employers on one Saturday.",
    "requestId": "demo-agenda-mall"})

# Resources and needs; the study room need is met by the school.
RESOURCES = [("school", "RESOURCE_CATEGORY_VENUE", "Study room with 40 seats after school", 40),
             ("hospital", "RESOURCE_CATEGORY_MEDICAL", "Health checks each month", 20),
             ("legal", "RESOURCE_CATEGORY_LEGAL", "Lawyer consultations each month", 10),
             ("mall", "RESOURCE_CATEGORY_EMPLOYMENT", "Jobs for residents", 15),
             ("logistics", "RESOURCE_CATEGORY_VOLUNTEERS", "Staff volunteers at weekends", 12)]
resources = {}
for key, category, description, capacity in RESOURCES:
    resources[key] = call("ResourceMatchingService/PublishResource", {
        "resource": {"unitId": units[key], "category": category, "description": description,
                     "capacity": capacity},
        "requestId": f"demo-resource-{key}"})["id"]
NEEDS = [("d01/s01/c01", "RESOURCE_CATEGORY_VENUE", "After-school study room for pupils", 30),
         ("d01/s01/c02", "RESOURCE_CATEGORY_MEDICAL", "Health checks for elderly residents", 25),
         ("d01/s02/c05", "RESOURCE_CATEGORY_LEGAL", "Advice on tenancy disputes", 4),
         ("d01/s02/c07", "RESOURCE_CATEGORY_EMPLOYMENT", "Jobs for unemployed residents", 6),
         ("d01/s01/c03", "RESOURCE_CATEGORY_VOLUNTEERS", "Helpers for the elderly canteen", 8)]
needs = {}
for place, category, description, quantity in NEEDS:
    needs[place] = call("ResourceMatchingService/PublishNeed", {
        "need": {"areaId": areas[place], "category": category, "description": description,
                 "quantity": quantity},
        "requestId": f"demo-need-{place}"})["id"]
call("ResourceMatchingService/AcceptMatch", {
    "needId": needs["d01/s01/c01"], "resourceId": resources["school"], "quantity": 30,
    "projectTitle": "After-school study room at No. 2 Middle School",
    "projectDueDate": day(45), "requestId": "demo-match-study-room"})
print(f"demo regional party building in place: {len(units)} resident units, "
      f"{len(SEATS)} big-committee seats, 2 joint meetings, {len(resources)} resources, "
      f"{len(needs)} needs")
