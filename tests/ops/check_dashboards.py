#!/usr/bin/env python3
"""Checks the Grafana dashboards in deploy/grafana/: well formed (unique
panel ids, every query on the `datasource` variable, only variables the
dashboard defines), and, given a Prometheus, that every panel's query
returns data there.

usage: check_dashboards.py DASHBOARD_DIR [PROMETHEUS_URL [SECONDS]]
  With a URL each query is retried until it returns data or SECONDS pass.
"""
import json
import pathlib
import re
import sys
import time
import urllib.parse
import urllib.request

# What Grafana puts for the variables when "All" is chosen.
ALL_VALUES = {"job": ".+"}


def queries(dashboard):
    """(panel title, expr) of every target of every panel."""
    for panel in dashboard["panels"]:
        for target in panel.get("targets", []):
            yield panel["title"], target["expr"]


def check_shape(path, dashboard, problems):
    ids = [p["id"] for p in dashboard["panels"]]
    if len(ids) != len(set(ids)):
        problems.append(f"{path.name}: panel ids repeat")
    variables = {v["name"] for v in dashboard["templating"]["list"]}
    if "datasource" not in variables:
        problems.append(f"{path.name}: no datasource variable")
    for panel in dashboard["panels"]:
        if panel["type"] in ("row", "text"):
            continue
        if not panel.get("targets"):
            problems.append(f"{path.name}: panel {panel['title']!r} has no query")
        for target in panel.get("targets", []):
            if target.get("datasource", {}).get("uid") != "${datasource}":
                problems.append(f"{path.name}: {panel['title']!r} is not on ${{datasource}}")
            for used in re.findall(r"\$(\w+)", target["expr"]):
                if used not in variables:
                    problems.append(f"{path.name}: {panel['title']!r} uses undefined ${used}")


def instant(url, expr):
    query = urllib.parse.urlencode({"query": expr})
    with urllib.request.urlopen(f"{url}/api/v1/query?{query}", timeout=10) as response:
        body = json.load(response)
    if body["status"] != "success":
        raise ValueError(body.get("error", body))
    return body["data"]["result"]


def check_live(url, dashboards, seconds, problems):
    pending = [(path.name, title, expr) for path, d in dashboards for title, expr in queries(d)]
    deadline = time.monotonic() + seconds
    errors = {}
    while pending:
        still = []
        for name, title, expr in pending:
            concrete = re.sub(r"\$(\w+)", lambda m: ALL_VALUES.get(m.group(1), m.group(0)), expr)
            try:
                if instant(url, concrete):
                    continue
            except (ValueError, OSError) as error:
                errors[expr] = str(error)
            still.append((name, title, expr))
        pending = still
        if not pending or time.monotonic() > deadline:
            break
        time.sleep(2)
    for name, title, expr in pending:
        why = errors.get(expr, "no data")
        problems.append(f"{name}: panel {title!r}: {expr} -> {why}")
    return len([q for _, d in dashboards for q in queries(d)])


def main(argv):
    if len(argv) not in (2, 3, 4):
        sys.exit(__doc__)
    directory = pathlib.Path(argv[1])
    dashboards = [(p, json.loads(p.read_text())) for p in sorted(directory.glob("*.json"))]
    problems = []
    if not dashboards:
        problems.append(f"no dashboards in {directory}")
    for path, dashboard in dashboards:
        check_shape(path, dashboard, problems)
    checked = "shape only"
    if len(argv) >= 3 and not problems:
        count = check_live(argv[2], dashboards, float(argv[3]) if len(argv) == 4 else 60, problems)
        checked = f"{count} queries returned data from {argv[2]}"
    for problem in problems:
        print(problem, file=sys.stderr)
    if not problems:
        print(f"{len(dashboards)} dashboards: {checked}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
