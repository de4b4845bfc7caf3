#!/usr/bin/env python3
"""Holds the files that name the suite's services to deploy/services.txt:
both Prometheus scrape configurations, the compose file and its database and
env scripts, deploy/up.sh, k8s/base's list, k8s/create-secrets.sh and the
Secrets table of k8s/README.md. Each file that lacks a service, or names one
with other ports, schema or routes, is reported by name, so adding a service
is a line in deploy/services.txt and then following this test's messages.

usage: check_service_list.py REPO_ROOT
"""
import pathlib
import re
import sys

import yaml

import suite_services


def scrape_targets(path):
    config = yaml.safe_load(path.read_text())
    return {j["job_name"]: [t for s in j["static_configs"] for t in s["targets"]]
            for j in config["scrape_configs"] if j["job_name"] != "prometheus"}


def flag(command, name):
    return next((a.split("=", 1)[1] for a in command if a.startswith(f"--{name}=")), None)


def routes(text):
    """The gateway's --routes value in text, as {package: address}."""
    found = re.search(r"--routes=(\S+)", text)
    return dict(r.split("=", 1) for r in found.group(1).split(",")) if found else {}


def expected_routes(services, host):
    return {s.package: f"{host(s)}:{s.grpc}" for s in services}


def check_scrapes(root, services, problems):
    for path, host in (("deploy/prometheus/prometheus.yml", lambda name: "127.0.0.1"),
                       ("deploy/compose/prometheus.yml", lambda name: name)):
        found = scrape_targets(root / path)
        wanted = {s.name: [f"{host(s.name)}:{s.metrics}"] for s in services}
        wanted["gateway"] = [f"{host('gateway')}:{suite_services.GATEWAY['metrics']}"]
        if found != wanted:
            problems.append(f"{path} scrapes {found}, deploy/services.txt says {wanted}")


def check_compose(root, services, problems):
    compose = yaml.safe_load((root / "deploy/compose/compose.yaml").read_text())["services"]
    for s in services:
        command = compose.get(s.name, {}).get("command")
        if not command:
            problems.append(f"deploy/compose/compose.yaml has no service {s.name}")
            continue
        wanted = {"grpc-address": f"0.0.0.0:{s.grpc}", "metrics-address": f"0.0.0.0:{s.metrics}",
                  "db-user": s.name, "db-schema": s.schema}
        wanted.update({f"{callee}-address": f"{callee}:{next(c.grpc for c in services if c.name == callee)}"
                       for callee in s.calls})
        if command[0] != f"grassroots-{s.name}":
            problems.append(f"compose {s.name}: runs {command[0]}, not grassroots-{s.name}")
        for name, value in wanted.items():
            if flag(command, name) != value:
                problems.append(f"compose {s.name}: --{name} is {flag(command, name)}, not {value}")
        if f"{s.name.upper()}_DB_PASSWORD" not in compose["mariadb"]["environment"]:
            problems.append(f"compose: MariaDB is not given {s.name.upper()}_DB_PASSWORD")
    gateway = " ".join(compose["gateway"]["command"])
    if routes(gateway) != expected_routes(services, lambda s: s.name):
        problems.append(f"compose gateway routes {routes(gateway)}, "
                        f"not {expected_routes(services, lambda s: s.name)}")
    init = (root / "deploy/compose/init-databases.sh").read_text()
    created = re.search(r"for service in ([a-z ]+);", init).group(1).split()
    if created != [s.name for s in services]:
        problems.append(f"deploy/compose/init-databases.sh creates {created}")
    env = (root / "deploy/compose/make-env.sh").read_text()
    for s in services:
        for variable in (f"{s.name.upper()}_DB_PASSWORD=", f"{s.name}.admin"):
            if variable not in env:
                problems.append(f"deploy/compose/make-env.sh lacks {variable}")


def check_up(root, services, problems):
    up = (root / "deploy/up.sh").read_text()
    for s in services:
        if not re.search(rf"start_service {s.name} {s.grpc} {s.metrics}\n", up):
            problems.append(f"deploy/up.sh does not start_service {s.name} {s.grpc} {s.metrics}")
        if f"{s.name}.admin" not in up:
            problems.append(f"deploy/up.sh: the operator key lacks {s.name}.admin")
    if routes(up) != expected_routes(services, lambda s: "127.0.0.1"):
        problems.append(f"deploy/up.sh's gateway routes {routes(up)}")


def check_k8s_lists(root, services, problems):
    names = [s.name for s in services]
    base = yaml.safe_load((root / "k8s/base/kustomization.yaml").read_text())["resources"]
    if [r for r in base if r not in ("network", "monitoring", "gateway")] != names:
        problems.append(f"k8s/base/kustomization.yaml lists {base}, services are {names}")
    secrets = (root / "k8s/create-secrets.sh").read_text()
    default = re.search(r"services=\(([a-z ]+)\)", secrets).group(1).split()
    if default != names:
        problems.append(f"k8s/create-secrets.sh creates Secrets for {default} by default")
    readme = (root / "k8s/README.md").read_text()
    for s in services:
        deployment = root / "k8s/base" / s.name / "deployment.yaml"
        uses_key = f"{s.name}-personal-data-key" in deployment.read_text()
        for secret in [f"{s.name}-db"] + ([f"{s.name}-personal-data-key"] if uses_key else []):
            if f"| `{secret}` |" not in readme:
                problems.append(f"k8s/README.md's Secrets table lacks {secret}")


def main(root):
    root = pathlib.Path(root)
    services = suite_services.load(root)
    problems = []
    check_scrapes(root, services, problems)
    check_compose(root, services, problems)
    check_up(root, services, problems)
    check_k8s_lists(root, services, problems)
    for problem in problems:
        print(problem, file=sys.stderr)
    if not problems:
        print(f"{len(services)} services in deploy/services.txt: every file names them alike")
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1]))
