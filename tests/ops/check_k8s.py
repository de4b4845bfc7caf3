#!/usr/bin/env python3
"""Renders a kustomize overlay with `kubectl kustomize` and asserts what
issue 9 asks of the manifests: gRPC probes on the health service, requests
and limits, non-root read-only containers, headless Services, an HPA, a PDB
and (with a database) a migration Job per service and a database that
takes as many connections as the replicas may open, NetworkPolicies that let
callers reach a service only where its configuration calls it and each
service reach only its own database, monitoring objects, and no Secret.

usage: check_k8s.py KUBECTL OVERLAY_DIR REPO_ROOT
  KUBECTL "-" renders with kustomize_lite.py instead (no kubectl here).
"""
import pathlib
import re
import subprocess
import sys

import yaml

sys.path.insert(0, str(pathlib.Path(__file__).parent))
import suite_services  # noqa: E402

# A pod outside the namespace, and the monitoring namespace's Prometheus.
OUTSIDE = {"namespace": "elsewhere", "labels": {"app": "anything"}}
PROMETHEUS = {"namespace": "monitoring", "labels": {"app.kubernetes.io/name": "prometheus"}}


class Check:
    def __init__(self):
        self.problems = []

    def that(self, ok, message):
        if not ok:
            self.problems.append(message)
        return ok


def render(kubectl, overlay):
    if kubectl == "-":
        import kustomize_lite
        return kustomize_lite.render(overlay)
    done = subprocess.run([kubectl, "kustomize", overlay], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"kubectl kustomize {overlay} failed:\n{done.stderr}")
    out = done.stdout
    return [doc for doc in yaml.safe_load_all(out) if doc]


def of_kind(objects, kind):
    return [o for o in objects if o["kind"] == kind]


def name(o):
    return o["metadata"]["name"]


def matches(selector, labels):
    """A LabelSelector (matchLabels only, as the manifests use) against labels."""
    if selector is None:
        return False
    return all(labels.get(k) == v for k, v in (selector.get("matchLabels") or {}).items())


def port_allowed(rule_ports, port):
    return not rule_ports or any(p.get("port") == port for p in rule_ports)


def peer_matches(peer, pod, namespace):
    """A NetworkPolicyPeer against a pod {namespace, labels}."""
    if "ipBlock" in peer:
        return False
    if "namespaceSelector" in peer:
        ns_ok = matches(peer["namespaceSelector"], {"kubernetes.io/metadata.name": pod["namespace"]})
    else:
        ns_ok = pod["namespace"] == namespace
    return ns_ok and ("podSelector" not in peer or matches(peer["podSelector"], pod["labels"]))


def selects(policy, pod, namespace):
    return pod["namespace"] == namespace and matches(policy["spec"]["podSelector"], pod["labels"])


def direction_allows(policies, direction, subject, peer, port, namespace):
    """Whether the policies selecting `subject` let traffic to/from `peer`."""
    kind, rules_key, peers_key = {
        "in": ("Ingress", "ingress", "from"), "out": ("Egress", "egress", "to")}[direction]
    governing = [p for p in policies
                 if selects(p, subject, namespace) and kind in p["spec"].get("policyTypes", [])]
    if not governing:
        return True
    for policy in governing:
        for rule in policy["spec"].get(rules_key) or []:
            if not port_allowed(rule.get("ports"), port):
                continue
            peers = rule.get(peers_key)
            if not peers or any(peer_matches(p, peer, namespace) for p in peers):
                return True
    return False


def connects(policies, source, dest, port, namespace):
    egress = source["namespace"] != namespace or direction_allows(
        policies, "out", source, dest, port, namespace)
    return egress and direction_allows(policies, "in", dest, source, port, namespace)


def workloads(objects, namespace):
    """name -> {kind, pod spec, pod {namespace, labels}} of every pod template."""
    found = {}
    for o in objects:
        if o["kind"] in ("Deployment", "StatefulSet", "Job"):
            template = o["spec"]["template"]
            found[name(o)] = {"kind": o["kind"], "spec": template["spec"], "object": o,
                              "pod": {"namespace": namespace,
                                      "labels": template["metadata"]["labels"]}}
    return found


def port_named(container, port_name):
    return next((p["containerPort"] for p in container.get("ports", [])
                 if p["name"] == port_name), None)


def check_container(c, where, container):
    res = container.get("resources", {})
    for kind in ("requests", "limits"):
        for resource in ("cpu", "memory"):
            c.that(resource in res.get(kind, {}), f"{where}: no {kind}.{resource}")
    sc = container.get("securityContext", {})
    c.that(sc.get("readOnlyRootFilesystem") is True, f"{where}: root filesystem not read-only")
    c.that(sc.get("allowPrivilegeEscalation") is False, f"{where}: privilege escalation allowed")
    c.that("ALL" in sc.get("capabilities", {}).get("drop", []), f"{where}: capabilities not dropped")
    for env in container.get("env", []):
        if re.search(r"PASSWORD|KEY|SECRET", env["name"]):
            c.that("valueFrom" in env and "secretKeyRef" in env["valueFrom"],
                   f"{where}: {env['name']} is not taken from a Secret")


def check_pod_security(c, where, spec):
    sc = spec.get("securityContext", {})
    c.that(sc.get("runAsNonRoot") is True, f"{where}: runAsNonRoot not set")
    c.that(sc.get("runAsUser", 0) != 0, f"{where}: runs as uid 0")


def secrets_referenced(node):
    """Names of the Secrets env vars and volumes refer to, anywhere in node."""
    names = set()
    if isinstance(node, dict):
        if "secretKeyRef" in node:
            names.add(node["secretKeyRef"]["name"])
        if "secretName" in node:
            names.add(node["secretName"])
        for value in node.values():
            names |= secrets_referenced(value)
    elif isinstance(node, list):
        for value in node:
            names |= secrets_referenced(value)
    return names


def pool_default(root):
    """--db-pool-size's default, from docs/CONFIGURATION.md (which its own
    test holds to what the binaries print)."""
    text = (root / "docs/CONFIGURATION.md").read_text()
    return int(re.search(r"\| `--db-pool-size` \|[^|]*\|[^|]*\| `(\d+)` \|", text).group(1))


def check_connections(c, root, d_name, container, jobs, db, hpas):
    """The database takes every connection the service may open: each
    replica (up to the HPA's maximum) and the migration Job open
    --db-pool-size + 2 (common/server/service_host.cc)."""
    def pool(args):
        size = next((a.split("=", 1)[1] for a in args if a.startswith("--db-pool-size=")), None)
        return (int(size) if size else pool_default(root)) + 2
    replicas = max((h["spec"]["maxReplicas"] for h in hpas
                    if h["spec"]["scaleTargetRef"]["name"] == d_name), default=1)
    needed = replicas * pool(container.get("args", [])) + sum(
        pool(j["spec"]["template"]["spec"]["containers"][0].get("args", [])) for j in jobs)
    db_args = db["spec"]["containers"][0].get("args", [])
    limit = next((int(a.split("=", 1)[1]) for a in db_args if a.startswith("--max-connections=")), 151)
    c.that(needed <= limit, f"{d_name}: up to {needed} connections, its database takes {limit}")


def main(kubectl, overlay, root):
    root = pathlib.Path(root)
    c = Check()
    objects = render(kubectl, overlay)
    namespaces = {o["metadata"].get("namespace") for o in objects}
    c.that(len(namespaces) == 1 and None not in namespaces,
           f"every object needs the overlay's namespace, found {namespaces}")
    namespace = next(iter(namespaces))
    c.that(not of_kind(objects, "Secret"), "a Secret is committed in the manifests")

    pods = workloads(objects, namespace)
    services = of_kind(objects, "Service")
    policies = of_kind(objects, "NetworkPolicy")
    servers = [d for d in of_kind(objects, "Deployment")
               if d["spec"]["template"]["metadata"]["labels"].get(
                   "app.kubernetes.io/component") == "server"]
    c.that(servers, "no server Deployments rendered")

    c.that(any(p["spec"]["podSelector"] == {} and set(p["spec"]["policyTypes"]) ==
               {"Ingress", "Egress"} and not p["spec"].get("ingress") and not p["spec"].get("egress")
               for p in policies), "no default-deny NetworkPolicy")

    for w_name, w in pods.items():
        check_pod_security(c, w_name, w["spec"])
        for container in w["spec"]["containers"]:
            check_container(c, f"{w_name}/{container['name']}", container)

    # The service each server's gRPC port is reached by, host:port.
    grpc_address = {}
    for d in servers:
        d_name = name(d)
        container = d["spec"]["template"]["spec"]["containers"][0]
        labels = d["spec"]["template"]["metadata"]["labels"]
        grpc = port_named(container, "grpc")
        c.that(grpc is not None, f"{d_name}: no container port named grpc")
        c.that(container["image"].split(":")[0].endswith("grassroots"),
               f"{d_name}: not the suite's image")
        for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
            c.that(container.get(probe, {}).get("grpc", {}).get("port") == grpc,
                   f"{d_name}: {probe} is not a gRPC health probe on port {grpc}")
        own = [s for s in services if matches({"matchLabels": s["spec"].get("selector", {})}, labels)
               and s["spec"].get("selector")]
        c.that(len(own) == 1, f"{d_name}: expected one Service, found {[name(s) for s in own]}")
        if own:
            svc = own[0]
            grpc_address[d_name] = f"{name(svc)}:{grpc}"
            c.that({p["name"] for p in svc["spec"]["ports"]} >= {"grpc", "metrics"},
                   f"{d_name}: its Service lacks the grpc or metrics port")
            # The gateway is the front door (a virtual IP for the load
            # balancer); every service behind it is headless.
            if d_name != "gateway":
                c.that(svc["spec"].get("clusterIP") == "None", f"{name(svc)}: not headless")
        c.that(any(h["spec"]["scaleTargetRef"]["name"] == d_name and
                   h["spec"]["scaleTargetRef"]["kind"] == "Deployment" and
                   1 <= h["spec"]["minReplicas"] <= h["spec"]["maxReplicas"]
                   for h in of_kind(objects, "HorizontalPodAutoscaler")), f"{d_name}: no HPA")
        c.that(any(matches(p["spec"]["selector"], labels)
                   for p in of_kind(objects, "PodDisruptionBudget")), f"{d_name}: no PDB")
        metrics = port_named(container, "metrics")
        c.that(connects(policies, PROMETHEUS, pods[d_name]["pod"], metrics, namespace),
               f"{d_name}: Prometheus in `monitoring` cannot scrape port {metrics}")

        schema = next((a.split("=", 1)[1] for a in container.get("args", [])
                       if a.startswith("--db-schema=")), None)
        if schema is None:
            continue
        binary = container["command"][0]
        jobs = [j for j in of_kind(objects, "Job")
                if j["spec"]["template"]["spec"]["containers"][0]["command"][0] == binary]
        c.that(len(jobs) == 1 and "--migrate-only" in
               jobs[0]["spec"]["template"]["spec"]["containers"][0].get("args", []),
               f"{d_name}: no migration Job running {binary} --migrate-only")
        db_host = next(a.split("=", 1)[1] for a in container["args"] if a.startswith("--db-host="))
        db = pods.get(db_host)
        if not c.that(db is not None and db["kind"] == "StatefulSet",
                      f"{d_name}: no database StatefulSet {db_host}"):
            continue
        db_port = port_named(db["spec"]["containers"][0], "mysql")
        check_connections(c, root, d_name, container, jobs, db,
                          of_kind(objects, "HorizontalPodAutoscaler"))
        for w_name, w in pods.items():
            own_pod = w["pod"]["labels"].get("app.kubernetes.io/name") == d_name
            # Each side on its own: the client's egress and the database's ingress.
            for direction, subject, peer in (("out", w["pod"], db["pod"]),
                                             ("in", db["pod"], w["pod"])):
                allowed = direction_allows(policies, direction, subject, peer, db_port, namespace)
                c.that(allowed == own_pod,
                       f"{w_name} {'cannot' if own_pod else 'can'} reach {db_host}:{db_port} "
                       f"({'egress' if direction == 'out' else 'ingress'} policy)")
        c.that(not connects(policies, OUTSIDE, db["pod"], db_port, namespace),
               f"{db_host} is reachable from outside the namespace")

    # Who may call whom: exactly the servers whose arguments name the
    # service's address (the gateway's routes, grid's --orgs-address).
    for d in servers:
        target = name(d)
        if target not in grpc_address:
            continue
        port = int(grpc_address[target].split(":")[1])
        for s in servers:
            caller = name(s)
            if caller == target:
                continue
            args = " ".join(s["spec"]["template"]["spec"]["containers"][0].get("args", []))
            calls = grpc_address[target] in args
            allowed = connects(policies, pods[caller]["pod"], pods[target]["pod"], port, namespace)
            c.that(allowed == calls, f"{caller} {'cannot' if calls else 'can'} call {target}:{port}")
        from_outside = connects(policies, OUTSIDE, pods[target]["pod"], port, namespace)
        c.that(from_outside == (target == "gateway"),
               f"{target}:{port} {'is not' if target == 'gateway' else 'is'} reachable from outside")

    monitors = of_kind(objects, "ServiceMonitor")
    if c.that(len(monitors) == 1, "expected one ServiceMonitor"):
        selector = monitors[0]["spec"]["selector"]
        for d in servers:
            svc = [s for s in services if name(s) == grpc_address.get(name(d), ":").split(":")[0]]
            c.that(svc and matches(selector, svc[0]["metadata"]["labels"]),
                   f"the ServiceMonitor does not select {name(d)}'s Service")
    rules = of_kind(objects, "PrometheusRule")
    if c.that(len(rules) == 1, "expected one PrometheusRule"):
        alerts = {r["alert"] for g in rules[0]["spec"]["groups"] for r in g["rules"] if "alert" in r}
        source = set()
        for path in sorted((root / "deploy/prometheus/rules").glob("*.yml")):
            for group in yaml.safe_load(path.read_text())["groups"] or []:
                source |= {r["alert"] for r in group["rules"] if "alert" in r}
        c.that(alerts == source, f"PrometheusRule alerts {sorted(alerts)} != rule files' {sorted(source)}")

    # The servers are the gateway and deploy/services.txt's services, each
    # on its ports and schema, every one routed by the gateway.
    listed = {s.name: s for s in suite_services.load(root)}
    c.that({name(d) for d in servers} == set(listed) | {"gateway"},
           f"k8s runs {sorted(name(d) for d in servers)}, "
           f"deploy/services.txt lists {sorted(listed)} and the gateway")
    for d in servers:
        s = listed.get(name(d))
        if s is None:
            continue
        container = d["spec"]["template"]["spec"]["containers"][0]
        args = container.get("args", [])
        c.that(grpc_address.get(name(d)) == f"{s.name}:{s.grpc}" and
               port_named(container, "metrics") == s.metrics and f"--db-schema={s.schema}" in args,
               f"{s.name}: not on gRPC {s.grpc}, metrics {s.metrics} and schema {s.schema} "
               "as deploy/services.txt says")
        for callee in s.calls:
            c.that(any(a.startswith(f"--{callee}-address={callee}:") for a in args),
                   f"{s.name}: no --{callee}-address though deploy/services.txt says it calls {callee}")
    gateway = next((d for d in servers if name(d) == "gateway"), None)
    if c.that(gateway is not None, "no gateway Deployment"):
        args = " ".join(gateway["spec"]["template"]["spec"]["containers"][0].get("args", []))
        routed = re.search(r"--routes=(\S+)", args)
        c.that(routed and sorted(routed.group(1).split(",")) ==
               sorted(f"{s.package}={s.name}:{s.grpc}" for s in listed.values()),
               "the gateway's --routes do not route every service of deploy/services.txt")

    readme = (root / "k8s/README.md").read_text()
    for secret in sorted(secrets_referenced(objects)):
        c.that(f"`{secret}`" in readme, f"Secret {secret} is not described in k8s/README.md")

    for problem in c.problems:
        print(f"{overlay}: {problem}", file=sys.stderr)
    if not c.problems:
        print(f"{overlay}: {len(objects)} objects, {len(servers)} servers: all properties hold")
    return 1 if c.problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
