#!/usr/bin/python3
"""Demo major-matter decisions and consultations on the first demo community
organisation made by seed_orgs.py, through grassroots-cli: one matter waiting
for the street's review (proposed, deliberated by the two committees,
reviewed by the member assembly, resolved by the residents' representatives)
and one consultation of all households, open for 30 days, with some votes
and opinions.

Idempotent: creates carry request ids, votes are retried under their request
ids, and the matter's steps are recorded only up to where it already stands.

usage: seed_decisions.py CLI TARGET   (GRASSROOTS_PRINCIPAL_KEY set)
"""
import datetime
import json
import subprocess
import sys

CLI, TARGET = sys.argv[1], sys.argv[2]


def call(method, body):
    out = subprocess.run([CLI, f"--target={TARGET}", "call", f"grassroots.orgs.v1.{method}",
                          json.dumps(body, ensure_ascii=False)],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def today():
    return datetime.datetime.now(datetime.timezone.utc).date().isoformat()


communities = call("OrganisationService/ListOrganisations",
                   {"kind": "COMMUNITY_COMMITTEE", "subtree": True, "pageSize": 1000})
community = sorted(communities["organisations"], key=lambda o: o["path"])[0]
full = []
request = {"organisationId": community["id"], "subtree": True, "pageSize": 1000}
while True:
    page = call("MemberService/ListMembers", request)
    full += [m["id"] for m in page.get("members", []) if m.get("status") == "FULL"]
    if not page.get("nextPageToken"):
        break
    request["pageToken"] = page["nextPageToken"]
if len(full) < 3:
    sys.exit(f"{community['path']} has {len(full)} full members; run seed_orgs.py first")

matter = call("DecisionService/ProposeMatter", {
    "matter": {"organisationId": community["id"],
               "title": "加装电梯 Lifts for buildings 3 to 7",
               "description": "Residents of the five old walk-up buildings asked for lifts; "
                              "the district subsidises 60%, residents pay the rest by floor.",
               "proposerMemberId": full[0]},
    "proposalDate": today(),
    "participants": {"memberIds": full[:3]},
    "requestId": "demo-matter-lifts"})
# The proposal answers as it was first made: read where the matter stands now.
matter = call("DecisionService/GetMatter", {"id": matter["id"]})


def step(method, body):
    global matter
    body.update({"matterId": matter["id"], "etag": matter["etag"], "date": today()})
    matter = call(f"DecisionService/{method}", body)


if matter["state"] == "PROPOSED":
    # The two committees sitting together: 9 seats, 7 present.
    step("RecordDeliberation", {"participants": {"memberIds": full[:5], "others": 2},
                                "vote": {"entitled": 9, "inFavour": 6, "against": 1},
                                "note": "Joint meeting of the party and residents' committees."})
if matter["state"] == "DELIBERATED":
    # The member assembly: every full member of the subtree is entitled;
    # two thirds and one more come.
    present = min(len(full), (2 * len(full) + 2) // 3 + 1)
    step("RecordAssemblyReview", {"participants": {"memberIds": full[:present]},
                                  "vote": {"inFavour": present - 1, "abstaining": 1}})
if matter["state"] == "ASSEMBLY_REVIEWED":
    # 35 residents' representatives, 28 present.
    step("RecordRepresentativesResolution", {"participants": {"others": 28},
                                             "vote": {"entitled": 35, "inFavour": 24,
                                                      "against": 2, "abstaining": 2}})
print(f"matter {matter['id']} of {community['path']}: {matter['state']} "
      f"(the street's review comes next)")

close = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=30))
consultation = call("ConsultationService/OpenConsultation", {
    "consultation": {"organisationId": community["id"], "audience": "ALL_HOUSEHOLDS",
                     "question": "Which courtyard should be greened first?",
                     "options": ["North courtyard", "South courtyard", "Neither this year"],
                     "closeTime": close.strftime("%Y-%m-%dT%H:%M:%SZ"),
                     "matterId": matter["id"]},
    "requestId": "demo-consultation-courtyards"})
for i in range(1, 13):
    call("ConsultationService/CastVote", {"consultationId": consultation["id"],
                                          "householdId": f"demo-hh-{i:03d}",
                                          "optionNumber": 1 + (i * 7) % 3,
                                          "requestId": f"demo-vote-{i:03d}"})
for i, text in enumerate(["The north courtyard floods in summer; drain it first.",
                          "Keep the south courtyard's old trees.",
                          "Benches for the elderly, whichever comes first."], start=1):
    call("ConsultationService/SubmitOpinion", {"consultationId": consultation["id"],
                                               "householdId": f"demo-hh-{i:03d}",
                                               "text": text,
                                               "requestId": f"demo-opinion-{i:03d}"})
result = call("ConsultationService/GetConsultationResult", {"consultationId": consultation["id"]})
print(f"consultation {consultation['id']}: {result.get('votesCast', 0)} votes, "
      f"{result.get('opinions', 0)} opinions")
