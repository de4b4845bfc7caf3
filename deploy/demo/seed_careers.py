#!/usr/bin/python3
"""Demo community workers over the first demo communities in orgs, through
grassroots-cli (the same API a user calls): household counts, a city
staffing rule, last year's average wage and this year's pay table, four
workers per community (a principal, a deputy, two staff) with ID numbers
protected, this year's post training course passed by three of them (the
fourth is not qualified to work alone, so grid refuses to assign them a
case), and a salary revision. Creates carry request ids, so a replay
answers the first results; up.sh runs it once.

usage: seed_careers.py CLI CAREERS_TARGET ORGS_TARGET   (GRASSROOTS_PRINCIPAL_KEY set)
"""
import datetime
import json
import subprocess
import sys

CLI, CAREERS, ORGS = sys.argv[1], sys.argv[2], sys.argv[3]
C1 = "grassroots.careers.v1."
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
# post, grade
STAFF = [("POST_PRINCIPAL", 9), ("POST_DEPUTY", 5), ("POST_FULL_TIME_STAFF", 2),
         ("POST_FULL_TIME_STAFF", 1)]
RANGES = {"POST_PRINCIPAL": (7, 18), "POST_DEPUTY": (4, 15), "POST_FULL_TIME_STAFF": (1, 12),
          "POST_COMMITTEE_MEMBER": (1, 12)}
NAMES = ["张建华", "李秀梅", "王志强", "刘晓燕", "陈国庆", "杨丽娟", "赵德胜", "黄春梅",
         "周海涛", "吴雪芳", "徐文斌", "孙玉兰", "马俊杰", "朱红霞", "胡建军", "郭美玲"]


def call(target, method, body, roles="careers.admin"):
    run = subprocess.run([CLI, f"--target={target}", f"--roles={roles}", "call", method,
                          json.dumps(body)], capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"{method}: {run.stderr.strip()}")
    return json.loads(run.stdout)


def id_number(serial):
    base = f"11010119880101{serial:03d}"
    return base + "10X98765432"[sum(int(d) * w for d, w in zip(base, WEIGHTS)) % 11]


year = datetime.date.today().year
areas = call(ORGS, "grassroots.orgs.v1.AreaService/ListAreas", {"subtree": True, "pageSize": 1000},
             roles="orgs.admin").get("areas", [])
communities = sorted(a["path"] for a in areas if a["kind"] == "COMMUNITY")[:4]
district = communities[0].split("/")[0]
call(CAREERS, C1 + "StaffingService/SetStaffingRule",
     {"rule": {"regionPath": "", "baseHouseholds": 3000, "minimumWorkers": 10,
               "householdsPerExtraWorker": 300}})
call(CAREERS, C1 + "PayService/RecordAverageWage",
     {"wage": {"regionPath": district, "year": year - 1, "monthlyFen": "620000",
               "effectiveDate": f"{year}-01-01"}})
cells = [{"post": post, "grade": g, "monthlyFen": str(630000 + g * 25000)}
         for post, (lo, hi) in RANGES.items() for g in range(lo, hi + 1)]
call(CAREERS, C1 + "PayService/SetPayTable",
     {"table": {"regionPath": district, "year": year, "cells": cells}})
course = call(CAREERS, C1 + "TrainingService/CreateCourse",
              {"course": {"regionPath": district, "title": f"{year} 年社区工作者岗前培训",
                          "kind": "COURSE_POST_TRAINING", "year": year, "hours": 24},
               "requestId": f"demo-course-{year}"})
serial = 0
for n, path in enumerate(communities):
    call(CAREERS, C1 + "StaffingService/SetCommunityHouseholds",
         {"households": {"communityPath": path, "households": 2400 + 500 * n}})
    for i, (post, grade) in enumerate(STAFF):
        serial += 1
        worker = call(CAREERS, C1 + "WorkerService/CreateWorker",
                      {"worker": {"communityPath": path, "name": NAMES[serial % len(NAMES)],
                                  "idNumber": id_number(serial), "post": post, "grade": grade,
                                  "entryChannel": "ENTRY_EXTERNAL_RECRUITMENT",
                                  "degree": "DEGREE_BACHELOR",
                                  "hireDate": f"{year - 2 - 3 * (3 - i)}-09-01"},
                       "requestId": f"demo-worker-{serial}"})
        if i < 3:
            results = call(CAREERS, C1 + "TrainingService/ListTrainingResults",
                           {"workerId": worker["id"]}).get("results", [])
            if not results:
                call(CAREERS, C1 + "TrainingService/RecordTrainingResult",
                     {"result": {"workerId": worker["id"], "courseId": course["id"],
                                 "hoursAttended": 24, "passed": True, "score": 85 + i,
                                 "completionDate": f"{year}-01-20"}})
        if i == 0:
            call(CAREERS, C1 + "PayService/CreateSalaryRevision",
                 {"revision": {"workerId": worker["id"], "monthlyFen": "860000",
                               "reason": "annual assessment excellent: one grade step",
                               "effectiveDate": f"{year}-01-01"},
                  "requestId": f"demo-revision-{serial}"})
print(f"careers: {serial} workers in {len(communities)} communities")
