# SPDX-License-Identifier: Apache-2.0
"""piogate is licensed under Apache-2.0: the LICENSE file, an SPDX line in every source file,
and a machine-readable debian/copyright that names the same license."""
import os
import unittest

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
TAG = "SPDX-License-Identifier: Apache-2.0"
SOURCE_DIRS = ["src", "include", "tests", "bench", ".ci"]
SOURCE_SUFFIXES = (".cpp", ".hpp", ".h", ".c", ".js", ".py", ".sh")


def source_files():
    for top in SOURCE_DIRS:
        for dirpath, dirnames, filenames in os.walk(os.path.join(ROOT, top)):
            dirnames[:] = [d for d in dirnames if d not in ("corpus", "node_modules", "__pycache__")]
            for name in filenames:
                if name.endswith(SOURCE_SUFFIXES) or name == "CMakeLists.txt" or top == ".ci":
                    yield os.path.join(dirpath, name)
    yield os.path.join(ROOT, "CMakeLists.txt")
    yield os.path.join(ROOT, "debian", "rules")


class license_headers(unittest.TestCase):
    def test_license_file_is_apache_2(self):
        with open(os.path.join(ROOT, "LICENSE"), encoding="utf-8") as f:
            text = f.read()
        self.assertIn("Apache License", text)
        self.assertIn("Version 2.0, January 2004", text)

    def test_every_source_file_names_the_license(self):
        missing = []
        count = 0
        for path in source_files():
            count += 1
            with open(path, encoding="utf-8") as f:
                head = "".join(f.readline() for _ in range(3))
            if TAG not in head:
                missing.append(os.path.relpath(path, ROOT))
        self.assertGreater(count, 300)
        self.assertEqual(missing, [], "files without '%s' in their first lines" % TAG)

    def test_debian_copyright_is_machine_readable_apache_2(self):
        with open(os.path.join(ROOT, "debian", "copyright"), encoding="utf-8") as f:
            text = f.read()
        self.assertTrue(text.startswith(
            "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/"))
        self.assertIn("\nFiles: *\n", text)
        self.assertIn("\nLicense: Apache-2.0\n", text)
        self.assertIn("/usr/share/common-licenses/Apache-2.0", text)


if __name__ == "__main__":
    unittest.main()
