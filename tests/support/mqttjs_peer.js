// SPDX-License-Identifier: Apache-2.0
// An independent MQTT peer for the interop tests: MQTT.js (npm "mqtt"), over tcp, ws or wss,
// MQTT 3.1.1 or 5.0. Driven by test_interop_mqttjs.py; standard output is one JSON object per
// line, so the test reads events as they happen.
//
//   node mqttjs_peer.js sub URL TOPIC QOS COUNT [VERSION]   prints {"ready":true} after SUBACK,
//       then {"topic","payload","qos","retain","properties"} per message; exits after COUNT
//   node mqttjs_peer.js pub URL TOPIC QOS COUNT [VERSION]   publishes payloads "0".."COUNT-1"
//       (with user property and content type under 5.0), prints {"done":COUNT}
//
// MQTT.js is found through PIOGATE_MQTTJS (a node_modules parent) or .ci/deps's cache.
"use strict";
const path = require("path");
const base = process.env.PIOGATE_MQTTJS || "/var/cache/piogate-ci/mqttjs";
const mqtt = require(path.join(base, "node_modules", "mqtt"));

const [mode, url, topic, qosText, countText, versionText] = process.argv.slice(2);
const qos = Number(qosText);
const count = Number(countText);
const protocolVersion = Number(versionText || 4);
const say = (obj) => process.stdout.write(JSON.stringify(obj) + "\n");

const client = mqtt.connect(url, {
  protocolVersion,
  clientId: "mqttjs-" + mode + "-" + process.pid,
  reconnectPeriod: 0,
  connectTimeout: 5000,
});
const failTimer = setTimeout(() => {
  say({ error: "timeout" });
  process.exit(3);
}, 20000);
let finished = false;  // errors after the last message (while ending) do not count
client.on("error", (e) => {
  if (finished) return;
  say({ error: String(e.message || e) });
  process.exit(2);
});

if (mode === "sub") {
  let seen = 0;
  client.on("connect", () => {
    client.subscribe(topic, { qos }, (err, granted) => {
      if (err) {
        say({ error: String(err) });
        process.exit(2);
      }
      say({ ready: true, granted: granted.map((g) => g.qos) });
    });
  });
  client.on("message", (t, payload, packet) => {
    say({
      topic: t,
      payload: payload.toString("utf8"),
      qos: packet.qos,
      retain: packet.retain,
      properties: packet.properties || {},
    });
    if (++seen >= count) {
      finished = true;
      clearTimeout(failTimer);
      client.end(false, () => process.exit(0));
    }
  });
} else if (mode === "pub") {
  client.on("connect", async () => {
    const options = { qos };
    if (protocolVersion === 5) {
      options.properties = { userProperties: { from: "mqttjs" }, contentType: "text/plain" };
    }
    for (let i = 0; i < count; ++i) {
      await client.publishAsync(topic, String(i), options);
    }
    say({ done: count });
    finished = true;
    clearTimeout(failTimer);
    client.end(false, () => process.exit(0));
  });
} else {
  say({ error: "mode must be sub or pub" });
  process.exit(2);
}
