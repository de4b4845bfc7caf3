#!/usr/bin/env python3
"""Asserts what issue 9 asks of the container build and the compose file
where neither can run (no Docker daemon or compose plugin here): a
multi-stage Dockerfile on Debian 12 whose final stage runs as a non-root user
and installs only the shared libraries the binaries load, and a compose file
whose servers are non-root and read-only, take secrets only from the env
file, and match the Prometheus scrape configurations.

usage: check_containers.py REPO_ROOT BINARY...
"""
import pathlib
import re
import subprocess
import sys

import yaml

BUILD_TOOLS = re.compile(r"(^|-)dev$|^(build-essential|cmake|ninja-build|g\+\+.*|gcc.*|clang.*|"
                         r"cpp.*|protobuf-compiler.*|binutils.*|make)$")


def stages(dockerfile):
    """[(FROM line, [instructions])] with continuation lines joined."""
    text = re.sub(r"\\\n", " ", dockerfile)
    result = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.upper().startswith("FROM "):
            result.append((line, []))
        elif result:
            result[-1][1].append(line)
    return result


def check_dockerfile(root, binaries, problems):
    built = stages((root / "Dockerfile").read_text())
    if len(built) < 2:
        problems.append("Dockerfile: not multi-stage")
        return
    for line, _ in built:
        if not re.match(r"FROM debian:12(-slim)?\b", line):
            problems.append(f"Dockerfile: a stage not on Debian 12: {line}")
    final = built[-1][1]
    users = [i.split()[1] for i in final if i.upper().startswith("USER ")]
    if not users or users[-1].split(":")[0] in ("0", "root"):
        problems.append("Dockerfile: the final stage does not switch to a non-root user")
    runs = " ".join(i for i in final if i.upper().startswith("RUN "))
    if "install-deps.sh" in runs or re.search(r"apt-get install[^&]*\b(build-essential|cmake)\b", runs):
        problems.append("Dockerfile: the final stage installs build tools")
    if "runtime-packages.txt" not in runs:
        problems.append("Dockerfile: the final stage does not install the runtime package list")
    # What the final stage installs, from the binaries built here.
    listed = subprocess.run(["bash", str(root / "deploy/container/runtime-packages.sh"), *binaries],
                            capture_output=True, text=True)
    if listed.returncode != 0:
        problems.append(f"runtime-packages.sh failed: {listed.stderr.strip()}")
        return
    packages = listed.stdout.split()
    if not any(p.startswith("libgrpc++") for p in packages):
        problems.append(f"runtime-packages.sh missed gRPC: {packages}")
    tools = [p for p in packages if BUILD_TOOLS.search(p)]
    if tools:
        problems.append(f"the final stage would install build packages: {tools}")


def flag(command, name):
    return next((a.split("=", 1)[1] for a in command if a.startswith(f"--{name}=")), None)


def scrape_jobs(path):
    config = yaml.safe_load(path.read_text())
    return {j["job_name"]: [t for s in j["static_configs"] for t in s["targets"]]
            for j in config["scrape_configs"] if j["job_name"] != "prometheus"}


def check_compose(root, problems):
    compose_dir = root / "deploy/compose"
    compose = yaml.safe_load((compose_dir / "compose.yaml").read_text())
    services = compose["services"]
    servers = {n: s for n, s in services.items() if "grassroots" in str(s.get("image", ""))}
    if not servers:
        problems.append("compose: no service runs the grassroots image")
    for name, s in servers.items():
        if str(s.get("user", "0")).split(":")[0] in ("0", "root"):
            problems.append(f"compose {name}: runs as root")
        if s.get("read_only") is not True:
            problems.append(f"compose {name}: root filesystem not read-only")
        if "ALL" not in s.get("cap_drop", []):
            problems.append(f"compose {name}: capabilities not dropped")
    for name, s in services.items():
        for variable, value in (s.get("environment") or {}).items():
            if re.search(r"PASSWORD|KEY|SECRET", variable) and \
                    not re.fullmatch(r"\$\{[A-Z0-9_]+:\?[^}]*\}", str(value)):
                problems.append(f"compose {name}: {variable} is not taken from the env file")
        for port in s.get("ports", []):
            if not str(port).startswith("127.0.0.1:"):
                problems.append(f"compose {name}: port {port} published beyond loopback")
    if compose["networks"].get("database", {}).get("internal") is not True:
        problems.append("compose: the database network is not internal")
    if services["mariadb"]["networks"] != ["database"]:
        problems.append("compose: MariaDB is on a network other than `database`")

    # The same services everywhere: the compose servers, both scrape
    # configurations (with the compose addresses), the databases created.
    local = scrape_jobs(root / "deploy/prometheus/prometheus.yml")
    in_compose = scrape_jobs(compose_dir / "prometheus.yml")
    if set(servers) != set(local) or set(servers) != set(in_compose):
        problems.append(f"compose runs {sorted(servers)}, deploy/prometheus scrapes {sorted(local)}, "
                        f"compose's Prometheus {sorted(in_compose)}")
    init = (compose_dir / "init-databases.sh").read_text()
    created = set(re.search(r"for service in ([a-z ]+);", init).group(1).split())
    for name, s in servers.items():
        metrics = flag(s["command"], "metrics-address")
        if metrics and in_compose.get(name) != [f"{name}:{metrics.rsplit(':', 1)[1]}"]:
            problems.append(f"compose's Prometheus does not scrape {name} at its --metrics-address")
        user = flag(s["command"], "db-user")
        if user and user not in created:
            problems.append(f"init-databases.sh creates no user {user} for {name}")
        if user and f"{user.upper()}_DB_PASSWORD" not in services["mariadb"]["environment"]:
            problems.append(f"MariaDB is not given {user.upper()}_DB_PASSWORD")


def main(root, binaries):
    root = pathlib.Path(root)
    problems = []
    check_dockerfile(root, binaries, problems)
    check_compose(root, problems)
    for problem in problems:
        print(problem, file=sys.stderr)
    if not problems:
        print("Dockerfile and compose file: all properties hold")
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2:]))
