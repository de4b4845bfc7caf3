#!/usr/bin/python3
"""Demo linkage (包联), evaluations and the community work admission list
over the demo district, through grassroots-cli (the same API a user calls).
Run after seed_orgs.py. Idempotent: creates carry request ids (a second run
gets the first results back), and steps that need an etag are taken only
when the record is not past them yet.

- the district's admission list: 6 categories, 27 items, as the field
  reports one county's; Hilltop Town (t03) publishes its own list, the
  district's plus two rural items, which replaces the district's there;
- links of district officials, a street cadre and units to communities,
  with problems raised this year, most solved, some closed or still open;
- last year's evaluation of every community party committee, all three
  steps, recorded against a secretary added to each committee.

usage: seed_linkage.py CLI TARGET   (GRASSROOTS_PRINCIPAL_KEY set)
"""
import datetime
import json
import random
import subprocess
import sys

CLI, TARGET = sys.argv[1], sys.argv[2]
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
SURNAMES = "王李张刘陈杨黄赵吴周"
GIVEN = "建国秀兰志强海燕红梅文华"


def call(method, body):
    done = subprocess.run([CLI, f"--target={TARGET}", "call", method, json.dumps(body)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"seed_linkage: {method} failed: {done.stderr.strip()}")
    return json.loads(done.stdout)


def svc(service, method, body):
    return call(f"grassroots.orgs.v1.{service}/{method}", body)


def id_number(serial):
    # Another birth year than seed_orgs.py's members: no two share a number.
    base = f"1101021968{serial % 10000000:07d}"
    check = "10X98765432"[sum(int(c) * w for c, w in zip(base, WEIGHTS)) % 11]
    return base + check


# --- the admission list: 6 categories, 27 items ---------------------------
# (category code, name, [(item code, name, [departments])])
ADMISSION = [
    ("1", "Party building (党的建设)", [
        ("1.1", "Party members' education and management (党员教育管理)", ["organisation-dept"]),
        ("1.2", "Collecting party dues (党费收缴)", ["organisation-dept"]),
        ("1.3", "Registering in-service party members (在职党员报到)", ["organisation-dept"]),
        ("1.4", "Regional party building liaison (区域化党建联络)", ["organisation-dept"]),
        ("1.5", "Care for members in difficulty (困难党员帮扶)", ["organisation-dept",
                                                            "civil-affairs"]),
    ]),
    ("2", "Community governance (社区治理)", [
        ("2.1", "Residents' committee elections (居委会换届)", ["civil-affairs"]),
        ("2.2", "Residents' consultations (居民议事协商)", ["civil-affairs"]),
        ("2.3", "Owners' committee guidance (业委会指导)", ["housing"]),
        ("2.4", "Volunteer service organisation (志愿服务)", ["civil-affairs", "youth-league"]),
        ("2.5", "Mediating neighbourhood disputes (邻里纠纷调解)", ["justice"]),
    ]),
    ("3", "Public services (公共服务)", [
        ("3.1", "Social insurance enrolment help (社保参保协办)", ["human-resources"]),
        ("3.2", "Employment registration (就业登记)", ["human-resources"]),
        ("3.3", "Elderly care service referral (养老服务转介)", ["civil-affairs"]),
        ("3.4", "Family doctor sign-up (家庭医生签约)", ["health"]),
        ("3.5", "Disability certificate help (残疾证办理协助)", ["disabled-persons-federation"]),
    ]),
    ("4", "Social assistance (民生保障)", [
        ("4.1", "Subsistence allowance verification (低保核查)", ["civil-affairs"]),
        ("4.2", "Temporary relief applications (临时救助)", ["civil-affairs"]),
        ("4.3", "Veterans' services (退役军人服务)", ["veterans-affairs"]),
        ("4.4", "Visiting elderly people living alone (独居老人探访)", ["civil-affairs", "health"]),
    ]),
    ("5", "Safety and stability (平安建设)", [
        ("5.1", "Rented housing registration (出租房屋登记)", ["police"]),
        ("5.2", "Fire safety checks in compounds (小区消防检查)", ["emergency-management"]),
        ("5.3", "Anti-fraud publicity (反诈宣传)", ["police"]),
        ("5.4", "Community corrections assistance (社区矫正协助)", ["justice"]),
    ]),
    ("6", "Environment and civic life (环境与文明)", [
        ("6.1", "Waste sorting guidance (垃圾分类指导)", ["urban-management"]),
        ("6.2", "Civic culture activities (文明实践活动)", ["publicity-dept"]),
        ("6.3", "Patriotic health campaigns (爱国卫生运动)", ["health"]),
        ("6.4", "Greening and old compound renewal (老旧小区改造配合)", ["housing"]),
    ]),
]
RURAL = ("7", "Rural affairs (涉农事务)", [
    ("7.1", "Farmland protection patrols (耕地保护巡查)", ["agriculture"]),
    ("7.2", "Rural collective assets publicity (集体资产公开)", ["agriculture"]),
])


def categories(groups):
    return [{"code": code, "name": name,
             "items": [{"code": c, "name": n, "departments": d} for c, n, d in items]}
            for code, name, items in groups]


areas = {a["path"]: a for a in
         svc("AreaService", "ListAreas", {"subtree": True, "pageSize": 1000})["areas"]}
district = svc("AdmissionService", "PublishAdmissionList",
               {"regionAreaId": areas["d01"]["id"], "categories": categories(ADMISSION),
                "requestId": "demo-admission-d01"})
town = svc("AdmissionService", "PublishAdmissionList",
           {"regionAreaId": areas["d01/t03"]["id"], "categories": categories(ADMISSION + [RURAL]),
            "requestId": "demo-admission-t03"})
items = sum(len(c["items"]) for c in district["categories"])
print(f"admission list of d01 version {district['version']}: "
      f"{len(district['categories'])} categories, {items} items "
      f"(t03's own: version {town['version']})")

# --- organisations and secretaries ---------------------------------------
organisations = {}
request = {"subtree": True, "pageSize": 1000}
while True:
    page = svc("OrganisationService", "ListOrganisations", request)
    for o in page.get("organisations", []):
        organisations[o["path"]] = o
    if not page.get("nextPageToken"):
        break
    request["pageToken"] = page["nextPageToken"]
communities = sorted((o for o in organisations.values() if o["kind"] == "COMMUNITY_COMMITTEE"),
                     key=lambda o: o["path"])
rng = random.Random(11)
serial = 0


def member(organisation, key):
    global serial
    serial += 1
    body = {"member": {"organisationId": organisation["id"], "status": "FULL",
                       "joinDate": f"{rng.randint(1990, 2012)}-07-01",
                       "name": rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                       "idNumber": id_number(serial)},
            "requestId": f"demo-{key}"}
    return svc("MemberService", "AddMember", body)["id"]


secretaries = {c["path"]: member(c, f"secretary-{c['path']}") for c in communities}

# --- linkage: links and their problems ------------------------------------
today = datetime.date.today()
start = today - datetime.timedelta(days=330)
street_cadre = member(organisations["d01/s01"], "cadre-d01/s01")
LINKS = [
    ("c01", {"kind": "EXTERNAL_OFFICIAL", "reference": "hr-d01-0012",
             "displayTitle": "Deputy District Head (副区长)"}),
    ("c02", {"kind": "UNIT", "reference": "ru-housing-bureau", "unitKind": "GOVERNMENT_BODY",
             "displayTitle": "District Housing Bureau (区住建局)"}),
    ("c03", {"kind": "MEMBER_OFFICIAL", "memberId": street_cadre,
             "displayTitle": "Deputy Secretary, Wharf Street Working Committee"}),
    ("c05", {"kind": "UNIT", "reference": "ru-no3-middle-school", "unitKind": "SCHOOL",
             "displayTitle": "Riverside No. 3 Middle School"}),
    ("c06", {"kind": "UNIT", "reference": "ru-state-grid", "unitKind": "STATE_ENTERPRISE",
             "displayTitle": "State Grid Riverside Branch"}),
    ("c09", {"kind": "EXTERNAL_OFFICIAL", "reference": "hr-d01-0047",
             "displayTitle": "Director, District Agriculture Bureau (区农业农村局局长)"}),
]
PROBLEMS = [("Broken street lights on the lane", "facilities"),
            ("Lift out of order in building 5", "facilities"),
            ("Parking blocks the fire lane", "safety"),
            ("No shade at the elderly activity corner", "elderly-care"),
            ("Rubbish sorting point overflows", "environment"),
            ("Leaking roof of the activity centre", "facilities"),
            ("After-school care for working parents", "education"),
            ("Uneven pavement near the market", "facilities")]
raised = solved = 0
community_areas = {a["code"]: a for a in areas.values() if a["kind"] == "COMMUNITY"}
for code, party in LINKS:
    link = svc("LinkageService", "CreateLink",
               {"link": {"party": party, "areaId": community_areas[code]["id"],
                         "startDate": start.isoformat(), "note": "Linked for the year"},
                "requestId": f"demo-link-{code}"})
    for n in range(rng.randint(3, 6)):
        # Drawn whatever the state found, so a second run draws the same.
        title, category = PROBLEMS[rng.randrange(len(PROBLEMS))]
        day = start + datetime.timedelta(days=rng.randint(5, 300))
        outcome, took = rng.random(), rng.randint(3, 40)
        problem = svc("LinkageService", "RaiseProblem",
                      {"linkId": link["id"], "title": title, "category": category,
                       "raisedDate": day.isoformat(), "requestId": f"demo-problem-{code}-{n}"})
        raised += 1
        current = svc("LinkageService", "GetProblem", {"id": problem["id"]})
        resolved = min(today, day + datetime.timedelta(days=took)).isoformat()
        if current["state"] == "OPEN" and outcome < 0.8:
            current = svc("LinkageService", "SolveProblem",
                          {"id": current["id"], "etag": current["etag"], "solvedDate": resolved,
                           "how": "Solved with the linked official's help"})
        elif current["state"] == "OPEN" and outcome < 0.9:
            current = svc("LinkageService", "CloseProblem",
                          {"id": current["id"], "etag": current["etag"], "closedDate": resolved,
                           "reason": "Needs the owners' vote; passed to the residents' consultation"})
        solved += current["state"] == "SOLVED"
print(f"{len(LINKS)} links, {raised} problems raised, {solved} solved")

# --- last year's evaluations ----------------------------------------------
year = today.year - 1
grades = {}
for community in communities:
    opened = svc("EvaluationService", "OpenEvaluation",
                 {"organisationId": community["id"], "year": year,
                  "secretaryMemberId": secretaries[community["path"]],
                  "requestId": f"demo-evaluation-{community['path']}-{year}"})
    e = svc("EvaluationService", "GetEvaluation", {"id": opened["id"]})
    # Drawn whatever the state found, so a second run draws the same.
    self_score, higher_score = rng.randint(70, 98), rng.randint(55, 96)
    answers = rng.randint(80, 150)
    dissatisfied = rng.randint(0, answers // 5)
    basically = rng.randint(0, (answers - dissatisfied) // 3)
    asked = answers + rng.randint(0, 30)
    if e["state"] == "AWAITING_SELF_ASSESSMENT":
        e = svc("EvaluationService", "RecordSelfAssessment",
                {"id": e["id"], "etag": e["etag"], "score": self_score,
                 "report": "Branch meetings held monthly; linked units' problems followed up"})
    if e["state"] == "AWAITING_RESIDENTS_RATING":
        e = svc("EvaluationService", "RecordResidentsRating",
                {"id": e["id"], "etag": e["etag"], "residentsAsked": asked,
                 "satisfied": answers - dissatisfied - basically,
                 "basicallySatisfied": basically, "dissatisfied": dissatisfied})
    if e["state"] == "AWAITING_HIGHER_REVIEW":
        e = svc("EvaluationService", "RecordHigherReview",
                {"id": e["id"], "etag": e["etag"], "score": higher_score,
                 "comment": "Reviewed by the street working committee"})
    grade = e.get("result", {}).get("grade", "UNFINISHED")
    grades[grade] = grades.get(grade, 0) + 1
print(f"{len(communities)} evaluations of {year}: " +
      ", ".join(f"{n} {g.lower()}" for g, n in sorted(grades.items())))
