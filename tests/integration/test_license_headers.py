# SPDX-License-Identifier: Apache-2.0
"""piogate is licensed under Apache-2.0: the LICENSE file, an SPDX line in every source file,
and a machine-readable debian/copyright that names the same license.

Where the line sits: in scripts (Python, shell, CMake, JS, .ci, debian/rules) among the first
three lines (after a shebang); in C and C++ files in the leading block, before the first line of
code, taking the place of the blank line after that block (after `#pragma once` in a header,
after its own header's #include in a .cpp). There it moves no token to another line, so compiler
caches (ccache's preprocessor-mode key) and debug line numbers were not invalidated by adding it."""
import os
import unittest

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
TAG = "SPDX-License-Identifier: Apache-2.0"
SOURCE_DIRS = ["src", "include", "tests", "bench", ".ci", "config"]
C_SUFFIXES = (".cpp", ".hpp", ".h", ".c")
SCRIPT_SUFFIXES = (".js", ".py", ".sh")


def source_files():
    for top in SOURCE_DIRS:
        for dirpath, dirnames, filenames in os.walk(os.path.join(ROOT, top)):
            dirnames[:] = [d for d in dirnames if d not in ("corpus", "node_modules", "__pycache__")]
            for name in filenames:
                if (name.endswith(C_SUFFIXES + SCRIPT_SUFFIXES) or name == "CMakeLists.txt"
                        or (top == ".ci" and "." not in name)):
                    yield os.path.join(dirpath, name)
    yield os.path.join(ROOT, "CMakeLists.txt")
    yield os.path.join(ROOT, "debian", "rules")


def leading_block(path, lines):
    """The lines before the first line of code (C/C++) or the first three lines (scripts)."""
    if not path.endswith(C_SUFFIXES):
        return lines[:3]
    block = []
    in_comment = False
    for line in lines:
        s = line.strip()
        code = not (in_comment or s == "" or s.startswith(("//", "/*", "#")))
        if code:
            break
        block.append(line)
        if s.startswith("/*") or in_comment:
            in_comment = "*/" not in s
    return block


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
                lines = f.read().splitlines()
            if not any(TAG in line for line in leading_block(path, lines)):
                missing.append(os.path.relpath(path, ROOT))
        self.assertGreater(count, 500)
        self.assertEqual(missing, [], "files without '%s' in their leading lines" % TAG)

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
