#!/usr/bin/python3
"""Demo cases over the demo grids, through grassroots-cli, each step by the
role the workflow gives it: three departments, six categories (litter with a
50 m duplicate rule, illegal advertising, road damage, smoke alarms on the
clock, a social security service matter, a department task), and about a
hundred cases spread over every state (some reworked, some suspended, some
evaluated "not fixed"), a repeat report linked to an open case, a whistle on
one case per street. Idempotent: every create and every step carries a
request id, so a second run answers the first results.

usage: seed_cases.py CLI GRID_TARGET   (GRASSROOTS_PRINCIPAL_KEY set)
"""
import json
import random
import subprocess
import sys

CLI, GRID = sys.argv[1], sys.argv[2]
ADMIN = ("demo:admin", "grid.admin")
REPORTER = ("demo:worker", "grid.reporter")
SUPERVISION = ("demo:supervision", "grid.supervisor")
COMMAND = ("demo:command", "grid.dispatcher")
DEPARTMENT = ("demo:bureau", "grid.handler")


def call(who, method, body, request_id=""):
    args = [CLI, f"--target={GRID}", f"--as={who[0]}", f"--roles={who[1]}"]
    if request_id:
        args.append(f"--request-id={request_id}")
    out = subprocess.run(args + ["call", f"grassroots.grid.v1.{method}", json.dumps(body)],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def deadlines(register, dispatch, accept, handle, verify):
    return {"registerMinutes": register, "dispatchMinutes": dispatch,
            "acceptMinutes": accept, "handleMinutes": handle, "verifyMinutes": verify}


existing = {d["code"]: d for d in call(ADMIN, "CaseSetupService/ListDepartments", {}).get(
    "departments", [])}
departments = {}
for code, name in [("SANITATION", "District sanitation bureau"),
                   ("CITY_MANAGEMENT", "City management bureau"),
                   ("HOUSING", "Housing and construction bureau")]:
    departments[code] = existing.get(code) or call(
        ADMIN, "CaseSetupService/CreateDepartment",
        {"department": {"code": code, "name": name, "areaPath": "d01"}},
        f"demo-department-{code}")

categories = {c["code"] for c in call(ADMIN, "CaseSetupService/ListCategories", {}).get(
    "categories", [])}
for code, name, kind, dept, clock, extra, radius in [
        ("SANITATION_LITTER", "Litter in public space", "INCIDENT", "SANITATION",
         deadlines(60, 30, 60, 240, 120), False, 50),
        ("ILLEGAL_ADVERTISING", "Illegal advertising", "INCIDENT", "CITY_MANAGEMENT",
         deadlines(60, 30, 60, 480, 120), False, 30),
        ("ROAD_DAMAGE", "Damaged road surface", "INCIDENT", "HOUSING",
         deadlines(120, 60, 120, 2400, 240), False, 80),
        ("SMOKE_ALARM", "Smoke detector alarm", "INCIDENT", "CITY_MANAGEMENT",
         deadlines(5, 5, 10, 60, 60), True, 0),
        ("SOCIAL_SECURITY", "Social security application", "SERVICE_MATTER", "HOUSING",
         deadlines(480, 480, 480, 2400, 480), False, 0),
        ("DEPARTMENT_TASK", "Task handed to a community", "DEPARTMENT_TASK", "HOUSING",
         deadlines(480, 480, 480, 4800, 480), False, 0)]:
    if code in categories:
        continue
    category = {"code": code, "name": name, "kind": kind,
                "departmentId": departments[dept]["id"], "deadlines": clock,
                "continuousClock": extra, "urgent": extra,
                "duplicateRadiusMeters": radius,
                "duplicateWindowMinutes": 24 * 60 if radius else 0}
    call(ADMIN, "CaseSetupService/CreateCategory", {"category": category})

grids = []
token = ""
while True:
    page = call(ADMIN, "GridService/ListGrids", {"pageSize": 1000, "pageToken": token})
    grids += page.get("grids", [])
    token = page.get("nextPageToken", "")
    if not token:
        break
grids.sort(key=lambda g: g["path"])

rng = random.Random(5)
# Where each demo case stops: every state of the workflow, some reworked.
PATHS = [
    [], ["Register"], ["Reject"], ["Register", "Dispatch"],
    ["Register", "Dispatch", "Accept"], ["Register", "Dispatch", "Accept", "Handled"],
    ["Register", "Dispatch", "Accept", "Handled", "Verify"],
    ["Register", "Dispatch", "Accept", "Handled", "Verify", "Close"],
    ["Register", "Dispatch", "Accept", "Handled", "Verify", "Close", "Fixed"],
    ["Register", "Dispatch", "Accept", "Handled", "Rework", "Handled", "Verify", "Close",
     "Fixed"],
    ["Register", "Dispatch", "Accept", "Handled", "Verify", "Close", "NotFixed"],
    ["Register", "Dispatch", "Accept", "Suspend"],
]
STEP = {
    "Register": (SUPERVISION, "CaseService/RegisterCase", None, ""),
    "Reject": (SUPERVISION, "CaseService/RejectCase", None, "not a public-space matter"),
    "Dispatch": (COMMAND, "CaseService/DispatchCase", "step", ""),
    "Accept": (DEPARTMENT, "CaseService/AcceptCase", None, ""),
    "Handled": (DEPARTMENT, "CaseService/ReportCaseHandled", None, "done on site"),
    "Verify": (SUPERVISION, "CaseService/VerifyCase", "passed", ""),
    "Rework": (SUPERVISION, "CaseService/VerifyCase", "failed", "still not right"),
    "Close": (SUPERVISION, "CaseService/CloseCase", None, ""),
    "Fixed": (REPORTER, "CaseService/EvaluateCase", "fixed", ""),
    "NotFixed": (REPORTER, "CaseService/EvaluateCase", "not_fixed", "it is back"),
    "Suspend": (COMMAND, "CaseService/SuspendCase", None, "waiting for the owner"),
}
INCIDENTS = [("SANITATION_LITTER", "bags of rubbish by the bus stop"),
             ("ILLEGAL_ADVERTISING", "flyers on the lamp posts"),
             ("ROAD_DAMAGE", "pothole at the crossing"),
             ("SMOKE_ALARM", "smoke detector sounding in a stairwell")]
cases = 0
for n, grid in enumerate(grids):
    lat, lon = 30.20 + n * 0.004, 120.10 + (n % 7) * 0.004
    for k in range(5):
        code, text = INCIDENTS[(n + k) % len(INCIDENTS)]
        report = {"kind": "INCIDENT", "source": ["GRID_WORKER", "RESIDENT", "DEVICE"][k % 3],
                  "categoryCode": code, "gridId": grid["id"],
                  "latitude": lat + k * 0.002, "longitude": lon, "description": text,
                  "reporterRef": f"demo:reporter-{n}-{k}"}
        if code == "SMOKE_ALARM":
            report["source"] = "DEVICE"
        c = call(REPORTER, "CaseService/ReportCase", {"case": report},
                 f"demo-case-{grid['path']}-{k}")["case"]
        cases += 1
        for s, name in enumerate(PATHS[(n * 5 + k) % len(PATHS)]):
            who, method, shape, note = STEP[name]
            step = {"caseId": c["id"], "etag": c["etag"], "note": note}
            rid = f"demo-step-{c['id']}-{s}"
            if shape is None:
                body = step
            elif shape == "step":
                body = {"step": step}
            elif shape in ("passed", "failed"):
                body = {"step": step, "passed": shape == "passed"}
            else:
                body = {"step": step, "resolution": "FIXED" if shape == "fixed" else "NOT_FIXED",
                        "satisfaction": 5 if shape == "fixed" else 2}
            c = call(who, method, body, rid)
    if n == 0:
        # A second report of the first litter case, 10 m away: linked, not opened.
        call(REPORTER, "CaseService/ReportCase", {"case": {
            "kind": "INCIDENT", "source": "RESIDENT", "categoryCode": "SANITATION_LITTER",
            "gridId": grid["id"], "latitude": lat + 0.0001, "longitude": lon,
            "description": "rubbish at the bus stop again", "reporterRef": "demo:resident-x"}},
            "demo-case-duplicate-1")
    # A social security application at the station, by appointment.
    call(REPORTER, "CaseService/ReportCase", {"case": {
        "kind": "SERVICE_MATTER", "source": "RESIDENT", "categoryCode": "SOCIAL_SECURITY",
        "gridId": grid["id"], "description": "pension transfer from another city",
        "handledOnBehalf": rng.random() < 0.5, "reporterRef": f"demo:resident-{n}"}},
        f"demo-service-{grid['path']}")
    cases += 1

# A whistle in every street, on one open case there.
streets = sorted({g["path"].rsplit("/", 2)[0] for g in grids})
whistles = 0
for street in streets:
    open_cases = call(ADMIN, "CaseService/ListCases", {"pathPrefix": street,
                                                       "state": "HANDLING"}).get("cases", [])
    if not open_cases:
        continue
    call(COMMAND, "CaseService/BlowWhistle", {
        "caseId": open_cases[0]["id"],
        "departmentIds": [departments["CITY_MANAGEMENT"]["id"], departments["HOUSING"]["id"]],
        "note": "the same corner reported five times this month"}, f"demo-whistle-{street}")
    whistles += 1
print(f"demo cases: {cases} cases in {len(grids)} grids, {whistles} whistles")
