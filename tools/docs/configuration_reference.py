#!/usr/bin/env python3
"""Writes docs/CONFIGURATION.md, every option of the gateway and of each
service, from what the binaries themselves print for `--help` (the options
they parse, common/config), so the reference cannot drift from the code.

usage: configuration_reference.py OUTPUT GATEWAY SERVICE_BINARY...
       configuration_reference.py --check COMMITTED GATEWAY SERVICE_BINARY...
  A service's name is its binary's without the grassroots- prefix.
  --check: write nothing; exit 1 when COMMITTED is not what this would write.
"""
import pathlib
import re
import subprocess
import sys

from generated_file import write_or_check

ENTRY = re.compile(r"^  --(?P<name>[a-z0-9-]+)=(?P<kind>[A-Z]+) \((?P<env>[A-Z0-9_]+)\)"
                   r"(?: default (?P<default>.*?))?(?P<required> required)?(?P<secret> secret)?$")

HEADER = """# Configuration reference

Generated from the binaries' `--help` by
`tools/docs/configuration_reference.py`;
do not edit. The ctest entry `configuration_reference_fresh` fails when this
file differs from what the binaries print: regenerate with

    cmake --build build --target configuration_reference && cp build/docs/CONFIGURATION.md docs/CONFIGURATION.md

Every option is a flag `--name=value` or an environment variable
`GRASSROOTS_NAME` (`-` as `_`); a flag beats the variable, which beats the
default. Unknown flags, malformed numbers and a missing required option stop
the process with a one-line reason that names the option; the effective
configuration is logged at start with secrets masked. Pass secrets through
the environment (a flag shows in the process list). `--help` prints this
list for one binary.
"""


def options(binary):
    done = subprocess.run([binary, "--help"], capture_output=True, text=True, timeout=30)
    if done.returncode != 0:
        sys.exit(f"{binary} --help failed ({done.returncode}): {done.stderr.strip()}")
    lines = done.stdout.splitlines()[1:]
    found = []
    for entry, help_line in zip(lines[0::2], lines[1::2]):
        match = ENTRY.match(entry)
        if not match:
            sys.exit(f"{binary} --help: cannot read {entry!r}")
        found.append({**match.groupdict(), "help": help_line.strip()})
    return found


def cell(text):
    return (text or "").replace("|", "\\|")


def marks(option):
    return ", ".join(m for m in ("required" if option["required"] else "",
                                 "secret" if option["secret"] else "") if m)


def table(rows, default_of):
    out = ["| flag | variable | type | default | | meaning |", "|---|---|---|---|---|---|"]
    for o in rows:
        default = default_of(o)
        out.append(f"| `--{o['name']}` | `{o['env']}` | {o['kind'].lower()} | "
                   f"{f'`{cell(default)}`' if default else ''} | {marks(o)} | {cell(o['help'])} |")
    return "\n".join(out) + "\n"


def render(gateway, services):
    by_service = {name: {o["name"]: o for o in options(binary)} for name, binary in services}
    names = [name for name, _ in services]
    # Common: every service takes it, with the same meaning (a key for each
    # service's own personal data is listed per service).
    common = [o for o in by_service[names[0]].values()
              if all(by_service[n].get(o["name"], {}).get("help") == o["help"] for n in names)]
    out = [HEADER, "## Options every service takes\n",
           f"The services: {', '.join(f'`{n}`' for n in names)}. A default that differs "
           "per service is listed for each.\n"]

    def common_default(o):
        defaults = {n: by_service[n][o["name"]]["default"] for n in names}
        if len(set(defaults.values())) == 1:
            return defaults[names[0]]
        return "; ".join(f"{n}: {d}" for n, d in defaults.items())

    out.append(table(common, common_default))
    for name in names:
        own = [o for o in by_service[name].values()
               if o["name"] not in {c["name"] for c in common}]
        out.append(f"## `grassroots-{name}`\n")
        if own:
            out.append(f"Besides the options above:\n\n{table(own, lambda o: o['default'])}")
        else:
            out.append("The options above only.\n")
    out.append("## `grassroots-gateway`\n")
    out.append(table(options(gateway), lambda o: o["default"]))
    return "\n".join(out).rstrip() + "\n"


def main(argv):
    check = argv[:1] == ["--check"]
    if check:
        argv = argv[1:]
    if len(argv) < 3:
        sys.exit(__doc__)
    target, gateway, binaries = argv[0], argv[1], argv[2:]
    services = [(pathlib.Path(b).name.removeprefix("grassroots-"), b) for b in binaries]
    return write_or_check(target, render(gateway, services), check,
                          "cmake --build build --target configuration_reference && "
                          "cp build/docs/CONFIGURATION.md docs/CONFIGURATION.md")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
