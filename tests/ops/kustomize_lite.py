#!/usr/bin/env python3
"""Renders a kustomization the way `kubectl kustomize` does, for the few
features k8s/ uses (resources, namespace, labels with includeTemplates,
images, JSON 6902 patches and strategic-merge patches that add fields, each
by target kind), so the manifests can be checked where no kubectl is
installed: Debian 12 packages none recent enough. Anything else in a
kustomization is refused, never ignored; the test k8s_renderer_agrees keeps
this equal to kubectl's output wherever kubectl exists.

usage: kustomize_lite.py DIR              (prints the rendered YAML)
       kustomize_lite.py --agree KUBECTL DIR...  (exit 1 unless kubectl
                                                  renders each DIR the same)
"""
import copy
import pathlib
import subprocess
import sys

import yaml

SUPPORTED = {"apiVersion", "kind", "resources", "namespace", "labels", "images", "patches"}
WORKLOADS = {"Deployment", "StatefulSet", "DaemonSet", "Job", "ReplicaSet"}


def load_documents(path):
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc]


def json6902(obj, operations):
    for op in operations:
        if op["op"] not in ("replace", "add"):
            raise ValueError(f"JSON patch op {op['op']} is not supported")
        *parents, last = [p for p in op["path"].split("/") if p]
        node = obj
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        if isinstance(node, list):
            node[int(last)] = op["value"]
        else:
            if op["op"] == "replace" and last not in node:
                raise ValueError(f"replace of missing {op['path']}")
            node[last] = op["value"]


def merge(target, patch, where=""):
    """A strategic-merge patch that only adds or replaces map fields."""
    for key, value in patch.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            merge(target[key], value, f"{where}/{key}")
        elif isinstance(value, list) and key in target:
            raise ValueError(f"merging into the existing list {where}/{key} is not supported")
        else:
            target[key] = copy.deepcopy(value)


def render(directory):
    directory = pathlib.Path(directory)
    kustomization = yaml.safe_load((directory / "kustomization.yaml").read_text())
    unknown = set(kustomization) - SUPPORTED
    if unknown:
        raise ValueError(f"{directory}: kustomization fields {sorted(unknown)} are not supported")
    objects = []
    for resource in kustomization.get("resources", []):
        path = directory / resource
        objects.extend(render(path) if path.is_dir() else load_documents(path))

    for patch in kustomization.get("patches", []):
        kind = patch["target"]["kind"]
        if set(patch["target"]) != {"kind"}:
            raise ValueError(f"{directory}: patch targets other than by kind are not supported")
        for obj in (o for o in objects if o["kind"] == kind):
            if "path" in patch:
                body = yaml.safe_load((directory / patch["path"]).read_text())
                merge(obj, {k: v for k, v in body.items() if k not in ("apiVersion", "kind", "metadata")})
            else:
                json6902(obj, yaml.safe_load(patch["patch"]))

    for label in kustomization.get("labels", []):
        if label.get("includeSelectors"):
            raise ValueError(f"{directory}: labels with includeSelectors are not supported")
        for obj in objects:
            obj["metadata"].setdefault("labels", {}).update(label["pairs"])
            if label.get("includeTemplates") and obj["kind"] in WORKLOADS:
                obj["spec"]["template"]["metadata"].setdefault("labels", {}).update(label["pairs"])
                for claim in obj["spec"].get("volumeClaimTemplates", []):
                    claim["metadata"].setdefault("labels", {}).update(label["pairs"])

    for image in kustomization.get("images", []):
        for obj in (o for o in objects if o["kind"] in WORKLOADS):
            for container in obj["spec"]["template"]["spec"]["containers"]:
                repository = container["image"].split(":")[0]
                if repository == image["name"]:
                    container["image"] = (f"{image.get('newName', repository)}:"
                                          f"{image.get('newTag', 'latest')}")

    if "namespace" in kustomization:
        for obj in objects:
            obj["metadata"]["namespace"] = kustomization["namespace"]
    return objects


def agree(kubectl, directories):
    def key(o):
        return (o["kind"], o["metadata"]["name"])

    disagreements = 0
    for directory in directories:
        done = subprocess.run([kubectl, "kustomize", directory], capture_output=True, text=True,
                              check=True)
        theirs = sorted((d for d in yaml.safe_load_all(done.stdout) if d), key=key)
        ours = sorted(render(directory), key=key)
        if [key(o) for o in theirs] != [key(o) for o in ours]:
            print(f"{directory}: objects differ: kubectl {[key(o) for o in theirs]}, "
                  f"here {[key(o) for o in ours]}", file=sys.stderr)
            disagreements += 1
            continue
        for a, b in zip(theirs, ours):
            if a != b:
                print(f"{directory}: {key(a)} differs:\n kubectl: {a}\n here:    {b}", file=sys.stderr)
                disagreements += 1
        if not disagreements:
            print(f"{directory}: {len(ours)} objects, rendered alike")
    return 1 if disagreements else 0


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "--agree":
        sys.exit(agree(sys.argv[2], sys.argv[3:]))
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    yaml.safe_dump_all(render(sys.argv[1]), sys.stdout, sort_keys=False)
