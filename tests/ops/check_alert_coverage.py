#!/usr/bin/env python3
"""Fails unless every alert in the rule files fires in a promtool unit test
and has its entry in the runbooks, and no test or runbook names an alert
that no longer exists.

usage: check_alert_coverage.py RULES_DIR TESTS_DIR RUNBOOKS_MD
"""
import pathlib
import re
import sys

import yaml


def alerts(rules_dir):
    found = {}
    for path in sorted(pathlib.Path(rules_dir).glob("*.yml")):
        for group in yaml.safe_load(path.read_text())["groups"] or []:
            for rule in group["rules"]:
                if "alert" in rule:
                    found[rule["alert"]] = rule
    return found


def tested(tests_dir):
    """alert name -> True when some test case expects it to fire."""
    seen = {}
    for path in sorted(pathlib.Path(tests_dir).glob("*.yml")):
        for test in yaml.safe_load(path.read_text())["tests"]:
            for case in test.get("alert_rule_test", []):
                name = case["alertname"]
                seen[name] = seen.get(name, False) or bool(case.get("exp_alerts"))
    return seen


def runbook_entries(runbooks_md):
    text = pathlib.Path(runbooks_md).read_text()
    return set(re.findall(r"^## (Grassroots\w+)\s*$", text, re.MULTILINE))


def main(rules_dir, tests_dir, runbooks_md):
    defined = alerts(rules_dir)
    fires = tested(tests_dir)
    entries = runbook_entries(runbooks_md)
    problems = []
    for name, rule in defined.items():
        if not fires.get(name):
            problems.append(f"{name}: no promtool test case expects it to fire")
        if name not in entries:
            problems.append(f"{name}: no '## {name}' entry in {runbooks_md}")
        want = f"docs/RUNBOOKS.md#{name.lower()}"
        got = rule.get("annotations", {}).get("runbook_url")
        if got != want:
            problems.append(f"{name}: runbook_url is {got!r}, expected {want!r}")
        if rule.get("labels", {}).get("severity") not in ("page", "ticket"):
            problems.append(f"{name}: severity label must be page or ticket")
    for name in sorted(set(fires) - set(defined)):
        problems.append(f"{name}: tested but not defined in {rules_dir}")
    for name in sorted(entries - set(defined)):
        problems.append(f"{name}: runbook entry for an alert that is not defined")
    for problem in problems:
        print(problem, file=sys.stderr)
    if not defined:
        print(f"no alerts found under {rules_dir}", file=sys.stderr)
        return 1
    print(f"{len(defined)} alerts, each tested and with a runbook entry" if not problems else "")
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
