# SPDX-License-Identifier: Apache-2.0
"""Bad configs, one per row: `piogate --check-config` exits 2 with one line on stderr naming the
file, the JSON path (or line:column) and what is wrong, and prints nothing on stdout. Good
configs exit 0 with the summary line. test_config_schema.py checks the same rows against
config/piogate.schema.json; `schema` says why a row is beyond what a JSON Schema can express. Start-up (no --check-config)
refuses every bad row the same way: exit 2 and the same line."""
import atexit
import concurrent.futures
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import typing
import unittest

PIOGATE = os.environ.get("PIOGATE_DAEMON", "build/src/piogate")
STARTED = time.monotonic()


class raw(str):
    """A config given as file text, not as a JSON value (syntax errors, empty file)."""


class existing(str):
    """A config that is this path as it is (a device, a directory, a huge file)."""


MISSING = object()  # no file at all


class case(typing.NamedTuple):
    name: str
    config: object  # a JSON value, raw("text"), existing("/path") or MISSING
    at: str         # "/json/pointer", ":line:column" for syntax errors, "" for the whole file
    message: str    # the part of the message that must be there
    schema: str = ""  # "" = the schema rejects it too; else why the schema cannot


def sensor(**keys):
    return {"sensors": [dict({"id": "s", "type": "bme280", "bus": 1}, **keys)]}


def sim_board(**keys):
    return {"board": dict({"kind": "sim"}, **keys)}


CROSS_FIELD = "a relation between two values"
UNIQUE = "uniqueness across array entries"
NUMERIC = "arithmetic over several values (a least-squares fit in doubles)"
BOARD = "what the board has: lines and buses resolved against its chips"
FILE_SYSTEM = "the files a path names"

# Files the rows name, made once for the whole table.
FILES = tempfile.mkdtemp(prefix="piogate-config-files-")
atexit.register(shutil.rmtree, FILES, True)


def make_file(name, text="", size=None):
    path = os.path.join(FILES, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    if size is not None:
        os.truncate(path, size)  # sparse: costs no disk
    return path


def make_certificate(name):
    """A self-signed EC certificate and its key (openssl CLI, as tests/support/broker.py)."""
    cert, key = os.path.join(FILES, name + ".pem"), os.path.join(FILES, name + ".key")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-keyout", key, "-out", cert, "-subj", "/CN=" + name, "-days", "2"],
                   check=True, capture_output=True, stdin=subprocess.DEVNULL, timeout=60)
    return cert, key


PASSWORD = make_file("mqtt.password", "s3cret\n")
CA, KEY = make_certificate("ca")
OTHER_CA, OTHER_KEY = make_certificate("other")
NOT_PEM = make_file("not-a-certificate.pem", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n")
HUGE_PASSWORD = make_file("huge.password", "p" * 5000)
BLANK_PASSWORD = make_file("blank.password", "\nthe second line\n")
HUGE_PEM = make_file("huge.pem", size=5 << 20)
HUGE_CONFIG = make_file("huge.json", "{}" + " " * (1 << 20))

BAD = [
    # The whole file.
    case("missing file", MISSING, "", "cannot read: No such file or directory"),
    case("empty file", raw(""), ":1:1", "JSON syntax error: syntax error while parsing value"),
    case("syntax error: trailing comma", raw('{\n  "mqtt": {\n    "port": 1883,\n  }\n}\n'), ":4:3",
         "JSON syntax error: syntax error while parsing object key - unexpected '}'"),
    case("syntax error: single quotes", raw("{\n\n  'mqtt': {}\n}"), ":3:3",
         "JSON syntax error: syntax error while parsing object key - invalid literal"),
    case("top level is an array", [], "/", "expected an object, got an array"),
    case("number beyond a double", raw('{"mqtt": {"keepalive_s": 1e400}}'), ":1:26",
         "JSON syntax error: number out of range ('1e400')"),
    case("unknown top-level key", {"sensor": []}, "/sensor", 'unknown key (did you mean "sensors"?)'),
    case("$schema key (not accepted)", {"$schema": "./piogate.schema.json"}, "/$schema", "unknown key"),
    case("config file is /dev/zero", existing("/dev/zero"), "", "is a character device, not a regular file"),
    case("config file is a directory", existing(FILES), "", "is a directory, not a file"),
    case("config file over 1 MiB", existing(HUGE_CONFIG), "", "is larger than 1 MiB (the limit for this file)"),
    case("duplicate key: port twice", raw('{\n  "mqtt": {\n    "port": 1883,\n    "port": 1884\n  }\n}\n'),
         "/mqtt/port", 'duplicate key "port" at line 4, column 5 (first at line 3, column 5)'),
    case("duplicate key: a second empty sensors list",
         raw('{\n  "sensors": [{"id": "s", "type": "bme280", "bus": 1}],\n  "sensors": []\n}\n'),
         "/sensors", 'duplicate key "sensors" at line 3, column 3 (first at line 2, column 3)'),
    case("duplicate key in a sensor", raw('{"sensors": [{"id": "a", "type": "bme280", "bus": 1, "bus": 2}]}'),
         "/sensors/0/bus", 'duplicate key "bus" at line 1, column 54 (first at line 1, column 44)'),
    # mqtt
    case("mqtt is not an object", {"mqtt": []}, "/mqtt", "expected an object, got an array"),
    case("port is a string", {"mqtt": {"port": "1883"}}, "/mqtt/port", "expected an integer, got a string"),
    case("port 0", {"mqtt": {"port": 0}}, "/mqtt/port", "0 is out of range 1..65535"),
    case("port with a fraction", {"mqtt": {"port": 1883.5}}, "/mqtt/port", "expected an integer, got a number"),
    case("empty host", {"mqtt": {"host": ""}}, "/mqtt/host", "must not be empty"),
    case("transport not an enum value", {"mqtt": {"transport": "ws"}}, "/mqtt/transport",
         '"ws" is not one of "tcp", "websockets", "websocket", "unix"'),
    case("ws_path without websockets", {"mqtt": {"ws_path": "/mqtt"}}, "/mqtt/ws_path",
         'applies only with "transport": "websockets"'),
    case("ws_path without a leading slash", {"mqtt": {"transport": "websockets", "ws_path": "mqtt"}},
         "/mqtt/ws_path", "must start with '/' and hold no spaces or control characters"),
    case("ws_path with a space", {"mqtt": {"transport": "websocket", "ws_path": "/my path"}},
         "/mqtt/ws_path", "must start with '/' and hold no spaces or control characters"),
    case("ws_headers not an object", {"mqtt": {"transport": "websockets", "ws_headers": ["a"]}},
         "/mqtt/ws_headers", "must be an object of header names and values, not an array"),
    case("ws_headers: a name with a space", {"mqtt": {"transport": "websockets", "ws_headers": {"X Key": "v"}}},
         "/mqtt/ws_headers/X Key", "is not a valid HTTP header name"),
    case("ws_headers: Host is the upgrade's own", {"mqtt": {"transport": "websockets", "ws_headers": {"HOST": "x"}}},
         "/mqtt/ws_headers/HOST", "is set by the WebSocket upgrade itself",
         "reserved header names, compared without case"),
    case("ws_headers: a value with a line break",
         {"mqtt": {"transport": "websockets", "ws_headers": {"X-Token": "a\r\nInjected: b"}}},
         "/mqtt/ws_headers/X-Token", "must be printable text without line breaks"),
    case("ws_headers: a number value", {"mqtt": {"transport": "websockets", "ws_headers": {"X-N": 1}}},
         "/mqtt/ws_headers/X-N", "must be a string, not an integer"),
    case("unix without unix_socket", {"mqtt": {"transport": "unix"}}, "/mqtt/transport",
         '"unix" needs "unix_socket"'),
    case("unix_socket without unix", {"mqtt": {"unix_socket": "/run/mosquitto/mqtt.sock"}}, "/mqtt/unix_socket",
         'applies only with "transport": "unix"'),
    case("unix_socket relative", {"mqtt": {"transport": "unix", "unix_socket": "mqtt.sock"}}, "/mqtt/unix_socket",
         "must be an absolute path"),
    case("unix_socket too long", {"mqtt": {"transport": "unix", "unix_socket": "/" + "s" * 107}}, "/mqtt/unix_socket",
         "is longer than 107 bytes"),
    case("unix with a host", {"mqtt": {"transport": "unix", "unix_socket": "/run/m.sock", "host": "b"}}, "/mqtt/host",
         'does not apply with "transport": "unix"'),
    case("unix with a port", {"mqtt": {"transport": "unix", "unix_socket": "/run/m.sock", "port": 1883}}, "/mqtt/port",
         'does not apply with "transport": "unix"'),
    case("unix with TLS", {"mqtt": {"transport": "unix", "unix_socket": "/run/m.sock", "tls": {}}}, "/mqtt/tls",
         "TLS over a Unix socket is not supported"),
    case("unix with a proxy", {"mqtt": {"transport": "unix", "unix_socket": "/run/m.sock",
                                        "proxy": {"type": "http", "host": "p"}}}, "/mqtt/proxy",
         'does not apply with "transport": "unix"'),
    case("proxy type unknown", {"mqtt": {"proxy": {"type": "socks4", "host": "p"}}}, "/mqtt/proxy/type",
         '"socks4" is not one of "http", "socks5"'),
    case("proxy without host", {"mqtt": {"proxy": {"type": "http"}}}, "/mqtt/proxy/host", "required"),
    case("proxy port 0", {"mqtt": {"proxy": {"type": "socks5", "host": "p", "port": 0}}}, "/mqtt/proxy/port",
         "0 is out of range 1..65535"),
    case("proxy password without a user", {"mqtt": {"proxy": {"type": "http", "host": "p", "password_file": PASSWORD}}},
         "/mqtt/proxy/password_file", 'a proxy password needs a "username"'),
    case("proxy unknown key", {"mqtt": {"proxy": {"type": "http", "host": "p", "user": "u"}}}, "/mqtt/proxy/user",
         "unknown key"),
    case("SOCKS5 user name over 255 bytes", {"mqtt": {"proxy": {"type": "socks5", "host": "p", "username": "u" * 256}}},
         "/mqtt/proxy/username", "at most 255 bytes (SOCKS5)"),
    case("tls alpn not an array", {"mqtt": {"tls": {"alpn": "x-amzn-mqtt-ca"}}}, "/mqtt/tls/alpn", "array"),
    case("tls alpn empty name", {"mqtt": {"tls": {"alpn": ["mqtt", ""]}}}, "/mqtt/tls/alpn/1",
         "must be a protocol name of 1 to 255 printable bytes"),
    case("unknown mqtt key", {"mqtt": {"hots": "broker"}}, "/mqtt/hots", 'unknown key (did you mean "host"?)'),
    case("protocol not an enum value", {"mqtt": {"protocol": "3.1.2"}}, "/mqtt/protocol",
         '"3.1.2" is not one of "3.1", "3.1.1", "5", "5.0" (did you mean "3.1.1"?)'),
    case("protocol 5 as a number", {"mqtt": {"protocol": 5}}, "/mqtt/protocol",
         'expected one of "3.1", "3.1.1", "5", "5.0", got an integer'),
    case("session_expiry_s with MQTT 3.1.1", {"mqtt": {"session_expiry_s": 3600}}, "/mqtt/session_expiry_s",
         'needs "protocol": "5" (MQTT 3.1.1 has no session expiry; "clean_session": false keeps the session)'),
    case("session_expiry_s with MQTT 3.1", {"mqtt": {"protocol": "3.1", "client_id": "c", "clean_session": False,
                                                     "session_expiry_s": 0}},
         "/mqtt/session_expiry_s", 'needs "protocol": "5" (MQTT 3.1 has no session expiry'),
    case("session_expiry_s negative", {"mqtt": {"protocol": "5", "session_expiry_s": -1}}, "/mqtt/session_expiry_s",
         "-1 is out of range 0..4294967295"),
    case("session_expiry_s beyond 32 bits", {"mqtt": {"protocol": "5", "session_expiry_s": 4294967296}},
         "/mqtt/session_expiry_s", "4294967296 is out of range 0..4294967295"),
    case("session_expiry_s a string", {"mqtt": {"protocol": "5.0", "session_expiry_s": "1h"}},
         "/mqtt/session_expiry_s", "expected an integer"),
    case("sensor expiry_s with MQTT 3.1.1", sensor(expiry_s=60), "/sensors/0/expiry_s",
         'needs "mqtt": {"protocol": "5"} (MQTT 3.1.1 has no message expiry)'),
    case("sensor expiry_s 0", dict(sensor(expiry_s=0), mqtt={"protocol": "5"}), "/sensors/0/expiry_s",
         "0 is out of range 1..4294967295"),
    case("sensor expiry_s fractional", dict(sensor(expiry_s=1.5), mqtt={"protocol": "5"}), "/sensors/0/expiry_s",
         "expected an integer"),
    case("keepalive_s negative", {"mqtt": {"keepalive_s": -1}}, "/mqtt/keepalive_s", "-1 is out of range 0..65535"),
    case("reconnect_min_s 0", {"mqtt": {"reconnect_min_s": 0}}, "/mqtt/reconnect_min_s",
         "0 is out of range 0.01..3600"),
    case("reconnect_max_s below reconnect_min_s", {"mqtt": {"reconnect_min_s": 10, "reconnect_max_s": 5}},
         "/mqtt/reconnect_max_s", "is below reconnect_min_s", CROSS_FIELD),
    case("reconnect_spread_s negative", {"mqtt": {"reconnect_spread_s": -1}}, "/mqtt/reconnect_spread_s",
         "-1 is out of range 0..3600"),
    case("hosts not an array", {"mqtt": {"hosts": "a:1883"}}, "/mqtt/hosts", "must be an array, not a string"),
    case("hosts empty", {"mqtt": {"hosts": []}}, "/mqtt/hosts", "must list at least one broker"),
    case("hosts entry a number", {"mqtt": {"hosts": ["a", 7]}}, "/mqtt/hosts/1",
         'must be "host[:port]" or {"host", "port"}, not an integer'),
    case("hosts entry port out of range", {"mqtt": {"hosts": ["a", "b:70000"]}}, "/mqtt/hosts/1",
         '"b:70000": port "70000" is not 1..65535', "a port inside a host:port string"),
    case("hosts entry empty port", {"mqtt": {"hosts": ["a:"]}}, "/mqtt/hosts/0", '"a:": empty port',
         "a port inside a host:port string"),
    case("hosts entry IPv6 without brackets", {"mqtt": {"hosts": ["::1:1883"]}}, "/mqtt/hosts/0",
         "an IPv6 address with a port is written [ADDRESS]:PORT", "a port inside a host:port string"),
    case("hosts object with an unknown key", {"mqtt": {"hosts": [{"host": "a", "prot": 1}]}}, "/mqtt/hosts/0/prot",
         'unknown key (did you mean "port"?)'),
    case("hosts object port out of range", {"mqtt": {"hosts": [{"host": "a", "port": 0}]}}, "/mqtt/hosts/0/port",
         "0 is out of range 1..65535"),
    case("hosts listed twice", {"mqtt": {"port": 1884, "hosts": ["a", "a:1884"]}}, "/mqtt/hosts/1",
         "a:1884 is listed twice (also at /mqtt/hosts/0)", UNIQUE),
    case("host and hosts", {"mqtt": {"host": "a", "hosts": ["b"]}}, "/mqtt/host",
         'give either "host" or "hosts", not both'),
    case("queue_full not an enum value", {"mqtt": {"queue_full": "block"}}, "/mqtt/queue_full",
         '"block" is not one of "drop_oldest", "reject"'),
    case("password_file without username", {"mqtt": {"password_file": "/etc/piogate/pw"}},
         "/mqtt/password_file", 'a password needs a "username"'),
    case("empty client id without clean session", {"mqtt": {"client_id": "", "clean_session": False}},
         "/mqtt/client_id", 'an empty client id needs "clean_session": true'),
    case("tls cert without key", {"mqtt": {"tls": {"cert_file": "/etc/piogate/c.pem"}}},
         "/mqtt/tls/key_file", "cert_file and key_file go together"),
    case("tls enabled is a string", {"mqtt": {"tls": {"enabled": "yes"}}}, "/mqtt/tls/enabled",
         "expected true or false, got a string"),
    case("topic_prefix with a wildcard", {"mqtt": {"topic_prefix": "home/+/gw"}}, "/mqtt/topic_prefix",
         "must be a topic without wildcards and without a trailing '/'"),
    case("topic_prefix with a trailing slash", {"mqtt": {"topic_prefix": "home/gw/"}}, "/mqtt/topic_prefix",
         "must be a topic without wildcards and without a trailing '/'"),
    case("topic_prefix of 70000 characters", {"mqtt": {"topic_prefix": "a" * 70000}}, "/mqtt/topic_prefix",
         "is 70000 bytes long; at most 1024 are allowed"),
    case("topic_prefix starting with $", {"mqtt": {"topic_prefix": "$SYS/gw"}}, "/mqtt/topic_prefix",
         "must not start with '$'"),
    case("topic_prefix with a control character", {"mqtt": {"topic_prefix": "home\x07gw"}}, "/mqtt/topic_prefix",
         "contains the control character U+0007 (byte 5)"),
    case("topic_prefix with a newline", {"mqtt": {"topic_prefix": "home/gw\n"}}, "/mqtt/topic_prefix",
         "contains the control character U+000A (byte 8)"),
    case("topic_prefix with a C1 control character", {"mqtt": {"topic_prefix": "home/\x85gw"}}, "/mqtt/topic_prefix",
         "contains the control character U+0085 (byte 6)"),
    case("client_id of 70000 characters", {"mqtt": {"client_id": "c" * 70000}}, "/mqtt/client_id",
         "is 70000 bytes long; at most 128 are allowed"),
    case("client_id over 23 bytes with MQTT 3.1", {"mqtt": {"protocol": "3.1", "client_id": "piogate-garage-door-0001"}},
         "/mqtt/client_id", "is 24 bytes long; at most 23 are allowed by MQTT 3.1"),
    case("client_id with an escape sequence", {"mqtt": {"client_id": "gw\x1b[31m"}}, "/mqtt/client_id",
         "contains the control character U+001B (byte 3)"),
    case("username with U+0000", {"mqtt": {"username": "u\x00"}}, "/mqtt/username",
         "contains U+0000 (byte 2), which MQTT forbids"),
    case("password_file is /dev/zero", {"mqtt": {"username": "u", "password_file": "/dev/zero"}},
         "/mqtt/password_file", "/dev/zero: is a character device, not a regular file", FILE_SYSTEM),
    case("password_file over 4 KiB", {"mqtt": {"username": "u", "password_file": HUGE_PASSWORD}},
         "/mqtt/password_file", HUGE_PASSWORD + ": is larger than 4 KiB", FILE_SYSTEM),
    case("password_file is a directory", {"mqtt": {"username": "u", "password_file": FILES}},
         "/mqtt/password_file", FILES + ": is a directory, not a file", FILE_SYSTEM),
    case("password_file with an empty first line", {"mqtt": {"username": "u", "password_file": BLANK_PASSWORD}},
         "/mqtt/password_file", "the first line (the password) is empty", FILE_SYSTEM),
    case("tls ca_file is /dev/zero", {"mqtt": {"tls": {"ca_file": "/dev/zero"}}}, "/mqtt/tls/ca_file",
         "/dev/zero: is a character device, not a regular file", FILE_SYSTEM),
    case("tls cert_file over 4 MiB", {"mqtt": {"tls": {"ca_file": CA, "cert_file": HUGE_PEM, "key_file": KEY}}},
         "/mqtt/tls/cert_file", HUGE_PEM + ": is larger than 4 MiB", FILE_SYSTEM),
    case("tls key_file is a directory", {"mqtt": {"tls": {"cert_file": CA, "key_file": FILES}}},
         "/mqtt/tls/key_file", FILES + ": is a directory, not a file", FILE_SYSTEM),
    case("tls ca_file that holds no certificate", {"mqtt": {"tls": {"ca_file": NOT_PEM}}}, "/mqtt/tls/ca_file",
         "TLS CA file '%s': " % NOT_PEM, FILE_SYSTEM),
    case("tls key_file of another certificate", {"mqtt": {"tls": {"cert_file": CA, "key_file": OTHER_KEY}}},
         "/mqtt/tls/key_file", "TLS private key '%s': " % OTHER_KEY, FILE_SYSTEM),
    # board
    case("board kind not an enum value", {"board": {"kind": "simulated"}}, "/board/kind",
         '"simulated" is not one of "linux", "sim"'),
    case("sim-only key on a linux board", {"board": {"gpio": [{"lines": 8}]}}, "/board/gpio",
         'only a simulated board ("kind": "sim") has this'),
    case("sim gpio chip with 0 lines", sim_board(gpio=[{"lines": 0}]), "/board/gpio/0/lines",
         "0 is out of range 1..512"),
    case("sim device of an unknown model", sim_board(i2c=[{"bus": 1, "devices": [{"model": "bme281", "address": "0x76"}]}]),
         "/board/i2c/0/devices/0/model", '"bme281" is not one of "ads1015"'),
    case("sim device value its model does not measure",
         sim_board(i2c=[{"bus": 1, "devices": [{"model": "bmp280", "address": "0x76", "humidity": 40}]}]),
         "/board/i2c/0/devices/0/humidity", "unknown key"),
    case("sim bus listed twice", sim_board(i2c=[{"bus": 1}, {"bus": 1}]), "/board/i2c/1/bus",
         "bus 1 is listed twice", UNIQUE),
    case("two sim devices at one address",
         sim_board(i2c=[{"bus": 1, "devices": [{"model": "bme280", "address": "0x76"},
                                               {"model": "bmp280", "address": 118}]}]),
         "/board/i2c/0/devices/1/address", "two devices at the same address on bus 1", UNIQUE),
    case("sim pattern toggling too fast", sim_board(patterns=[{"line": "GPIO17", "toggle_every_ms": 5}]),
         "/board/patterns/0/toggle_every_ms", "5 is out of range 10..86400000"),
    case("sim pattern on a line the board lacks", sim_board(patterns=[{"line": "GPIO40", "toggle_every_ms": 100}]),
         "/board/patterns/0/line", 'no line named "GPIO40" on any chip', BOARD),
    case("sysfs section on a linux board", {"board": {"sysfs": {}}}, "/board/sysfs",
         'only a simulated board ("kind": "sim") has this'),
    case("sim w1 probe with a bad ROM id", sim_board(sysfs={"w1": [{"rom": "28-xyz"}]}), "/board/sysfs/w1/0/rom",
         '"28-xyz" is not a 1-Wire ROM id'),
    case("sim w1 probe listed twice", sim_board(sysfs={"w1": [{"rom": "28-0316a2794aff"}, {"rom": "28-0316a2794aff"}]}),
         "/board/sysfs/w1/1/rom", "28-0316a2794aff is listed twice", UNIQUE),
    case("sim w1 fault not known", sim_board(sysfs={"w1": [{"rom": "28-0316a2794aff", "fault": "fire"}]}),
         "/board/sysfs/w1/0/fault", '"fire" is not one of "none", "power_on", "crc"'),
    case("sim iio channel not read", sim_board(sysfs={"iio": [{"name": "x", "channels": {"temperature": 1}}]}),
         "/board/sysfs/iio/0/channels/temperature", "not a channel name"),
    case("sim hwmon value not a number", sim_board(sysfs={"hwmon": [{"name": "h", "channels": {"temp1": "hot"}}]}),
         "/board/sysfs/hwmon/0/channels/temp1", "must be a number or"),
    case("sensor on an I2C bus the simulated board lacks",
         dict(sim_board(i2c=[{"bus": 1}]), sensors=[{"id": "s", "type": "bme280", "bus": 3}]),
         "/sensors/0/bus", "I2C bus 3 is not on the simulated board (it has: 1)", BOARD),
    case("one line by name and by chip + offset (simulated board)",
         dict(sim_board(), inputs=[{"id": "door", "line": "GPIO22"}],
              actuators=[{"id": "relay", "chip": "gpiochip0", "line": "22"}]),
         "/actuators/0/line", 'line gpiochip0:GPIO22 is already claimed by /inputs/0 (as "GPIO22"; '
                              'here as chip "gpiochip0" line "22")', BOARD),
    case("one chip by label and by name (simulated board)",
         dict(sim_board(), actuators=[{"id": "a", "chip": "pinctrl-bcm2835", "line": "5"},
                                      {"id": "b", "chip": "gpiochip0", "line": "5"}]),
         "/actuators/1/line", "line gpiochip0:GPIO5 is already claimed by /actuators/0", BOARD),
    case("one chip by path and by number (simulated board)",
         dict(sim_board(), inputs=[{"id": "a", "chip": "/dev/gpiochip0", "line": "GPIO5"},
                                   {"id": "b", "chip": "0", "line": "5"}]),
         "/inputs/1/line", "line gpiochip0:GPIO5 is already claimed by /inputs/0", BOARD),
    case("line offset beyond the chip (simulated board)",
         dict(sim_board(), inputs=[{"id": "door", "chip": "gpiochip0", "line": "28"}]),
         "/inputs/0/line", "not on the simulated board: gpiochip0 [pinctrl-bcm2835] has 28 lines (offsets 0..27)",
         BOARD),
    case("line name not on the simulated board", dict(sim_board(), inputs=[{"id": "door", "line": "GPIO28"}]),
         "/inputs/0/line", 'not on the simulated board: no line named "GPIO28" on any chip', BOARD),
    case("chip not on the simulated board",
         dict(sim_board(), actuators=[{"id": "relay", "chip": "pinctrl-rp1", "line": "GPIO22"}]),
         "/actuators/0/chip", 'no chip with path, name or label "pinctrl-rp1"', BOARD),
    # sensors
    case("sensors is not an array", {"sensors": {"id": "s"}}, "/sensors", "expected an array, got an object"),
    case("unknown sensor type", sensor(type="bme208"), "/sensors/0/type",
         '"bme208" is not one of "bme280", "bmp280"'),
    case("missing sensor id", {"sensors": [{"type": "bme280", "bus": 1}]}, "/sensors/0/id",
         "missing (a string is required)"),
    case("id with upper case and a space", sensor(id="Living Room"), "/sensors/0/id",
         '"Living Room" must be 1..64 of a-z, 0-9, _ and -'),
    case("duplicate sensor id", {"sensors": [{"id": "s", "type": "bme280", "bus": 1},
                                             {"id": "s", "type": "sht3x", "bus": 1}]},
         "/sensors/1/id", 'duplicate sensor id "s"', UNIQUE),
    case("missing bus", {"sensors": [{"id": "s", "type": "bme280"}]}, "/sensors/0/bus",
         "missing (the I2C bus number, as in /dev/i2c-N)"),
    case("bus is a string", sensor(bus="1"), "/sensors/0/bus", 'expected a bus number 0..255, got "1"'),
    case("I2C address above 0x77", sensor(address="0x80"), "/sensors/0/address",
         '"0x80" is not a 7-bit I2C address (0x03..0x77)'),
    case("I2C address that is no number", sensor(address="76h"), "/sensors/0/address",
         '"76h" is not a 7-bit I2C address (0x03..0x77)'),
    case("two sensors at one bus address", {"sensors": [{"id": "a", "type": "bme280", "bus": 1},
                                                         {"id": "b", "type": "bmp280", "bus": 1, "address": "0x76"}]},
         "/sensors/1/address", "another sensor already uses bus 1 address 0x76", UNIQUE),
    case("qos 3", sensor(qos=3), "/sensors/0/qos", "3 is out of range 0..2"),
    case("interval_s 0", sensor(interval_s=0), "/sensors/0/interval_s", "0 is out of range 0.1..86400"),
    case("ds18b20 without rom", {"sensors": [{"id": "t", "type": "ds18b20"}]}, "/sensors/0/rom",
         "missing (a string is required)"),
    case("ds18b20 rom that is no ROM id", {"sensors": [{"id": "t", "type": "ds18b20", "rom": "28-xyz"}]},
         "/sensors/0/rom", '"28-xyz" is not a 1-Wire ROM id'),
    case("ds18b20 rom of a DS18S20", {"sensors": [{"id": "t", "type": "ds18b20", "rom": "10-000802b4a1c0"}]},
         "/sensors/0/rom", '10-000802b4a1c0 is a DS18S20, not a DS18B20 (family 28); use "type": "w1"'),
    case("w1 rom of an EEPROM", {"sensors": [{"id": "t", "type": "w1", "rom": "2d-00000012ab34"}]},
         "/sensors/0/rom", "2d is not a thermometer family read here"),
    case("w1 resolution 13", {"sensors": [{"id": "t", "type": "w1", "rom": "28-0316a2794aff", "resolution": 13}]},
         "/sensors/0/resolution", "13 is out of range 9..12"),
    case("w1 resolution of a DS18S20", {"sensors": [{"id": "t", "type": "w1", "rom": "10-000802b4a1c0",
                                                     "resolution": 10}]},
         "/sensors/0/resolution", "the DS18S20's resolution is fixed", CROSS_FIELD),
    case("ds18b20 with a bus", {"sensors": [{"id": "t", "type": "ds18b20", "rom": "28-0316a2794aff", "bus": 1}]},
         "/sensors/0/bus", "unknown key"),
    case("iio without channels", {"sensors": [{"id": "a", "type": "iio", "device": "ads1015"}]},
         "/sensors/0/channels", "required: the channels to read"),
    case("iio channel not read here", {"sensors": [{"id": "a", "type": "iio", "device": "ads1015",
                                                    "channels": ["accel_x"]}]},
         "/sensors/0/channels/0", "a channel is temp, humidityrelative, pressure, illuminance or voltageN"),
    case("hwmon channel not read here", {"sensors": [{"id": "h", "type": "hwmon", "name": "rpi_volt",
                                                      "channel": "humidity1"}]},
         "/sensors/0/channel", '"humidity1" is not tempN, inN, currN, powerN or fanN'),
    case("thermal without zone", {"sensors": [{"id": "z", "type": "thermal"}]}, "/sensors/0/zone",
         "missing (a string is required)"),
    case("dht22 with an unknown key", {"sensors": [{"id": "d", "type": "dht22", "gpio": 4}]},
         "/sensors/0/gpio", "unknown key"),
    case("typo in a key, third sensor", {"sensors": [
        {"id": "a", "type": "bme280", "bus": 1}, {"id": "b", "type": "sht3x", "bus": 1},
        {"id": "c", "type": "tmp102", "bus": 1, "adress": "0x49"}]},
         "/sensors/2/adress", 'unknown key (did you mean "address"?)'),
    case("key of another sensor type", sensor(type="sht3x", oversampling=4), "/sensors/0/oversampling",
         "unknown key"),
    case("oversampling not a power of two", sensor(oversampling=3), "/sensors/0/oversampling",
         "3 is not one of 1, 2, 4, 8, 16"),
    case("bh1750 mode not an enum value", sensor(type="bh1750", mode="medium"), "/sensors/0/mode",
         '"medium" is not one of "high", "high2", "low"'),
    case("ads1115 channel 4", sensor(type="ads1115", channels=[0, 4]), "/sensors/0/channels/1",
         "a channel is 0, 1, 2 or 3"),
    case("ads1115 channel listed twice", sensor(type="ads1115", channels=[1, 1]), "/sensors/0/channels/1",
         "channel listed twice"),
    case("ads1115 gain not a full scale", sensor(type="ads1115", gain_volts=3.0), "/sensors/0/gain_volts",
         "full scale must be 6.144, 4.096, 2.048, 1.024, 0.512 or 0.256"),
    case("generic sensor without address", {"sensors": [{"id": "g", "type": "generic", "bus": 1, "register": 0}]},
         "/sensors/0/address", 'missing (an I2C address like "0x76" is required)'),
    case("I2C address with a leading zero (no octal)", sensor(address="076"), "/sensors/0/address",
         "is not a 7-bit I2C address"),
    case("I2C address with a blank", sensor(address=" 0x76"), "/sensors/0/address",
         "is not a 7-bit I2C address"),
    case("generic quantity named ts", {"sensors": [{"id": "g", "type": "generic", "bus": 1, "address": "0x4b",
                                                    "register": 0, "quantity": "ts"}]},
         "/sensors/0/quantity", 'other than "ts"'),
    case("deadband for a quantity the sensor does not report", sensor(type="sht3x", deadband={"pressure": 1}),
         "/sensors/0/deadband/pressure", 'sensor type sht3x reports no "pressure" (it reports temperature, humidity)'),
    case("deadband for an ads1115 channel not read",
         sensor(type="ads1115", channels=[0], deadband={"voltage2": 0.1}),
         "/sensors/0/deadband/voltage2", 'sensor type ads1115 reports no "voltage2" (it reports voltage0)', CROSS_FIELD),
    case("deadband negative", sensor(deadband=-1), "/sensors/0/deadband", "must be between 0 and 1e9, got -1"),
    case("heartbeat_s shorter than interval_s", sensor(interval_s=60, deadband=0.5, heartbeat_s=30),
         "/sensors/0/heartbeat_s", "is shorter than interval_s", CROSS_FIELD),
    # filters and precision
    case("unknown filter", sensor(filters=[{"smooth": 3}]), "/sensors/0/filters/0/smooth",
         'unknown filter "smooth"; filters are offset, multiply, calibrate_linear, clamp, median, sliding_average, '
         'throttle_s'),
    case("throttle without its unit", sensor(filters=[{"throttle": 30}]), "/sensors/0/filters/0/throttle",
         'unknown filter "throttle" (did you mean "throttle_s"?)'),
    case("two filters in one element", sensor(filters=[{"offset": 1, "multiply": 2}]), "/sensors/0/filters/0",
         "a filter is an object with one key, its name"),
    case("filters neither a list nor an object", sensor(filters="offset"), "/sensors/0/filters",
         "expected a list of filters or an object of quantity: list, got a string"),
    case("offset not a number", sensor(filters=[{"offset": "-0.5"}]), "/sensors/0/filters/0/offset",
         "expected a number, got a string"),
    case("filters for a quantity the sensor does not report", sensor(type="sht3x", filters={"pressure": []}),
         "/sensors/0/filters/pressure", 'sensor type sht3x reports no "pressure" (it reports temperature, humidity)'),
    case("median window 0", sensor(filters=[{"median": {"window": 0}}]), "/sensors/0/filters/0/median/window",
         "0 is out of range 1..1000"),
    case("sliding_average send_every above window",
         sensor(filters={"temperature": [{"sliding_average": {"window": 3, "send_every": 5}}]}),
         "/sensors/0/filters/temperature/0/sliding_average/send_every",
         "5 is larger than window 3 (samples would be skipped)", CROSS_FIELD),
    case("sliding_average key misspelt", sensor(filters=[{"sliding_average": {"windw": 3}}]),
         "/sensors/0/filters/0/sliding_average/windw", 'unknown key (did you mean "window"?)'),
    case("calibrate_linear with one point", sensor(filters=[{"calibrate_linear": [[20.5, 20]]}]),
         "/sensors/0/filters/0/calibrate_linear", "needs at least two points [measured, true], got 1"),
    case("calibrate_linear with a measured value twice",
         sensor(filters=[{"calibrate_linear": [[20, 19], [30, 29.5], [20, 19.5]]}]),
         "/sensors/0/filters/0/calibrate_linear/2", "measured value 20 is listed twice", UNIQUE),
    case("calibrate_linear point not a pair", sensor(filters=[{"calibrate_linear": [[20, 19], [30]]}]),
         "/sensors/0/filters/0/calibrate_linear/1", "expected a pair [measured, true] of numbers, got [30]"),
    case("clamp min above max", sensor(filters=[{"clamp": {"min": 100, "max": 0}}]),
         "/sensors/0/filters/0/clamp/max", "is smaller than min", CROSS_FIELD),
    case("clamp without a bound", sensor(filters=[{"clamp": {}}]), "/sensors/0/filters/0/clamp",
         'needs "min", "max" or both'),
    case("throttle_s 0", sensor(filters=[{"throttle_s": 0}]), "/sensors/0/filters/0/throttle_s",
         "0 is out of range 0.001..604800"),
    case("filter element a string", sensor(filters=["offset"]), "/sensors/0/filters/0",
         "a filter is an object with one key, its name (offset, multiply, calibrate_linear, clamp, median, "
         "sliding_average, throttle_s), got a string"),
    case("filters for a quantity not a list", sensor(filters={"humidity": {"offset": 1}}),
         "/sensors/0/filters/humidity", "expected a list of filters, got an object"),
    case("multiply beyond 1e9", sensor(filters=[{"multiply": 2e9}]), "/sensors/0/filters/0/multiply",
         "2e+09 is out of range -1e+09..1e+09"),
    case("offset beyond -1e9", sensor(filters=[{"offset": -2e9}]), "/sensors/0/filters/0/offset",
         "-2e+09 is out of range -1e+09..1e+09"),
    case("median not an object", sensor(filters=[{"median": 5}]), "/sensors/0/filters/0/median",
         "expected an object, got an integer"),
    case("median window not an integer", sensor(filters=[{"median": {"window": 2.5}}]),
         "/sensors/0/filters/0/median/window", "expected an integer, got a number"),
    case("sliding_average window above 1000", sensor(filters=[{"sliding_average": {"window": 1001}}]),
         "/sensors/0/filters/0/sliding_average/window", "1001 is out of range 1..1000"),
    case("median send_every 0", sensor(filters=[{"median": {"window": 3, "send_every": 0}}]),
         "/sensors/0/filters/0/median/send_every", "0 is out of range 1..1000"),
    case("sliding_average send_first_at above send_every",
         sensor(filters=[{"sliding_average": {"window": 4, "send_every": 2, "send_first_at": 3}}]),
         "/sensors/0/filters/0/sliding_average/send_first_at", "3 is larger than send_every 2", CROSS_FIELD),
    case("calibrate_linear not a list", sensor(filters=[{"calibrate_linear": {"20": 19}}]),
         "/sensors/0/filters/0/calibrate_linear", "expected an array of [measured, true] pairs, got an object"),
    case("calibrate_linear value beyond 1e9", sensor(filters=[{"calibrate_linear": [[0, 0], [2e9, 1]]}]),
         "/sensors/0/filters/0/calibrate_linear/1", "values must be between -1e9 and 1e9"),
    # Distinct measured values whose spread squared underflows: the daemon could not fit its line
    # (it exited 1 with no path while --check-config said OK).
    case("calibrate_linear measured values too close", sensor(filters=[{"calibrate_linear": [[1e-200, 0], [2e-200, 1]]}]),
         "/sensors/0/filters/0/calibrate_linear",
         "the measured values are too close together to fit a line through them", NUMERIC),
    case("clamp not an object", sensor(filters=[{"clamp": 5}]), "/sensors/0/filters/0/clamp",
         "expected an object, got an integer"),
    case("clamp with an unknown key", sensor(filters=[{"clamp": {"min": 0, "maximum": 5}}]),
         "/sensors/0/filters/0/clamp/maximum", "unknown key"),
    case("clamp min not a number", sensor(filters=[{"clamp": {"min": "0"}}]), "/sensors/0/filters/0/clamp/min",
         "expected a number, got a string"),
    case("throttle_s above a week", sensor(filters=[{"throttle_s": 700000}]), "/sensors/0/filters/0/throttle_s",
         "700000 is out of range 0.001..604800"),
    case("precision negative", sensor(precision={"humidity": -1}), "/sensors/0/precision/humidity",
         "expected decimal places 0..6, got -1"),
    case("precision a string", sensor(precision="2"), "/sensors/0/precision",
         "expected decimal places 0..6 or an object of quantity: decimal places, got a string"),
    case("precision 7", sensor(precision=7), "/sensors/0/precision", "expected decimal places 0..6, got 7"),
    case("precision not an integer", sensor(precision={"humidity": 1.5}), "/sensors/0/precision/humidity",
         "expected decimal places 0..6, got 1.5"),
    case("precision for a quantity the sensor does not report", sensor(type="bmp280", precision={"humidity": 1}),
         "/sensors/0/precision/humidity", 'sensor type bmp280 reports no "humidity" (it reports temperature, pressure)'),
    # inputs and actuators
    case("input without line", {"inputs": [{"id": "door"}]}, "/inputs/0/line", "missing (a string is required)"),
    case("input is not an object", {"inputs": ["GPIO17"]}, "/inputs/0", "expected an object, got a string"),
    case("bias misspelt", {"inputs": [{"id": "door", "line": "GPIO17", "bias": "pullup"}]}, "/inputs/0/bias",
         '(did you mean "pull_up"?)'),
    case("debounce_ms above 60000", {"inputs": [{"id": "door", "line": "GPIO17", "debounce_ms": 60001}]},
         "/inputs/0/debounce_ms", "60001 is out of range 0..60000"),
    case("debounce_ms written as 20.0", {"inputs": [{"id": "door", "line": "GPIO17", "debounce_ms": 20.0}]},
         "/inputs/0/debounce_ms", "expected an integer, got a number",
         "JSON Schema counts 20.0 as an integer"),
    case("device_class not a Home Assistant class",
         {"inputs": [{"id": "door", "line": "GPIO17", "device_class": "doors"}]},
         "/inputs/0/device_class", '(did you mean "door"?)'),
    case("duplicate input id", {"inputs": [{"id": "door", "line": "GPIO17"}, {"id": "door", "line": "GPIO18"}]},
         "/inputs/1/id", 'duplicate input id "door"', UNIQUE),
    case("GPIO line claimed twice", {"inputs": [{"id": "door", "line": "GPIO17"}],
                                     "actuators": [{"id": "relay", "line": "GPIO17"}]},
         "/actuators/0/line", "line GPIO17 is already claimed by /inputs/0", UNIQUE),
    case("chip line claimed twice", {"actuators": [{"id": "a", "chip": "gpiochip0", "line": "5"},
                                                   {"id": "b", "chip": "gpiochip0", "line": "5"}]},
         "/actuators/1/line", "line gpiochip0:5 is already claimed by /actuators/0", UNIQUE),
    case("actuator state in lower case", {"actuators": [{"id": "relay", "line": "GPIO22", "initial": "on"}]},
         "/actuators/0/initial", '"on" is not one of "OFF", "ON", "restore" (did you mean "ON"?)'),
    case("drive misspelt", {"actuators": [{"id": "relay", "line": "GPIO22", "drive": "open-drain"}]},
         "/actuators/0/drive", '(did you mean "open_drain"?)'),
    case("failsafe_after_s negative", {"actuators": [{"id": "relay", "line": "GPIO22", "failsafe_after_s": -1}]},
         "/actuators/0/failsafe_after_s", "-1 is out of range 0..604800"),
    # interlocks
    case("interlock names an unknown actuator",
         {"actuators": [{"id": "up", "line": "GPIO5"}, {"id": "down", "line": "GPIO6"}],
          "interlocks": [{"actuators": ["up", "dwon"]}]},
         "/interlocks/0/actuators/1", 'unknown actuator "dwon"', CROSS_FIELD),
    case("interlock lists an actuator twice",
         {"actuators": [{"id": "up", "line": "GPIO5"}], "interlocks": [{"actuators": ["up", "up"]}]},
         "/interlocks/0/actuators/1", 'actuator "up" is listed twice'),
    case("interlock of one actuator",
         {"actuators": [{"id": "up", "line": "GPIO5"}], "interlocks": [{"actuators": ["up"]}]},
         "/interlocks/0/actuators", "an interlock group needs at least two actuators"),
    case("interlock dead_time_ms above 60000",
         {"actuators": [{"id": "up", "line": "GPIO5"}, {"id": "down", "line": "GPIO6"}],
          "interlocks": [{"actuators": ["up", "down"], "dead_time_ms": 60001}]},
         "/interlocks/0/dead_time_ms", "60001 is out of range 0..60000"),
    case("interlock with two initial ON",
         {"actuators": [{"id": "up", "line": "GPIO5", "initial": "ON"},
                        {"id": "down", "line": "GPIO6", "initial": "ON", "failsafe": "OFF"}],
          "interlocks": [{"actuators": ["up", "down"]}]},
         "/interlocks/0/actuators", 'actuators "up" and "down" both have "initial": "ON"', CROSS_FIELD),
    case("interlock with two failsafe ON",
         {"actuators": [{"id": "up", "line": "GPIO5", "failsafe": "ON"},
                        {"id": "down", "line": "GPIO6", "failsafe": "ON"}],
          "interlocks": [{"actuators": ["up", "down"]}]},
         "/interlocks/0/actuators", 'actuators "up" and "down" both have "failsafe": "ON"', CROSS_FIELD),
    # pwm outputs and pulse counters
    case("pwm without channel", {"pwm": [{"id": "fan"}]}, "/pwm/0/channel", "missing"),
    case("pwm duty above 100", {"pwm": [{"id": "fan", "channel": 0, "initial": 101}]}, "/pwm/0/initial",
         "101 is out of range 0..100"),
    case("pwm frequency 0", {"pwm": [{"id": "fan", "channel": 0, "frequency_hz": 0}]}, "/pwm/0/frequency_hz",
         "0 is out of range 0.1..1e+08"),
    case("pwm polarity misspelt", {"pwm": [{"id": "fan", "channel": 0, "polarity": "inverted"}]},
         "/pwm/0/polarity", '(did you mean "inversed"?)'),
    case("pwm homeassistant entity unknown", {"pwm": [{"id": "fan", "channel": 0, "homeassistant": "fan"}]},
         "/pwm/0/homeassistant", '"light", "number"'),
    case("pwm channel used twice", {"pwm": [{"id": "a", "channel": 1}, {"id": "b", "chip": 0, "channel": 1}]},
         "/pwm/1/channel", "pwmchip0 channel 1 is already used by /pwm/0", UNIQUE),
    case("duplicate pwm id", {"pwm": [{"id": "fan", "channel": 0}, {"id": "fan", "channel": 1}]},
         "/pwm/1/id", 'duplicate pwm id "fan"', UNIQUE),
    case("pwm key misspelt", {"pwm": [{"id": "fan", "channel": 0, "ramp_s": 1}]}, "/pwm/0/ramp_s",
         '(did you mean "ramp_ms"?)'),
    case("counter without line", {"counters": [{"id": "power"}]}, "/counters/0/line", "missing (a string is required)"),
    case("counter multiplier 0", {"counters": [{"id": "power", "line": "GPIO5", "multiplier": 0}]},
         "/counters/0/multiplier", "0 is out of range 1e-09..1e+09"),
    case("counter edge both", {"counters": [{"id": "power", "line": "GPIO5", "edge": "both"}]},
         "/counters/0/edge", '"falling", "rising"'),
    case("counter device_class without unit", {"counters": [{"id": "power", "line": "GPIO5", "device_class": "gas"}]},
         "/counters/0/device_class", 'needs a "unit" (Home Assistant requires one for gas)', CROSS_FIELD),
    case("counter state_file relative", {"counters": [{"id": "power", "line": "GPIO5", "state_file": "power.json"}]},
         "/counters/0/state_file", "must be an absolute path"),
    case("counter state_file shared", {"counters": [{"id": "a", "line": "GPIO5", "state_file": "/tmp/c.json"},
                                                    {"id": "b", "line": "GPIO6", "state_file": "/tmp/c.json"}]},
         "/counters/1/state_file", '"/tmp/c.json" is already the state file of /counters/0', UNIQUE),
    case("counter on an input's line", {"inputs": [{"id": "door", "line": "GPIO17"}],
                                       "counters": [{"id": "power", "line": "GPIO17"}]},
         "/counters/0/line", "line GPIO17 is already claimed by /inputs/0", UNIQUE),
    case("duplicate counter id", {"counters": [{"id": "power", "line": "GPIO5"}, {"id": "power", "line": "GPIO6"}]},
         "/counters/1/id", 'duplicate counter id "power"', UNIQUE),
    case("counter state_file not piogate's",
         {"counters": [{"id": "power", "line": "GPIO5", "state_file": make_file("notes.txt", "meter 1234\n")}]},
         "/counters/0/state_file", "is not a piogate counter file (not JSON); piogate will not use or overwrite it",
         FILE_SYSTEM),
    case("counter interval_s 0", {"counters": [{"id": "power", "line": "GPIO5", "interval_s": 0}]},
         "/counters/0/interval_s", "0 is out of range 1..86400"),
    # rules
    case("rule names an unknown input",
         {"inputs": [{"id": "button", "line": "GPIO17"}], "actuators": [{"id": "lamp", "line": "GPIO22"}],
          "rules": [{"input": "buton", "actuator": "lamp"}]},
         "/rules/0/input", 'unknown input "buton"', CROSS_FIELD),
    case("rule names an unknown actuator",
         {"inputs": [{"id": "button", "line": "GPIO17"}], "actuators": [{"id": "lamp", "line": "GPIO22"}],
          "rules": [{"input": "button", "actuator": "lammp"}]},
         "/rules/0/actuator", 'unknown actuator "lammp"', CROSS_FIELD),
    case("rule names an unknown sensor",
         dict(sensor(), actuators=[{"id": "heater", "line": "GPIO22"}],
              rules=[{"sensor": "room", "quantity": "temperature", "actuator": "heater", "on_below": 19, "off_above": 21}]),
         "/rules/0/sensor", 'unknown sensor "room"', CROSS_FIELD),
    case("rule on a quantity the sensor does not report",
         dict(sensor(type="sht3x"), actuators=[{"id": "heater", "line": "GPIO22"}],
              rules=[{"sensor": "s", "quantity": "pressure", "actuator": "heater", "on_below": 900, "off_above": 1000}]),
         "/rules/0/quantity", 'sensor "s" (sht3x) reports temperature, humidity, not "pressure"', CROSS_FIELD),
    case("rule hysteresis low not below high",
         dict(sensor(), actuators=[{"id": "heater", "line": "GPIO22"}],
              rules=[{"sensor": "s", "quantity": "temperature", "actuator": "heater", "on_below": 21, "off_above": 19}]),
         "/rules/0/off_above", 'must be above "on_below" (21): the hysteresis needs low < high', CROSS_FIELD),
    case("actuator driven by two rules",
         {"inputs": [{"id": "button", "line": "GPIO17"}], "actuators": [{"id": "lamp", "line": "GPIO22"}],
          "rules": [{"input": "button", "actuator": "lamp"}, {"input": "button", "actuator": "lamp", "action": "toggle"}]},
         "/rules/1/actuator", 'actuator "lamp" is already driven by the rule at /rules/0', UNIQUE),
    case("on_for without on_for_s",
         {"inputs": [{"id": "button", "line": "GPIO17"}], "actuators": [{"id": "lamp", "line": "GPIO22"}],
          "rules": [{"input": "button", "actuator": "lamp", "action": "on_for"}]},
         "/rules/0/on_for_s", "missing"),
    # buffer
    case("buffer.file relative", {"buffer": {"persist": True, "file": "buffer.jsonl"}}, "/buffer/file",
         "must be an absolute path"),
    case("buffer.max_messages 0", {"buffer": {"max_messages": 0}}, "/buffer/max_messages",
         "0 is out of range 1..1000000"),
    case("buffer.when_full not an enum value", {"buffer": {"when_full": "reject"}}, "/buffer/when_full",
         '"reject" is not one of "drop_oldest", "drop_newest"'),
    # state paths: the directory must exist and be writable before anything is published
    case("counter state_file in a missing directory",
         {"counters": [{"id": "power", "line": "GPIO5", "state_file": os.path.join(FILES, "no-such-dir", "c.json")}]},
         "/counters/0/state_file",
         'cannot write "%s": its directory %s does not exist; the packaged unit allows writes only under '
         "/var/lib/piogate; add ReadWritePaths=%s in a drop-in (systemctl edit piogate)"
         % (os.path.join(FILES, "no-such-dir", "c.json"), os.path.join(FILES, "no-such-dir"),
            os.path.join(FILES, "no-such-dir")), FILE_SYSTEM),
    case("counter state_file in a missing directory under /var/lib/piogate",
         {"counters": [{"id": "power", "line": "GPIO5", "state_file": "/var/lib/piogate/no/such/counter.json"}]},
         "/counters/0/state_file",
         'cannot write "/var/lib/piogate/no/such/counter.json": its directory /var/lib/piogate/no/such does not '
         "exist", FILE_SYSTEM),
]

# The "homeassistant" section; skipped while parse_config does not read it yet.
HOMEASSISTANT_BAD = [
    case("discovery_prefix with a wildcard", {"homeassistant": {"discovery_prefix": "homeassistant/#"}},
         "/homeassistant/discovery_prefix", "must be a topic without wildcards and without a trailing '/'"),
    case("empty device_name", {"homeassistant": {"device_name": ""}}, "/homeassistant/device_name",
         "must not be empty"),
    case("homeassistant key misspelt", {"homeassistant": {"discovery_prefx": "ha"}},
         "/homeassistant/discovery_prefx", 'unknown key (did you mean "discovery_prefix"?)'),
    case("discovery_prefix starting with $", {"homeassistant": {"discovery_prefix": "$ha"}},
         "/homeassistant/discovery_prefix", "\"$ha\" must not start with '$'"),
    case("status_topic of 2000 characters", {"homeassistant": {"status_topic": "s" * 2000}},
         "/homeassistant/status_topic", "is 2000 bytes long; at most 1024 are allowed"),
    case("discovery form unknown", {"homeassistant": {"discovery": "per_device"}},
         "/homeassistant/discovery", '"per_device" is not one of "device", "entity"'),
    case("discovery form not a string", {"homeassistant": {"discovery": True}},
         "/homeassistant/discovery", 'expected one of "device", "entity", got a'),
    case("discovery form in capitals", {"homeassistant": {"discovery": "Device"}},
         "/homeassistant/discovery", '"Device" is not one of "device", "entity"'),
]

HOST = socket.gethostname()
EVERY_SENSOR = [
    {"id": "bme", "type": "bme280", "bus": 1, "interval_s": 0.1, "qos": 0, "retain": True,
     "oversampling": 16, "filter": 16, "deadband": {"temperature": 0.2, "humidity": 1}, "heartbeat_s": 300,
     "filters": {"temperature": [{"offset": -0.5}, {"sliding_average": {"window": 5, "send_every": 5}}],
                 "humidity": [{"calibrate_linear": [[20, 22], [80, 79]]}, {"clamp": {"min": 0, "max": 100}},
                              {"median": {"window": 3, "send_every": 1}}, {"throttle_s": 30}],
                 "pressure": [{"multiply": 0.1}]},
     "precision": {"humidity": 0, "pressure": 1}},
    {"id": "bmp", "type": "bmp280", "bus": 1, "address": 119, "deadband": 0.5, "heartbeat_s": 0,
     "filters": [{"clamp": {"max": 2000}}], "precision": 2},
    {"id": "sht", "type": "sht3x", "bus": 1}, {"id": "aht", "type": "aht20", "bus": 1},
    {"id": "htu", "type": "htu21d", "bus": 2}, {"id": "lux", "type": "bh1750", "bus": 1, "mode": "low", "mtreg": 254},
    {"id": "ads", "type": "ads1115", "bus": 1, "channels": [3, 0], "gain_volts": 0.256, "data_rate": 860,
     "deadband": {"voltage3": 0.01}},
    {"id": "ads2", "type": "ads1015", "bus": 1, "address": "0x49"}, {"id": "lm", "type": "lm75", "bus": 1, "address": "0x4a"},
    {"id": "tmp", "type": "tmp102", "bus": 1, "address": "0x4b", "extended": True},
    {"id": "mcp", "type": "mcp9808", "bus": 1}, {"id": "ina", "type": "ina219", "bus": 3, "shunt_ohms": 0.01,
                                                 "max_current": 10, "deadband": {"power": 0.5}},
    {"id": "gen", "type": "generic", "bus": 3, "address": "0x50", "register": 255, "length": 4, "signed": True,
     "byte_order": "little", "scale": -0.5, "offset": 100, "quantity": "level", "unit": "cm",
     "deadband": {"level": 2}},
]

# (name, config, the summary after "configuration OK: ")
GOOD = [
    ("empty object", {}, "broker localhost:1883, topic prefix piogate/%s, 0 sensors, 0 inputs, 0 actuators, "
                         "linux board" % HOST),
    ("TLS port default", {"mqtt": {"host": "broker.lan", "tls": {}, "topic_prefix": "a/b"}},
     "broker broker.lan:8883 (TLS), topic prefix a/b, 0 sensors, 0 inputs, 0 actuators, linux board"),
    ("a list of brokers", {"mqtt": {"hosts": ["primary.lan", "backup.lan:1884", "[::1]:1885",
                                             {"host": "127.0.0.1", "port": 1886}],
                                   "reconnect_spread_s": 30, "topic_prefix": "a"}},
     "brokers primary.lan:1883, backup.lan:1884, [::1]:1885, 127.0.0.1:1886 (in this order), topic prefix a, "
     "0 sensors, 0 inputs, 0 actuators, linux board"),
    ("every sensor type and option", {"mqtt": {"topic_prefix": "t"}, "sensors": EVERY_SENSOR},
     "broker localhost:1883, topic prefix t, 13 sensors, 0 inputs, 0 actuators, linux board"),
    ("every mqtt, gpio, buffer and sim key", {
        "mqtt": {"host": "127.0.0.1", "port": 1884, "client_id": "", "clean_session": True, "protocol": "3.1",
                 "keepalive_s": 0, "bind_address": "127.0.0.1",
                 "tls": {"enabled": False, "ca_file": "", "cert_file": "/c.pem", "key_file": "/k.pem",
                         "insecure": True},
                 "username": "u", "password_file": PASSWORD, "reconnect_min_s": 0.01,
                 "reconnect_max_s": 0.01, "max_queued": 1, "queue_full": "reject", "topic_prefix": "x"},
        "board": {"kind": "sim", "gpio": [{"chip": "gpiochip0", "label": "pinctrl-rp1", "lines": 54},
                                          {"chip": "gpiochip1", "label": "aux", "lines": 1}],
                  "i2c": [{"bus": 1, "devices": [
                      {"model": "bme280", "address": "0x76", "temperature": -40, "humidity": 100, "pressure": 300},
                      {"model": "ads1115", "address": "0x48", "voltage0": 1.5},
                      {"model": "ina219", "address": "0x40", "voltage": 12, "current": -1}]},
                          {"bus": 0, "devices": []}],
                  "patterns": [{"line": "GPIO17", "toggle_every_ms": 10}]},
        "inputs": [{"id": "door", "chip": "", "line": "GPIO17", "edges": "falling", "bias": "pull_down",
                    "active_low": True, "debounce_ms": 0, "device_class": "garage_door"},
                   {"id": "pir", "chip": "gpiochip1", "line": "0"}],
        "actuators": [{"id": "relay", "chip": "pinctrl-rp1", "line": "GPIO22", "active_low": True,
                       "drive": "open_source", "initial": "ON", "failsafe": "OFF", "failsafe_after_s": 604800,
                       "accept_retained": True}],
        "buffer": {"max_messages": 1000000, "when_full": "drop_newest", "persist": True,
                   "file": "/var/lib/piogate/b.jsonl"}},
     "broker 127.0.0.1:1884, topic prefix x, 0 sensors, 2 inputs, 1 actuator, simulated board"),
    ("TLS files and password present, limits reached exactly", {
        "mqtt": {"tls": {"ca_file": OTHER_CA, "cert_file": CA, "key_file": KEY}, "username": "u",
                 "password_file": PASSWORD, "protocol": "3.1", "client_id": "c" * 23, "topic_prefix": "t" * 1024}},
     "broker localhost:8883 (TLS), topic prefix %s, 0 sensors, 0 inputs, 0 actuators, linux board" % ("t" * 1024)),
    ("WebSocket over TLS with a path and headers, through an HTTP proxy", {
        "mqtt": {"host": "broker.example", "port": 443, "transport": "websockets", "ws_path": "/ws/mqtt",
                 "ws_headers": {"Authorization": "Bearer abc", "X-Client": "piogate"},
                 "tls": {"alpn": ["mqtt"]}, "topic_prefix": "t",
                 "proxy": {"type": "http", "host": "proxy.lan", "port": 3128, "username": "u",
                           "password_file": PASSWORD}}},
     "broker wss://broker.example:443/ws/mqtt via HTTP proxy proxy.lan:3128, topic prefix t, "
     "0 sensors, 0 inputs, 0 actuators, linux board"),
    ("MQTT 5 with a persistent session and expiring readings", {
        "mqtt": {"protocol": "5", "client_id": "gw", "clean_session": False, "session_expiry_s": 4294967295,
                 "topic_prefix": "t"},
        "sensors": [{"id": "s", "type": "sht3x", "bus": 1, "expiry_s": 60},
                    {"id": "r", "type": "bme280", "bus": 1, "expiry_s": 4294967295}]},
     "broker localhost:1883, topic prefix t, 2 sensors, 0 inputs, 0 actuators, linux board"),
    ("MQTT 5 spelled 5.0, session expiry 0", {"mqtt": {"protocol": "5.0", "session_expiry_s": 0, "topic_prefix": "t"}},
     "broker localhost:1883, topic prefix t, 0 sensors, 0 inputs, 0 actuators, linux board"),
    ("a Unix socket", {"mqtt": {"transport": "unix", "unix_socket": "/run/mosquitto/mqtt.sock", "topic_prefix": "t"}},
     "broker unix:/run/mosquitto/mqtt.sock, topic prefix t, 0 sensors, 0 inputs, 0 actuators, linux board"),
    ("two brokers over SOCKS5", {"mqtt": {"hosts": ["a", "b:1884"], "topic_prefix": "t",
                                          "proxy": {"type": "socks5", "host": "127.0.0.1"}}},
     "brokers a:1883, b:1884 (in this order) via SOCKS5 proxy 127.0.0.1:1080, topic prefix t, "
     "0 sensors, 0 inputs, 0 actuators, linux board"),
    ("one line name on two simulated chips, offsets spelt apart", {
        "board": {"kind": "sim", "gpio": [{"chip": "gpiochip0", "lines": 28}, {"chip": "gpiochip1", "label": "aux", "lines": 8}],
                  "i2c": [{"bus": 1, "devices": [{"model": "sht3x", "address": "0x44"}]}],
                  "patterns": [{"line": "gpiochip1:3", "toggle_every_ms": 100}]},
        "sensors": [{"id": "s", "type": "sht3x", "bus": 1}],
        "inputs": [{"id": "a", "line": "GPIO5"}, {"id": "b", "chip": "aux", "line": "5"},
                   {"id": "c", "chip": "gpiochip1", "line": "GPIO3"}],
        "actuators": [{"id": "r", "chip": "/dev/gpiochip0", "line": "6"}]},
     "broker localhost:1883, topic prefix piogate/%s, 1 sensor, 3 inputs, 1 actuator, simulated board" % HOST),
]

HOMEASSISTANT_GOOD = [
    ("homeassistant section", {"mqtt": {"topic_prefix": "t"}, "homeassistant": {
        "enabled": True, "discovery_prefix": "ha", "device_name": "Garage", "status_topic": "ha/status"}},
     "broker localhost:1883, topic prefix t, 0 sensors, 0 inputs, 0 actuators, linux board"),
]


def write_config(directory, index, config):
    """The file for a row's config (a path that does not exist for MISSING)."""
    if isinstance(config, existing):
        return str(config)
    path = os.path.join(directory, "case%04d.json" % index)
    if config is MISSING:
        return path
    with open(path, "w", encoding="utf-8") as f:
        f.write(config if isinstance(config, raw) else json.dumps(config, indent=2))
    return path


def run_daemon(*args):
    """One run of the daemon, stdin closed, bounded at 10 s. A run over 1 s is reported on
    stderr at once (unittest's own output comes only at the end, which a ctest timeout cuts)."""
    started = time.monotonic()
    try:
        return subprocess.run([PIOGATE, *args], stdin=subprocess.DEVNULL, capture_output=True, text=True,
                              timeout=10)
    finally:
        took = time.monotonic() - started
        if took > 1:
            print("slow: piogate %s took %.1f s" % (" ".join(args), took), file=sys.stderr, flush=True)


def check_config(path):
    return run_daemon("--check-config", "-c", path)


def start_up(path):
    """The daemon as systemd starts it; a bad config must stop it before anything runs."""
    return run_daemon("-c", path)


def in_parallel(run, paths):
    """run(path) for every path, four at a time, results in order."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(run, paths))


def homeassistant_hooked(directory):
    """Whether parse_config reads the "homeassistant" section yet."""
    p = check_config(write_config(directory, 99, {"homeassistant": {}}))
    return p.returncode == 0


class config_errors(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.TemporaryDirectory()
        cls.ha = homeassistant_hooked(cls.dir.name)

    @classmethod
    def tearDownClass(cls):
        cls.dir.cleanup()

    def setUp(self):
        # Progress as it happens, so a run cut by ctest's timeout shows where it stood.
        print("%.1f s: %s" % (time.monotonic() - STARTED, self._testMethodName), file=sys.stderr, flush=True)

    def assert_all_rejected(self, first, rows):
        """--check-config on every row (four at a time: hundreds of runs), then each row's checks."""
        paths = [write_config(self.dir.name, first + index, c.config) for index, c in enumerate(rows)]
        for c, path, p in zip(rows, paths, in_parallel(check_config, paths)):
            with self.subTest(c.name):
                self.assert_rejected(c, path, p)

    def assert_rejected(self, c, path, p):
        self.assertEqual(p.returncode, 2, p.stdout + p.stderr)
        self.assertEqual(p.stdout, "")
        lines = p.stderr.splitlines()
        self.assertEqual(len(lines), 1, p.stderr)
        if c.at.startswith("/"):
            prefix = "piogate: %s: %s: " % (path, c.at)
        else:
            prefix = "piogate: %s%s: " % (path, c.at)
        self.assertTrue(lines[0].startswith(prefix), "%r does not start with %r" % (lines[0], prefix))
        self.assertIn(c.message, lines[0])

    def test_bad_configs_exit_2_naming_path_and_problem(self):
        self.assert_all_rejected(0, BAD)

    def test_bad_homeassistant_sections(self):
        if not self.ha:
            self.skipTest('parse_config does not read "homeassistant" yet')
        self.assert_all_rejected(1000, HOMEASSISTANT_BAD)

    def test_start_up_refuses_every_bad_config_as_the_check_does(self):
        # Exit 2 (RestartPreventExitStatus), not 1, and the same line: one validation.
        rows = BAD + (HOMEASSISTANT_BAD if self.ha else [])
        paths = [write_config(self.dir.name, 2000 + index, c.config) for index, c in enumerate(rows)]
        started = in_parallel(start_up, paths)
        checked = in_parallel(check_config, paths)
        for c, p, check in zip(rows, started, checked):
            with self.subTest(c.name):
                self.assertEqual(p.returncode, 2, p.stderr)
                self.assertEqual(p.stdout, "")
                self.assertEqual(p.stderr, check.stderr)

    def test_start_up_refuses_one_line_claimed_twice_on_the_simulated_board(self):
        # Was "line busy" and exit 1, which systemd restarts forever.
        config = dict(sim_board(), inputs=[{"id": "door", "line": "GPIO22"}],
                      actuators=[{"id": "relay", "chip": "pinctrl-bcm2835", "line": "22"}])
        path = write_config(self.dir.name, 398, config)
        p = start_up(path)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn("/actuators/0/line: line gpiochip0:GPIO22 is already claimed by /inputs/0", p.stderr)

    def test_missing_credential_files_are_warned_about_not_refused(self):
        # Credentials may be provisioned after boot: start-up then exits 1 (systemd retries),
        # so the check warns and passes instead of refusing with 2.
        none = os.path.join(FILES, "not-yet")
        path = write_config(self.dir.name, 399, {"mqtt": {"username": "u", "password_file": none,
                                                          "tls": {"ca_file": none + ".pem"}}})
        p = check_config(path)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertTrue(p.stdout.startswith("configuration OK"), p.stdout)
        self.assertIn("/mqtt/password_file: %s: cannot read: No such file or directory" % none, p.stderr)
        self.assertIn("/mqtt/tls/ca_file: %s.pem: cannot read: No such file or directory" % none, p.stderr)

    def test_state_paths_on_a_read_only_file_system_are_refused(self):
        # What ProtectSystem=strict makes of a path outside ReadWritePaths=: EROFS, even for root.
        # Was: "configuration OK", then a failed write at run time (the buffer: exit 1).
        if shutil.which("unshare") is None:
            self.skipTest("no unshare")
        ro = tempfile.mkdtemp(prefix="piogate-ro-")
        self.addCleanup(os.rmdir, ro)
        probe = subprocess.run(["unshare", "-m", "sh", "-c", 'mount -t tmpfs -o ro tmpfs "$0"', ro],
                               capture_output=True, text=True, timeout=10)
        if probe.returncode != 0:
            self.skipTest("cannot mount a read-only tmpfs in a mount namespace: " + probe.stderr.strip())
        rows = [({"counters": [{"id": "power", "line": "GPIO5", "state_file": ro + "/counter-power.json"}]},
                 "/counters/0/state_file", 'cannot write "%s/counter-power.json": its directory %s is not writable '
                 "(Read-only file system); the packaged unit allows writes only under /var/lib/piogate; add "
                 "ReadWritePaths=%s in a drop-in (systemctl edit piogate)" % (ro, ro, ro), {}),
                ({"actuators": [{"id": "relay", "line": "GPIO22", "initial": "restore"}]},
                 "/actuators/0/initial", 'cannot write "%s/actuator-relay.json": its directory %s is not writable '
                 "(Read-only file system)" % (ro, ro), {"STATE_DIRECTORY": ro}),
                ({"buffer": {"persist": True, "file": ro + "/sub/buffer.jsonl"}},
                 "/buffer/file", 'cannot write "%s/sub/buffer.jsonl": its directory %s/sub cannot be created: %s is '
                 "not writable (Read-only file system); the packaged unit allows writes only under /var/lib/piogate; "
                 "add ReadWritePaths=%s/sub in a drop-in (systemctl edit piogate)" % (ro, ro, ro, ro), {})]
        for index, (config, at, message, env) in enumerate(rows):
            path = write_config(self.dir.name, 390 + index, config)
            for args in (["--check-config", "-c", path], ["-c", path]):
                with self.subTest(at=at, args=args):
                    p = subprocess.run(["unshare", "-m", "sh", "-c", 'mount -t tmpfs -o ro tmpfs "$0" && exec "$@"',
                                        ro, PIOGATE, *args], stdin=subprocess.DEVNULL, capture_output=True,
                                       text=True, timeout=10, env=dict(os.environ, **env))
                    self.assertEqual(p.returncode, 2, p.stderr)
                    self.assertEqual(p.stdout, "")
                    self.assertEqual(p.stderr, "piogate: %s: %s: %s\n" % (path, at, message))

    def test_good_configs_exit_0_with_the_summary(self):
        good = GOOD + (HOMEASSISTANT_GOOD if self.ha else [])
        for index, (name, config, summary) in enumerate(good):
            with self.subTest(name):
                p = check_config(write_config(self.dir.name, 100 + index, config))
                self.assertEqual(p.returncode, 0, p.stderr)
                self.assertEqual(p.stderr, "")
                self.assertEqual(p.stdout, "configuration OK: " + summary + "\n")

    # Known parser bugs: each names what should happen. Remove the decorator once fixed.
    def assert_rejected_at(self, config_text, at):
        path = write_config(self.dir.name, 300, raw(config_text))
        p = check_config(path)
        self.assertEqual(p.returncode, 2, p.stdout)
        self.assertIn("piogate: %s" % path, p.stderr)
        self.assertIn(at, p.stderr)

    def test_fixed_sensor_bus_beyond_int_is_truncated(self):
        # 4294967297 is taken as bus 1 (bus->get<int>() truncates) instead of being out of range.
        self.assert_rejected_at('{"sensors": [{"id": "s", "type": "bme280", "bus": 4294967297}]}',
                                ": /sensors/0/bus: ")

    def test_fixed_ads_channel_beyond_int_is_truncated(self):
        # 4294967296 is taken as channel 0 instead of "a channel is 0, 1, 2 or 3".
        self.assert_rejected_at('{"sensors": [{"id": "s", "type": "ads1115", "bus": 1, '
                                '"channels": [4294967296]}]}', ": /sensors/0/channels/0: ")

    def test_fixed_number_overflow_has_no_file_nor_position(self):
        # Prints "piogate: [json.exception.out_of_range.406] number overflow parsing '1e400'".
        self.assert_rejected_at('{"mqtt": {"keepalive_s": 1e400}}', ":1:")

    def test_fixed_empty_gpio_line_is_accepted(self):
        self.assert_rejected_at('{"inputs": [{"id": "door", "line": ""}]}', ": /inputs/0/line: ")

    def test_fixed_topic_prefix_with_nul_is_accepted(self):
        # MQTT forbids U+0000 in topics; homeassistant's topics check it, mqtt.topic_prefix does not.
        self.assert_rejected_at('{"mqtt": {"topic_prefix": "a\\u0000b"}}', ": /mqtt/topic_prefix: ")


if __name__ == "__main__":
    unittest.main()
