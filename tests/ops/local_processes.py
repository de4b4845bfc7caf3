"""The processes an end-to-end ops test starts (services on free loopback
ports over the ctest MariaDB, GRASSROOTS_TEST_MARIADB_DIR), each stopped by
its own handle when the test ends."""
import os
import pathlib
import signal
import socket
import subprocess
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class HarnessDatabase:
    """The ctest fixture's MariaDB, reached as root over loopback."""

    def __init__(self):
        self.port = (pathlib.Path(os.environ["GRASSROOTS_TEST_MARIADB_DIR"]) / "port").read_text().strip()

    def client_args(self):
        return ["--no-defaults", "-h127.0.0.1", f"-P{self.port}", "-uroot"]

    def sql(self, statement, schema=None):
        """Runs statement; the rows, tab separated, without a header."""
        done = subprocess.run(["mariadb", *self.client_args(), "-N", "-B", "-e", statement,
                               *([schema] if schema else [])], capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"{statement}: {done.stderr.strip()}")
        return done.stdout

    def create(self, schema):
        self.sql(f"CREATE DATABASE {schema} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin")
        return [f"--db-port={self.port}", "--db-user=root", f"--db-schema={schema}"]


class Processes:
    def __init__(self, cli, work, env):
        self.cli, self.work, self.env = cli, pathlib.Path(work), env
        self.children = []

    def start(self, name, args, env=None):
        log = open(self.work / f"{name}.log", "w")
        self.children.append((name, subprocess.Popen(
            args, env=env or self.env, stdin=subprocess.DEVNULL, stdout=log,
            stderr=subprocess.STDOUT)))

    def wait_healthy(self, name, grpc_port):
        for _ in range(150):
            done = subprocess.run([self.cli, f"--target=127.0.0.1:{grpc_port}", "health"],
                                  capture_output=True, text=True)
            if done.returncode == 0:
                return
            time.sleep(0.2)
        raise RuntimeError(f"{name} did not become healthy: {(self.work / f'{name}.log').read_text()}")

    def stop(self):
        for _, child in reversed(self.children):
            child.send_signal(signal.SIGTERM)
        for _, child in reversed(self.children):
            try:
                child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                child.kill()
        self.children = []

    def print_logs(self, out):
        for log in sorted(self.work.glob("*.log")):
            print(f"--- {log.name}\n{log.read_text()[-3000:]}", file=out)
