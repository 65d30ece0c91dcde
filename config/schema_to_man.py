#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Writes the man page piogate.json(5) from config/piogate.schema.json.

    /usr/bin/python3 config/schema_to_man.py           rewrite debian/man/piogate.json.5
    /usr/bin/python3 config/schema_to_man.py --check   exit 1 if the page is not what the
                                                       schema gives (or a key lacks a
                                                       description), 0 otherwise

Every key of the file becomes one entry, named by its path (mqtt.tls.ca_file, sensors[].bus),
with the schema's "description" and the facts the schema states: type, allowed values, range,
default, whether it is required. A key without a description is an error naming its path, so
a key added to the schema without one fails the check (tests/integration/test_man_page.py).
Keys of maps with free names (ws_headers, a deadband object, IIO channels) are described by
their parent. A definition with keys that is used in several places is spelled out at its first
use; later uses point there. Python 3 standard library only.
"""
import json
import os
import re
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
SCHEMA = os.path.join(ROOT, "config", "piogate.schema.json")
PAGE = os.path.join(ROOT, "debian", "man", "piogate.json.5")

INTRO = r""".SH NAME
piogate.json \- configuration file of the piogate MQTT gateway
.SH SYNOPSIS
.I /etc/piogate/config.json
.SH DESCRIPTION
.BR piogate (1)
reads one JSON object from the file given with
.BR \-c ,
by default
.IR /etc/piogate/config.json .
Every section and key is optional unless marked
.BR required ;
a key the daemon does not know is an error, and so is a key given twice in one object.
The file is validated as a whole before anything starts, and again on every reload
(SIGHUP,
.BR "systemctl reload piogate" );
.B piogate \-\-check\-config
runs the same validation and names the JSON path of the first error.
It also checks what this page cannot state: duplicate ids, a GPIO line claimed twice,
two sensors at one bus address, the files named.
.PP
Keys are named below by their path: a section, then
.B []
for each element of an array, then the key.
Numbers are JSON numbers; where an integer is asked for, write one without a fraction.
Durations are in the unit their name ends with
.RB ( _s
seconds,
.B _ms
milliseconds).
.PP
This page is generated from the JSON Schema of the file,
.IR /usr/share/doc/piogate/examples/piogate.schema.json ,
which editors can use for completion and checking as you type.
"""

OUTRO = r""".SH FILES
.TP
.I /etc/piogate/config.json
The configuration of the service.
.TP
.I /usr/share/doc/piogate/examples/
.B example.json
(every section, for a real board),
.B demo.json
(the simulated board) and
.BR piogate.schema.json .
.SH SEE ALSO
.BR piogate (1),
.BR piogate\-pub (1),
.BR piogate\-sub (1).
"""


class schema_error(Exception):
    pass


def load_schema(path=SCHEMA):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def project_version():
    with open(os.path.join(ROOT, "CMakeLists.txt"), encoding="utf-8") as f:
        m = re.search(r"project\(piogate VERSION ([0-9.]+)", f.read())
    return m.group(1) if m else "0"


def roff_text(text):
    """Text for a roff text line: backslashes, hyphens and non-ASCII escaped, no leading dot."""
    out = []
    for ch in text:
        if ch == "\\":
            out.append("\\e")
        elif ch == "-":
            out.append("\\-")
        elif ord(ch) > 126:
            out.append("\\[u%04X]" % ord(ch))
        else:
            out.append(ch)
    s = "".join(out)
    return "\\&" + s if s[:1] in (".", "'") else s


def json_value(v):
    return json.dumps(v, ensure_ascii=False)


class walker:
    def __init__(self, schema):
        self.schema = schema
        self.missing = []      # paths of keys without a description
        self.expanded = {}     # definition name -> path where its keys were spelled out

    def ref_target(self, ref):
        if not ref.startswith("#/definitions/"):
            raise schema_error("unsupported $ref %s" % ref)
        name = ref[len("#/definitions/"):]
        if name not in self.schema.get("definitions", {}):
            raise schema_error("$ref to a missing definition: %s" % ref)
        return name, self.schema["definitions"][name]

    def resolve(self, node):
        """node with its $ref merged in (the node's own keys win); also returns the definition
        name of the $ref, if any."""
        if "$ref" not in node:
            return node, None
        name, target = self.ref_target(node["$ref"])
        target, _ = self.resolve(target)
        merged = dict(target)
        merged.update({k: v for k, v in node.items() if k != "$ref"})
        return merged, name

    def facts(self, node, required):
        """The schema's facts about one key, as one sentence list."""
        parts = []
        nodes = [node] + [self.resolve(n)[0] for n in node.get("allOf", [])]
        for alt in ("anyOf", "oneOf"):
            nodes += [self.resolve(n)[0] for n in node.get(alt, [])]
        types = []
        for n in nodes:
            t = n.get("type")
            for one in (t if isinstance(t, list) else [t] if t else []):
                if one not in types:
                    types.append(one)
        if types:
            parts.append("Type: " + " or ".join(types) + ".")
        enum = node.get("enum")
        if enum is None and "const" in node:
            enum = [node["const"]]
        if enum is not None:
            parts.append("Values: " + ", ".join(json_value(v) for v in enum) + ".")
        lo, hi = node.get("minimum"), node.get("maximum")
        if lo is None and hi is None:
            for n in nodes[1:]:
                if n.get("type") in ("integer", "number"):
                    lo, hi = n.get("minimum"), n.get("maximum")
                    break
        if lo is not None and hi is not None:
            parts.append("Range: %s to %s." % (json_value(lo), json_value(hi)))
        elif lo is not None:
            parts.append("Minimum: %s." % json_value(lo))
        elif hi is not None:
            parts.append("Maximum: %s." % json_value(hi))
        if "maxLength" in node:
            parts.append("At most %d characters." % node["maxLength"])
        if "minItems" in node or "maxItems" in node:
            if "maxItems" in node:
                parts.append("%d to %d elements." % (node.get("minItems", 0), node["maxItems"]))
            else:
                parts.append("At least %d elements." % node["minItems"])
        if "default" in node:
            parts.append("Default: %s." % json_value(node["default"]))
        if required:
            parts.append("Required.")
        return " ".join(parts)

    def children(self, raw):
        """What lies below a key: (object schema with "properties", definition name, path
        suffix) for its object form(s) (suffix ".") and the elements of its array form(s)
        (suffix "[]."), through $ref, allOf, anyOf and oneOf."""
        node, name = self.resolve(raw)
        out = []
        if "properties" in node:
            out.append((node, name, "."))
        if node.get("type") == "array" and isinstance(node.get("items"), dict):
            out += [(b, n, "[].") for b, n, suffix in self.children(node["items"])
                    if suffix == "."]
        for alt in ("allOf", "anyOf", "oneOf"):
            for member in node.get(alt, []):
                out += [(b, n or name, suffix) for b, n, suffix in self.children(member)]
        return out

    def keys(self, branches, path):
        """Entries (path, description, facts, note) for the keys of object schemas (the
        alternatives of one value) and, recursively, of the objects and arrays below them."""
        entries = []
        seen = set()
        for branch in branches:
            required = set(branch.get("required", []))
            for key, sub in branch.get("properties", {}).items():
                if key in seen:
                    continue
                seen.add(key)
                entries += self.key(sub, path + key, required_in_all(branches, key) or
                                    (len(branches) == 1 and key in required))
        return entries

    def key(self, raw, path, required):
        sub, _ = self.resolve(raw)
        desc = sub.get("description")
        if not isinstance(desc, str) or not desc.strip():
            self.missing.append(path)
            desc = ""
        entries = [(path, desc, self.facts(sub, required), None)]
        for suffix in (".", "[]."):
            group = [(b, n) for b, n, s in self.children(raw) if s == suffix]
            if not group:
                continue
            names = {n for _, n in group}
            defn = names.pop() if len(names) == 1 else None
            if defn and defn in self.expanded:
                p, d, f, _ = entries[0]
                entries[0] = (p, d, f, "Its keys are those of %s." % self.expanded[defn])
                continue
            if defn:
                self.expanded[defn] = path + suffix.rstrip(".")
            entries += self.keys([b for b, _ in group], path + suffix)
        return entries


def required_in_all(branches, key):
    return len(branches) > 1 and all(key in b.get("required", []) and key in b.get("properties", {})
                                     for b in branches)


def sections(schema):
    """(top-level key, its entries) in the schema's order; raises schema_error naming every key
    without a description."""
    w = walker(schema)
    out = []
    for key, raw in schema.get("properties", {}).items():
        out.append((key, w.key(raw, key, key in schema.get("required", []))))
    if w.missing:
        raise schema_error("keys without a \"description\" in %s: %s" %
                           (os.path.relpath(SCHEMA, ROOT), ", ".join(w.missing)))
    return out


def render(schema, version=None):
    version = version or project_version()
    lines = ['.\\" Generated by config/schema_to_man.py from config/piogate.schema.json.',
             '.\\" Do not edit: change the schema and run the script.',
             '.TH PIOGATE.JSON 5 "" "piogate %s" "piogate"' % version]
    lines += INTRO.rstrip("\n").split("\n")
    lines.append(".SH KEYS")
    for top, entries in sections(schema):
        lines.append(".SS %s" % top)
        for path, desc, facts, note in entries:
            lines.append(".TP")
            lines.append(".B %s" % roff_text(path))
            lines.append(roff_text(desc.strip()))
            if note:
                lines.append(roff_text(note))
            if facts:
                lines.append(".br")
                lines.append(roff_text(facts))
    lines += OUTRO.rstrip("\n").split("\n")
    return "\n".join(lines) + "\n"


def main(argv):
    check = "--check" in argv[1:]
    try:
        page = render(load_schema())
    except schema_error as e:
        print("schema_to_man: %s" % e, file=sys.stderr)
        return 1
    if check:
        try:
            with open(PAGE, encoding="utf-8") as f:
                current = f.read()
        except OSError as e:
            print("schema_to_man: %s" % e, file=sys.stderr)
            return 1
        if current != page:
            print("schema_to_man: %s is not what %s gives: run /usr/bin/python3 "
                  "config/schema_to_man.py" % (os.path.relpath(PAGE, ROOT),
                                               os.path.relpath(SCHEMA, ROOT)), file=sys.stderr)
            return 1
        return 0
    with open(PAGE, "w", encoding="utf-8") as f:
        f.write(page)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
