#!/usr/bin/env python3
"""End to end: backup and restore of every service's schema, as
docs/OPERATIONS.md tells an operator to do it. Starts orgs, grid and
volunteer over the test MariaDB (GRASSROOTS_TEST_MARIADB_DIR, the ctest
fixture) and fills them with the demo seeds (deploy/demo), backs each schema
up with deploy/backup/dump-schema.sh while the services run, restores it
into a fresh schema with deploy/backup/restore-schema.sh, and asserts:
every table holds the same rows as the source's; the consistency queries
(deploy/backup/check-<service>.sql, for the services without an invariant
RPC) find nothing; services started on the restored schemas become healthy
(their migrations recognised) and answer the same reads as the originals,
personal data decrypted with the original key; volunteer's CheckInvariants
finds no violation and checks as many records as on the source; a second
restore into the now full schema is refused. Finally it damages each
restored schema and asserts the checks then report it (so they can fail).

usage: backup_restore_e2e.py REPO_ROOT CLI ORGS GRID VOLUNTEER
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

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from local_processes import HarnessDatabase, Processes, free_port  # noqa: E402

SERVICES = ("orgs", "grid", "volunteer")
# Reads whose answers must be the same from the restored services.
READS = {
    "orgs": [("grassroots.orgs.v1.AreaService/ListAreas", {"subtree": True, "pageSize": 1000}),
             ("grassroots.orgs.v1.OrganisationService/ListOrganisations", {"pageSize": 1000}),
             ("grassroots.orgs.v1.ChangeFeedService/ListChanges", {"pageSize": 1000})],
    "grid": [("grassroots.grid.v1.GridService/ListGrids", {"pageSize": 1000}),
             ("grassroots.grid.v1.VisitService/ListOverdueVisits", {"pageSize": 1000})],
    "volunteer": [("grassroots.volunteer.v1.VolunteerService/ListVolunteers", {"pageSize": 1000}),
                  ("grassroots.volunteer.v1.ChangeFeedService/ListChanges", {"pageSize": 1000})],
}
# One damage per schema and what its check must then report.
DAMAGE = {
    "orgs": ("DELETE FROM areas WHERE id = (SELECT parent_id FROM "
             "(SELECT parent_id FROM areas WHERE parent_id IS NOT NULL ORDER BY path LIMIT 1) t)",
             "AREA_PARENT_MISSING"),
    "grid": ("DELETE FROM units WHERE id = (SELECT unit_id FROM "
             "(SELECT unit_id FROM households ORDER BY id LIMIT 1) t)", "HOUSEHOLD_UNIT_MISSING"),
    "volunteer": ("UPDATE accounts SET balance = balance + 1 ORDER BY id LIMIT 1",
                  "BALANCE_NOT_SUM_OF_TRANSFERS"),
}


class Run:
    def __init__(self, root, cli, binaries, work):
        self.root, self.cli, self.binaries = pathlib.Path(root).resolve(), cli, binaries
        self.work = pathlib.Path(work)
        self.db = HarnessDatabase()
        self.env = dict(os.environ, GRASSROOTS_PRINCIPAL_KEY=secrets.token_hex(32))
        # The personal-data keys are part of the backup: the restored
        # services get the same ones.
        self.keys = {name: secrets.token_hex(32) for name in SERVICES}
        self.processes = Processes(cli, work, self.env)
        self.problems = []

    def schema(self, name, copy):
        return f"t_backup_{os.getpid()}_{name}_{copy}"

    def start(self, copy, fresh_schemas, orgs_port=None):
        """The three services over the copy's schemas; their gRPC ports."""
        ports = {}
        for name in SERVICES:
            grpc = free_port()
            schema = self.schema(name, copy)
            db_args = self.db.create(schema) if fresh_schemas else [
                f"--db-port={self.db.port}", "--db-user=root", f"--db-schema={schema}"]
            extra = [f"--orgs-address=127.0.0.1:{ports['orgs']}"] if name == "grid" else []
            self.processes.start(f"{name}-{copy}", [
                self.binaries[name], f"--grpc-address=127.0.0.1:{grpc}",
                f"--metrics-address=127.0.0.1:{free_port()}", "--log-level=warn", *db_args, *extra],
                dict(self.env, GRASSROOTS_PERSONAL_DATA_KEY=self.keys[name]))
            self.processes.wait_healthy(f"{name}-{copy}", grpc)
            ports[name] = grpc
        return ports

    def run(self, args, **kwargs):
        done = subprocess.run(args, env=self.env, capture_output=True, text=True, **kwargs)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(map(str, args[:3]))}: {done.stderr.strip()[-2000:]}")
        return done.stdout

    def seed(self, ports):
        demo = self.root / "deploy/demo"
        target = {name: f"127.0.0.1:{port}" for name, port in ports.items()}
        self.run([self.cli, f"--target={target['orgs']}", "import-areas", str(demo / "areas.csv")])
        self.run(["/usr/bin/python3", demo / "seed_orgs.py", self.cli, target["orgs"]])
        self.run(["/usr/bin/python3", demo / "seed_grid.py", self.cli, target["grid"], target["orgs"]])
        self.run(["/usr/bin/python3", demo / "seed_cases.py", self.cli, target["grid"]])
        self.run(["/usr/bin/python3", demo / "seed_volunteer.py", self.cli, target["volunteer"],
                  target["orgs"]])

    def call(self, port, method, body, roles):
        return json.loads(self.run([self.cli, f"--target=127.0.0.1:{port}", f"--roles={roles}",
                                    "call", method, json.dumps(body)]))

    def invariants(self, port):
        return self.call(port, "grassroots.volunteer.v1.LedgerService/CheckInvariants", {},
                         "volunteer.admin")

    def consistency(self, name, copy):
        """The rules the service's check file reports (volunteer: its RPC's)."""
        if name == "volunteer":
            return None
        check = (self.root / f"deploy/backup/check-{name}.sql").read_text()
        rows = self.run(["mariadb", *self.db.client_args(), "-N", "-B", self.schema(name, copy)],
                        input=check)
        return sorted({line.split("\t")[0] for line in rows.splitlines() if line})

    def checksums(self, schema):
        """table -> (rows, SHA-256 of its rows sorted): what the table holds.
        CHECKSUM TABLE would not do: it differs for equal rows of a table
        with a persistent generated column (orgs' memberships)."""
        tables = self.db.sql(f"SELECT TABLE_NAME FROM information_schema.TABLES WHERE "
                             f"TABLE_SCHEMA = '{schema}' ORDER BY TABLE_NAME").split()
        sums = {}
        for table in tables:
            done = subprocess.run(["mariadb", *self.db.client_args(), "-N", "-B", "-e",
                                   f"SELECT * FROM `{table}`", schema], capture_output=True, check=True)
            rows = sorted(done.stdout.splitlines())  # bytes: the ciphers are binary
            sums[table] = (len(rows), hashlib.sha256(b"\n".join(rows)).hexdigest()[:16])
        return sums

    def expect(self, ok, message):
        if not ok:
            self.problems.append(message)

    def backup_and_restore(self, name):
        dump = self.work / f"{name}.sql"
        with open(dump, "w") as out:
            done = subprocess.run(["bash", self.root / "deploy/backup/dump-schema.sh",
                                   self.schema(name, "source"), *self.db.client_args()],
                                  stdout=out, stderr=subprocess.PIPE, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"dump-schema.sh {name}: {done.stderr}")
        restore = ["bash", self.root / "deploy/backup/restore-schema.sh", self.schema(name, "restored"),
                   *self.db.client_args()]
        self.run(restore, input=dump.read_text())
        source, restored = (self.checksums(self.schema(name, c)) for c in ("source", "restored"))
        self.expect(source and source == restored,
                    f"{name}: restored tables or checksums differ: {source} != {restored}")
        again = subprocess.run(restore, input=dump.read_text(), capture_output=True, text=True)
        self.expect(again.returncode != 0 and "already has" in again.stderr,
                    f"{name}: a restore into a full schema was not refused: {again.stderr}")
        return dump.stat().st_size

    def main(self):
        source = self.start("source", fresh_schemas=True)
        self.seed(source)
        before = self.invariants(source["volunteer"])
        self.expect(not before.get("violations") and int(before.get("transfersChecked", 0)) > 0,
                    f"the seeded ledger is not sound or empty: {before}")
        for name in SERVICES:
            self.expect(self.consistency(name, "source") in (None, []),
                        f"{name}: the source already fails its checks")
        for name in SERVICES:
            size = self.backup_and_restore(name)
            print(f"{name}: {size} bytes dumped and restored")
            self.expect(self.consistency(name, "restored") in (None, []),
                        f"{name}: the restored schema fails {self.consistency(name, 'restored')}")
        restored = self.start("restored", fresh_schemas=False)
        after = self.invariants(restored["volunteer"])
        self.expect(not after.get("violations") and
                    {k: v for k, v in after.items() if k.endswith("Checked")} ==
                    {k: v for k, v in before.items() if k.endswith("Checked")},
                    f"volunteer's invariants after the restore {after}, before {before}")
        roles = {"orgs": "orgs.admin", "grid": "grid.admin", "volunteer": "volunteer.admin"}
        for name, reads in READS.items():
            for method, body in reads:
                a = self.call(source[name], method, body, roles[name])
                b = self.call(restored[name], method, body, roles[name])
                self.expect(a == b and a, f"{name} {method}: the restored service answers differently")
        # The checks fail on a damaged schema.
        for name, (statement, rule) in DAMAGE.items():
            self.db.sql(statement, self.schema(name, "restored"))
            if name == "volunteer":
                rules = [v["rule"] for v in self.invariants(restored["volunteer"]).get("violations", [])]
            else:
                rules = self.consistency(name, "restored")
            self.expect(rule in rules, f"{name}: damage not reported as {rule}: {rules}")
        return self.problems


def main(root, cli, orgs, grid, volunteer):
    work = tempfile.mkdtemp(prefix="grassroots-backup-")
    run = Run(root, cli, {"orgs": orgs, "grid": grid, "volunteer": volunteer}, work)
    problems = ["did not finish"]
    try:
        problems = run.main()
    finally:
        run.processes.stop()
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            run.processes.print_logs(sys.stderr)
        shutil.rmtree(work, ignore_errors=True)
    if not problems:
        print("every schema backed up, restored and checked; the checks catch damage")
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 6:
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
