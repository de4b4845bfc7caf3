#!/usr/bin/env python3
"""End to end: starts every service of deploy/services.txt (each given the
addresses of those it calls) and the gateway on free ports over the test
MariaDB (GRASSROOTS_TEST_MARIADB_DIR, the ctest fixture), a real Prometheus
with deploy/prometheus/prometheus.yml pointed at them (scraping and
evaluating every second, the suite's rule files), drives calls through the
gateway for several scrapes (creates, reads, refusals), then asks that
Prometheus every query of every dashboard in deploy/grafana/ and fails
unless each returns data. The services' /metrics also pass
`promtool check metrics`.

usage: dashboards_e2e.py REPO_ROOT PROMETHEUS GATEWAY CLI SERVICE_BINARY...
  A service's binary is grassroots-<its name>.
"""
import hashlib
import json
import os
import pathlib
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

import yaml

sys.path.insert(0, str(pathlib.Path(__file__).parent))
import check_dashboards  # noqa: E402
import suite_services  # noqa: E402
from local_processes import HarnessDatabase, Processes, free_port  # noqa: E402


class Suite:
    def __init__(self, root, binaries, work):
        self.root = pathlib.Path(root).resolve()
        self.prometheus, self.gateway, self.cli, *servers = binaries
        self.binaries = {pathlib.Path(b).name.removeprefix("grassroots-"): b for b in servers}
        self.services = suite_services.load(self.root)
        self.work = pathlib.Path(work)
        self.ports = {name: (free_port(), free_port())
                      for name in [s.name for s in self.services] + ["gateway"]}
        self.http_port = free_port()
        self.prometheus_port = free_port()
        self.env = dict(os.environ, GRASSROOTS_PRINCIPAL_KEY=secrets.token_hex(32))
        self.api_key = secrets.token_hex(16)
        self.processes = Processes(self.cli, self.work, self.env)
        self.start = self.processes.start
        self.db = HarnessDatabase()

    def wait_healthy(self, name):
        self.processes.wait_healthy(name, self.ports[name][0])

    def database(self, name):
        return self.db.create(f"t_dashboards_{os.getpid()}_{name}")

    def start_services(self):
        # deploy/services.txt lists a service after those it calls.
        for s in self.services:
            grpc, metrics = self.ports[s.name]
            calls = [f"--{callee}-address=127.0.0.1:{self.ports[callee][0]}" for callee in s.calls]
            env = dict(self.env, GRASSROOTS_PERSONAL_DATA_KEY=secrets.token_hex(32))
            self.start(s.name, [self.binaries[s.name], f"--grpc-address=127.0.0.1:{grpc}",
                                f"--metrics-address=127.0.0.1:{metrics}", "--log-level=warn",
                                *self.database(s.name), *calls], env)
            self.wait_healthy(s.name)
        keys = self.work / "api-keys"
        digest = hashlib.sha256(self.api_key.encode()).hexdigest()
        roles = ",".join(f"{s.name}.admin" for s in self.services)
        keys.write_text(f"operator {digest} {roles} -\n")
        routes = ",".join(f"{s.package}=127.0.0.1:{self.ports[s.name][0]}" for s in self.services)
        grpc, metrics = self.ports["gateway"]
        self.start("gateway", [
            self.gateway, f"--grpc-address=127.0.0.1:{grpc}",
            f"--http-address=127.0.0.1:{self.http_port}", f"--metrics-address=127.0.0.1:{metrics}",
            f"--routes={routes}",
            f"--api-keys-file={keys}", "--log-level=warn"])
        self.wait_healthy("gateway")

    def start_prometheus(self):
        """deploy/prometheus/prometheus.yml, its targets moved to this run's ports."""
        config = yaml.safe_load((self.root / "deploy/prometheus/prometheus.yml").read_text())
        config["global"].update(scrape_interval="1s", evaluation_interval="1s")
        config["rule_files"] = [str(self.root / "deploy/prometheus/rules/*.yml")]
        metrics = {name: ports[1] for name, ports in self.ports.items()}
        metrics["prometheus"] = self.prometheus_port
        jobs = []
        for job in config["scrape_configs"]:
            if job["job_name"] not in metrics:
                print(f"note: job {job['job_name']} is not started by this test")
                continue
            for static in job["static_configs"]:
                static["targets"] = [f"127.0.0.1:{metrics[job['job_name']]}"]
            jobs.append(job)
        config["scrape_configs"] = jobs
        (self.work / "prometheus.yml").write_text(yaml.safe_dump(config))
        self.start("prometheus", [
            self.prometheus, f"--config.file={self.work / 'prometheus.yml'}",
            f"--storage.tsdb.path={self.work / 'tsdb'}",
            f"--web.listen-address=127.0.0.1:{self.prometheus_port}"])
        for _ in range(150):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.prometheus_port}/-/ready", timeout=1)
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"prometheus not ready: {(self.work / 'prometheus.log').read_text()}")

    def call(self, method, body):
        """A JSON call through the gateway; the HTTP status."""
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.http_port}/{method}", data=json.dumps(body).encode(),
            headers={"content-type": "application/json", "x-api-key": self.api_key})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def traffic(self, rounds):
        """Creates, reads and refusals spread over several scrapes: rates
        and histograms need an increase between two samples."""
        orgs = f"--target=127.0.0.1:{self.ports['orgs'][0]}"
        subprocess.run([self.cli, orgs, "import-areas", str(self.root / "deploy/demo/areas.csv")],
                       env=self.env, check=True, capture_output=True)
        # The business view's figures need cases, points and dual
        # registrations: the demo seeds make them through the services' own
        # APIs.
        target = {name: f"127.0.0.1:{grpc}" for name, (grpc, _) in self.ports.items()}
        for seed, *args in (("seed_grid.py", target["grid"], target["orgs"]),
                            ("seed_cases.py", target["grid"]),
                            ("seed_volunteer.py", target["volunteer"], target["orgs"]),
                            ("seed_dualreg_from_dmetrics.py", target["dualreg"], target["orgs"],
                             target["volunteer"])):
            subprocess.run(["/usr/bin/python3", str(self.root / "deploy/demo" / seed), self.cli,
                            *args], env=self.env, check=True, capture_output=True)
        for n in range(rounds):
            csv = self.work / f"round{n}.csv"
            csv.write_text(f"kind,code,display_name,parent_path\nCOMMUNITY,e2e{n},Round {n},d01/s01\n")
            subprocess.run([self.cli, orgs, "import-areas", str(csv)], env=self.env, check=True,
                           capture_output=True)
            statuses = [self.call("grassroots.orgs.v1.AreaService/ListAreas", {"subtree": True}),
                        self.call("grassroots.orgs.v1.AreaService/GetArea", {"id": "ar_none"}),
                        self.call("grassroots.grid.v1.GridService/ListGrids", {})]
            if statuses != [200, 404, 200]:
                raise RuntimeError(f"unexpected answers {statuses}")
            time.sleep(1.5)

    def lint_metrics(self):
        """promtool's naming checks (`_total`, `_seconds`, ...) on every
        endpoint as it is after the traffic; the problems found."""
        promtool = str(pathlib.Path(self.prometheus).with_name("promtool"))
        problems = []
        for name, (_, metrics) in self.ports.items():
            with urllib.request.urlopen(f"http://127.0.0.1:{metrics}/metrics", timeout=10) as r:
                text = r.read()
            done = subprocess.run([promtool, "check", "metrics"], input=text, capture_output=True)
            lint = (done.stdout + done.stderr).decode().strip()
            if done.returncode != 0 or lint:
                problems.append(f"{name}'s /metrics: {lint}")
        return problems

    def stop(self):
        self.processes.stop()


def main(root, *binaries):
    work = tempfile.mkdtemp(prefix="grassroots-dashboards-")
    suite = Suite(root, binaries, work)
    result = 1
    try:
        suite.start_services()
        suite.start_prometheus()
        suite.traffic(rounds=6)
        result = check_dashboards.main(
            ["check_dashboards.py", str(pathlib.Path(root) / "deploy/grafana"),
             f"http://127.0.0.1:{suite.prometheus_port}", "60"])
        for problem in suite.lint_metrics():
            print(problem, file=sys.stderr)
            result = 1
        return result
    finally:
        suite.stop()
        if result != 0:
            suite.processes.print_logs(sys.stderr)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) < 6:
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
