# SPDX-License-Identifier: Apache-2.0
"""config/piogate.schema.json, the JSON Schema for editors, agrees with the parser: it is a valid
draft-07 schema, the shipped configs pass it, every bad config of test_config_errors.py that the
schema can judge fails it (near the same JSON path), the rows marked as beyond a schema pass it,
and the good configs pass both. Needs Debian's python3-jsonschema (see .ci/deps)."""
import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import jsonschema  # noqa: E402
import test_config_errors as table  # noqa: E402

CONFIG_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "config")


def load(name):
    with open(os.path.join(CONFIG_DIR, name), encoding="utf-8") as f:
        return json.load(f)


def judged_by_schema(c):
    """Rows whose config is a JSON value (not a missing file, file text or an existing path)."""
    return not (c.config is table.MISSING or isinstance(c.config, (table.raw, table.existing)))


def pointer(error):
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in error.absolute_path)


class config_schema(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.schema = load("piogate.schema.json")
        cls.validator = jsonschema.Draft7Validator(cls.schema)

    def errors(self, config):
        return list(self.validator.iter_errors(config))

    def test_schema_is_a_valid_draft7_schema(self):
        self.assertEqual(self.schema["$schema"], "http://json-schema.org/draft-07/schema#")
        jsonschema.Draft7Validator.check_schema(self.schema)

    def test_shipped_configs_pass(self):
        for name in ("example.json", "demo.json", "default.json"):
            with self.subTest(name):
                self.assertEqual([e.message for e in self.errors(load(name))], [])

    def test_every_object_rejects_unknown_keys(self):
        def walk(node, where):
            if isinstance(node, dict):
                if node.get("type") == "object":
                    self.assertIn("additionalProperties", node, where)
                    self.assertIsNot(node["additionalProperties"], True, where)
                for key, value in node.items():
                    walk(value, where + "/" + key)
            elif isinstance(node, list):
                for i, value in enumerate(node):
                    walk(value, "%s/%d" % (where, i))
        walk(self.schema, "#")

    def test_bad_configs_fail_the_schema_near_the_parser_path(self):
        rows = table.BAD + table.HOMEASSISTANT_BAD
        judged = 0
        for c in rows:
            if not judged_by_schema(c) or c.schema:
                continue
            judged += 1
            with self.subTest(c.name):
                errors = self.errors(c.config)
                self.assertTrue(errors, "the schema accepts it; the parser says %s: %s" % (c.at, c.message))
                # The schema reports at the value or at an enclosing object (unknown keys, if/then).
                paths = [pointer(e) for e in errors]
                self.assertTrue(any(c.at == p or c.at.startswith(p + "/") or (p == "" and c.at.count("/") == 1)
                                    for p in paths), "parser %s, schema %s" % (c.at, paths))
        self.assertGreaterEqual(judged, 50)

    def test_rows_beyond_a_schema_pass_it(self):
        # Keeps the table honest: a row marked as beyond the schema really is (else unmark it).
        for c in table.BAD + table.HOMEASSISTANT_BAD:
            if not c.schema or not judged_by_schema(c):
                continue
            with self.subTest(c.name, why=c.schema):
                self.assertEqual([e.message for e in self.errors(c.config)], [])

    def test_good_configs_pass_schema_and_parser(self):
        with tempfile.TemporaryDirectory() as directory:
            parser_reads_homeassistant = table.homeassistant_hooked(directory)
            for index, (name, config, _) in enumerate(table.GOOD + table.HOMEASSISTANT_GOOD):
                with self.subTest(name):
                    self.assertEqual([e.message for e in self.errors(config)], [])
                    if "homeassistant" in config and not parser_reads_homeassistant:
                        continue  # the schema has the section already; parse_config not yet
                    p = table.check_config(table.write_config(directory, index, config))
                    self.assertEqual(p.returncode, 0, p.stderr)


if __name__ == "__main__":
    unittest.main()
