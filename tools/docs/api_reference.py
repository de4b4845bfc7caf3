#!/usr/bin/env python3
"""Writes docs/API.md, the API reference, from a descriptor set that protoc
wrote with --include_source_info (the build does, see protos/CMakeLists.txt):
every service, method, message, field and enum of the suite's protos with
their comments, and the roles allowed to call each method (the method option
grassroots.common.v1.access). The protos are the one source; this file only
lays them out.

usage: api_reference.py DESCRIPTOR_SET OUTPUT
       api_reference.py --check DESCRIPTOR_SET COMMITTED
  --check: write nothing; exit 1 when COMMITTED is not what this would write.
"""
import pathlib
import sys

from google.protobuf import descriptor_pb2

from generated_file import write_or_check

ACCESS_OPTION = 51001  # grassroots.common.v1.access, on MethodOptions
F = descriptor_pb2.FieldDescriptorProto
SCALARS = {
    F.TYPE_DOUBLE: "double", F.TYPE_FLOAT: "float", F.TYPE_INT64: "int64",
    F.TYPE_UINT64: "uint64", F.TYPE_INT32: "int32", F.TYPE_FIXED64: "fixed64",
    F.TYPE_FIXED32: "fixed32", F.TYPE_BOOL: "bool", F.TYPE_STRING: "string",
    F.TYPE_BYTES: "bytes", F.TYPE_UINT32: "uint32", F.TYPE_SFIXED32: "sfixed32",
    F.TYPE_SFIXED64: "sfixed64", F.TYPE_SINT32: "sint32", F.TYPE_SINT64: "sint64",
}
# Source-info paths: the field numbers of FileDescriptorProto and its parts.
MESSAGES, ENUMS, SERVICES = 4, 5, 6
FIELDS, NESTED, NESTED_ENUMS, VALUES, METHODS = 2, 3, 4, 2, 2

HEADER = """# API reference

Generated from the protos' comments (`protos/grassroots/`) by
`tools/docs/api_reference.py`; do not edit. The build writes
`build/docs/API.md`, and the ctest entry `api_reference_fresh` fails when this
file differs from it: regenerate with

    cmake --build build --target api_reference && cp build/docs/API.md docs/API.md

Every method is reachable through the gateway over gRPC, and the unary ones
as JSON too (`POST /<package>.<Service>/<Method>`, see the README). **Roles** are the
method's `(grassroots.common.v1.access)` option: the caller needs one of
them (the gateway refuses a method that declares none). Field names are
shown as in the protos; JSON uses their lowerCamelCase form.
"""


def varint(data, i):
    value = shift = 0
    while True:
        byte = data[i]
        i += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, i


def fields_of(data):
    """(number, wire type, value) of every field in serialized data."""
    i = 0
    while i < len(data):
        key, i = varint(data, i)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, i = varint(data, i)
        elif wire == 1:
            value, i = data[i:i + 8], i + 8
        elif wire == 2:
            length, i = varint(data, i)
            value, i = data[i:i + length], i + length
        elif wire == 5:
            value, i = data[i:i + 4], i + 4
        else:
            raise ValueError(f"unexpected wire type {wire}")
        yield number, wire, value


def roles(method):
    """The roles of the access option, read from the options' bytes: the
    option is an extension this script has no generated code for."""
    found = []
    for number, wire, value in fields_of(method.options.SerializeToString()):
        if number == ACCESS_OPTION and wire == 2:
            found += [v.decode() for n, w, v in fields_of(value) if n == 1 and w == 2]
    return found


class Comments:
    def __init__(self, file):
        self.by_path = {tuple(loc.path): loc for loc in file.source_code_info.location}

    def get(self, path):
        loc = self.by_path.get(tuple(path))
        if loc is None:
            return ""
        lines = [line[1:] if line.startswith(" ") else line
                 for line in loc.leading_comments.rstrip().split("\n")]
        text = "\n".join(lines).strip()
        trailing = loc.trailing_comments.strip()
        return f"{text}\n\n{trailing}".strip() if trailing else text


def one_line(text):
    return " ".join(text.split()).replace("|", "\\|")


def anchor(full_name):
    return full_name.lstrip(".").replace(".", "-").lower()


class Reference:
    def __init__(self, descriptor_set):
        self.files = [f for f in descriptor_set.file if f.name.startswith("grassroots/")]
        self.documented = set()
        self.maps = {}
        for f in self.files:
            for message in f.message_type:
                self.index(f".{f.package}", message)
            for enum in f.enum_type:
                self.documented.add(f".{f.package}.{enum.name}")

    def index(self, scope, message):
        name = f"{scope}.{message.name}"
        if message.options.map_entry:
            self.maps[name] = message
            return
        self.documented.add(name)
        for nested in message.nested_type:
            self.index(name, nested)
        for enum in message.enum_type:
            self.documented.add(f"{name}.{enum.name}")

    def type_name(self, field):
        if field.type in SCALARS:
            return SCALARS[field.type]
        if field.type_name in self.maps:
            key, value = self.maps[field.type_name].field
            return f"map<{self.type_name(key)}, {self.type_name(value)}>"
        short = field.type_name.lstrip(".")
        if field.type_name in self.documented:
            return f"[`{short.rsplit('.', 1)[-1]}`](#{anchor(short)})"
        return f"`{short}`"

    def label(self, message, field):
        if field.type_name in self.maps:
            return "map"
        if field.label == F.LABEL_REPEATED:
            return "repeated"
        if field.proto3_optional:
            return "optional"
        if field.HasField("oneof_index"):
            return f"oneof `{message.oneof_decl[field.oneof_index].name}`"
        return ""

    def render(self):
        out = [HEADER, "## Contents\n"]
        packages = {}
        for f in self.files:
            packages.setdefault(f.package, []).append(f)
        for package, files in packages.items():
            services = [s.name for f in files for s in f.service]
            listed = ", ".join(f"[`{s}`](#{anchor(f'{package}.{s}')})" for s in services)
            out.append(f"- [`{package}`](#{anchor(package)})" + (f": {listed}" if listed else ""))
        out.append("")
        for package, files in packages.items():
            out.append(f"<a id=\"{anchor(package)}\"></a>\n\n## Package `{package}`\n")
            for f in files:
                comments = Comments(f)
                for i, service in enumerate(f.service):
                    self.service(out, f, comments, i, service)
            for f in files:
                comments = Comments(f)
                for i, message in enumerate(f.message_type):
                    self.message(out, f.package, comments, [MESSAGES, i], message)
                for i, enum in enumerate(f.enum_type):
                    self.enum(out, f.package, comments, [ENUMS, i], enum)
        return "\n".join(out).rstrip() + "\n"

    def service(self, out, f, comments, i, service):
        full = f"{f.package}.{service.name}"
        out.append(f"<a id=\"{anchor(full)}\"></a>\n\n### Service `{service.name}`\n")
        out.append(f"`{full}`, in `{f.name}`.\n")
        text = comments.get([SERVICES, i])
        if text:
            out.append(text + "\n")
        out.append("| method | request | response | roles |")
        out.append("|---|---|---|---|")
        for j, method in enumerate(service.method):
            request = ("stream " if method.client_streaming else "") + self.type_name(
                F(type=F.TYPE_MESSAGE, type_name=method.input_type))
            response = ("stream " if method.server_streaming else "") + self.type_name(
                F(type=F.TYPE_MESSAGE, type_name=method.output_type))
            allowed = ", ".join(f"`{r}`" for r in roles(method)) or "none (refused)"
            out.append(f"| [`{method.name}`](#{anchor(f'{full}.{method.name}')}) | {request} | "
                       f"{response} | {allowed} |")
        out.append("")
        for j, method in enumerate(service.method):
            out.append(f"<a id=\"{anchor(f'{full}.{method.name}')}\"></a>\n\n"
                       f"#### `{service.name}.{method.name}`\n")
            streaming = method.client_streaming or method.server_streaming
            edge = "gRPC only (streaming)" if streaming else f"`POST /{full}/{method.name}`"
            out.append(f"{edge}. Roles: "
                       + (", ".join(f"`{r}`" for r in roles(method)) or "none (refused)") + ".\n")
            text = comments.get([SERVICES, i, METHODS, j])
            if text:
                out.append(text + "\n")

    def message(self, out, scope, comments, path, message):
        full = f"{scope}.{message.name}"
        if f".{full}" in self.maps:
            return
        out.append(f"<a id=\"{anchor(full)}\"></a>\n\n### Message `{full.split('.', 3)[-1]}`\n")
        text = comments.get(path)
        if text:
            out.append(text + "\n")
        if message.field:
            out.append("| field | number | type | label | description |")
            out.append("|---|---|---|---|---|")
            for k, field in enumerate(message.field):
                out.append(f"| `{field.name}` | {field.number} | {self.type_name(field)} | "
                           f"{self.label(message, field)} | "
                           f"{one_line(comments.get(path + [FIELDS, k]))} |")
            out.append("")
        else:
            out.append("No fields.\n")
        for k, nested in enumerate(message.nested_type):
            self.message(out, full, comments, path + [NESTED, k], nested)
        for k, enum in enumerate(message.enum_type):
            self.enum(out, full, comments, path + [NESTED_ENUMS, k], enum)

    def enum(self, out, scope, comments, path, enum):
        full = f"{scope}.{enum.name}"
        out.append(f"<a id=\"{anchor(full)}\"></a>\n\n### Enum `{full.split('.', 3)[-1]}`\n")
        text = comments.get(path)
        if text:
            out.append(text + "\n")
        out.append("| value | number | description |")
        out.append("|---|---|---|")
        for k, value in enumerate(enum.value):
            out.append(f"| `{value.name}` | {value.number} | "
                       f"{one_line(comments.get(path + [VALUES, k]))} |")
        out.append("")


def main(argv):
    check = argv[:1] == ["--check"]
    if check:
        argv = argv[1:]
    if len(argv) != 2:
        sys.exit(__doc__)
    descriptor_set = descriptor_pb2.FileDescriptorSet.FromString(pathlib.Path(argv[0]).read_bytes())
    return write_or_check(argv[1], Reference(descriptor_set).render(), check,
                          "cmake --build build --target api_reference && "
                          "cp build/docs/API.md docs/API.md")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
