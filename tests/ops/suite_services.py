"""Reads deploy/services.txt, the one list of the suite's services the
operations tests check the deployment files against."""
import pathlib
from dataclasses import dataclass

GATEWAY = {"name": "gateway", "grpc": 7100, "metrics": 9100}


@dataclass(frozen=True)
class Service:
    name: str
    grpc: int
    metrics: int
    schema: str
    calls: tuple

    @property
    def package(self):
        """The proto package the gateway routes to the service."""
        return f"grassroots.{self.name}.v1"


def load(root):
    services = []
    for line in (pathlib.Path(root) / "deploy/services.txt").read_text().splitlines():
        fields = line.split("#", 1)[0].split()
        if not fields:
            continue
        name, grpc, metrics, schema, calls = fields
        services.append(Service(name, int(grpc), int(metrics), schema,
                                tuple() if calls == "-" else tuple(calls.split(","))))
    return services
