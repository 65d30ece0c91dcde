"""piogate is licensed under Apache-2.0: the LICENSE file and a machine-readable
debian/copyright that names the same license."""
import os
import unittest

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


class license_headers(unittest.TestCase):
    def test_license_file_is_apache_2(self):
        with open(os.path.join(ROOT, "LICENSE"), encoding="utf-8") as f:
            text = f.read()
        self.assertIn("Apache License", text)
        self.assertIn("Version 2.0, January 2004", text)

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
