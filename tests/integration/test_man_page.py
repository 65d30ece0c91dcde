# SPDX-License-Identifier: Apache-2.0
"""The man pages: piogate.json(5) is what config/schema_to_man.py makes of the JSON Schema
(every key with a description, so the page and the schema cannot drift), piogate(1) names
every option of `piogate --help`, and every page renders without groff warnings."""
import copy
import os
import re
import shutil
import subprocess
import sys
import unittest

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "config"))
import schema_to_man  # noqa: E402

MAN_DIR = os.path.join(ROOT, "debian", "man")


class man_page(unittest.TestCase):
    def test_page_is_what_the_schema_gives(self):
        with open(schema_to_man.PAGE, encoding="utf-8") as f:
            committed = f.read()
        self.assertEqual(
            committed, schema_to_man.render(schema_to_man.load_schema()),
            "debian/man/piogate.json.5 is out of date: run /usr/bin/python3 config/schema_to_man.py")

    def test_every_key_of_the_schema_is_on_the_page(self):
        # Independent of the generator's walk: every property name anywhere in the schema,
        # except those of free-name maps, appears as the last part of some entry's path.
        schema = schema_to_man.load_schema()
        names = set()

        def collect(node):
            if isinstance(node, dict):
                for k, v in node.get("properties", {}).items():
                    if isinstance(v, dict):
                        names.add(k)
                for v in node.values():
                    collect(v)
            elif isinstance(node, list):
                for v in node:
                    collect(v)

        collect(schema)
        with open(schema_to_man.PAGE, encoding="utf-8") as f:
            page = f.read()
        entries = set(m.group(1).replace("\\-", "-").rsplit(".", 1)[-1].removesuffix("[]")
                      for m in re.finditer(r"^\.B (\S+)$", page, re.M))
        self.assertEqual(sorted(names - entries), [], "schema keys missing from the page")

    def test_key_without_description_is_an_error_naming_its_path(self):
        schema = copy.deepcopy(schema_to_man.load_schema())
        del schema["definitions"]["tls"]["properties"]["ca_file"]["description"]
        schema["definitions"]["sensor"]["properties"]["new_key"] = {"type": "integer"}
        with self.assertRaises(schema_to_man.schema_error) as cm:
            schema_to_man.render(schema)
        self.assertIn("mqtt.tls.ca_file", str(cm.exception))
        self.assertIn("sensors[].new_key", str(cm.exception))

    def test_entry_shows_description_type_range_and_default(self):
        page = schema_to_man.render(schema_to_man.load_schema())
        self.assertIn(".B mqtt.keepalive_s\nKeepalive in seconds (0 = off).\n.br\n"
                      "Type: integer. Range: 0 to 65535. Default: 60.\n", page)
        self.assertIn(".B sensors[].id\n", page)
        self.assertIn(".B rules[].on_below\n", page)
        self.assertIn(".B board.sysfs.w1[].temperature.period_s\n", page)
        # Array elements behind anyOf and $ref (a filter list, or a map of them).
        self.assertIn(".B sensors[].filters[].clamp.min\n", page)
        # A definition used twice is spelled out once.
        self.assertIn("Its keys are those of sensors[].filters[].median.", page)
        self.assertNotIn(".B sensors[].filters[].sliding_average.window\n", page)

    def test_check_mode_passes_on_the_committed_page(self):
        r = subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "config", "schema_to_man.py"),
                            "--check"], capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_pages_render_without_warnings(self):
        if not shutil.which("groff"):
            self.skipTest("groff is not installed")
        for name in sorted(os.listdir(MAN_DIR)):
            with self.subTest(page=name):
                r = subprocess.run(["groff", "-man", "-ww", "-z", os.path.join(MAN_DIR, name)],
                                   capture_output=True, text=True, timeout=60)
                self.assertEqual((r.returncode, r.stderr), (0, ""))

    def test_daemon_page_names_every_option(self):
        daemon = os.environ.get("PIOGATE_DAEMON")
        if not daemon or not os.access(daemon, os.X_OK):
            self.skipTest("PIOGATE_DAEMON (the built piogate) is not set")
        r = subprocess.run([daemon, "--help"], capture_output=True, text=True, timeout=30)
        self.assertEqual(r.returncode, 0, r.stderr)
        options = sorted(set(re.findall(r"--([a-z][a-z0-9-]*)", r.stdout)))
        self.assertIn("check-config", options)
        with open(os.path.join(MAN_DIR, "piogate.1"), encoding="utf-8") as f:
            page = f.read().replace("\\-", "-")
        self.assertEqual([o for o in options if "--" + o not in page], [])

    def test_daemon_version_is_the_packages_upstream_version(self):
        daemon = os.environ.get("PIOGATE_DAEMON")
        if not daemon or not os.access(daemon, os.X_OK):
            self.skipTest("PIOGATE_DAEMON (the built piogate) is not set")
        r = subprocess.run([daemon, "--version"], capture_output=True, text=True, timeout=30)
        self.assertEqual((r.returncode, r.stderr), (0, ""))
        with open(os.path.join(MAN_DIR, "..", "changelog"), encoding="utf-8") as f:
            upstream = re.match(r"piogate \(([^-)]+)", f.readline()).group(1)
        self.assertEqual(r.stdout, "piogate %s\n" % upstream)


if __name__ == "__main__":
    unittest.main()
