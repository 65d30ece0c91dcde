/*
 * bench_echo_libmosquitto: the reference subject of the command -> state
 * benchmark (bench/run_command_bench.py). A minimal libmosquitto client that
 * does what the daemon does for one actuator, minus the GPIO line:
 *
 *  - on connect: subscribe to PREFIX/actuators/ID/set at QoS 1 and publish the
 *    current state to PREFIX/actuators/ID/state (QoS 1, retained), as the
 *    daemon announces its actuators;
 *  - on each command that is not retained (the daemon ignores retained ones
 *    unless told otherwise): parse ON / OFF / TOGGLE (any case), 1 / 0,
 *    true / false, set the state, and publish it to .../state, QoS 1,
 *    retained. A bad payload changes nothing and publishes nothing.
 *
 * It uses libmosquitto the fastest way it can be used: one thread, the
 * program drives mosquitto_loop() itself, so mosquitto_publish() writes
 * straight into the socket from the message callback; TCP_NODELAY on.
 *
 * Runs until SIGTERM / SIGINT (then DISCONNECT, exit 0) or --max-seconds
 * (exit 1); a lost connection is an error (exit 1), there is no reconnect.
 * Prints one JSON line at exit: commands handled and its own CPU and peak RSS.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <mosquitto.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
// SPDX-License-Identifier: Apache-2.0
#define BENCH_NAME "bench_echo_libmosquitto"
#include "bench_common.h"

#define LOOP_TIMEOUT_MS 100 /* bound on one mosquitto_loop() wait, so signals act quickly */

struct echo {
    const char *host;
    int port;
    const char *prefix;
    const char *id;
    double max_seconds;

    char set_topic[512];
    char state_topic[512];
    bool state;      /* the simulated output: false = OFF */
    long commands;   /* commands applied */
    long rejected;   /* bad payloads */
    int connect_rc;  /* CONNACK code, -1 until it arrives */
};

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static void publish_state(struct mosquitto *mosq, struct echo *e)
{
    const char *payload = e->state ? "ON" : "OFF";
    int rc = mosquitto_publish(mosq, NULL, e->state_topic, (int)strlen(payload), payload, 1, true);
    if (rc != MOSQ_ERR_SUCCESS)
        die_mosq("publish state", rc);
}

static void on_connect(struct mosquitto *mosq, void *obj, int rc)
{
    struct echo *e = obj;
    e->connect_rc = rc;
    if (rc != 0)
        return;
    int src = mosquitto_subscribe(mosq, NULL, e->set_topic, 1);
    if (src != MOSQ_ERR_SUCCESS)
        die_mosq("subscribe", src);
    publish_state(mosq, e);
}

/* The daemon's command forms without the JSON pulse: 1 = ON, 0 = OFF,
 * 2 = TOGGLE, -1 = not a command. */
static int parse_command(const char *p, int len)
{
    static const struct { const char *text; int value; } forms[] = {
        {"on", 1}, {"off", 0}, {"toggle", 2}, {"1", 1}, {"0", 0}, {"true", 1}, {"false", 0},
    };
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        if ((int)strlen(forms[i].text) == len && strncasecmp(p, forms[i].text, (size_t)len) == 0)
            return forms[i].value;
    }
    return -1;
}

static void on_message(struct mosquitto *mosq, void *obj, const struct mosquitto_message *m)
{
    struct echo *e = obj;
    if (m->retain || strcmp(m->topic, e->set_topic) != 0)
        return;
    int cmd = parse_command(m->payload ? (const char *)m->payload : "", m->payloadlen);
    if (cmd < 0) {
        e->rejected++;
        return;
    }
    e->state = cmd == 2 ? !e->state : cmd == 1;
    e->commands++;
    publish_state(mosq, e);
}

static long status_kib(const char *key)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return -1;
    char line[256];
    long kib = -1;
    size_t n = strlen(key);
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, key, n) == 0 && line[n] == ':') {
            kib = strtol(line + n + 1, NULL, 10);
            break;
        }
    }
    fclose(f);
    return kib;
}

static void usage(void)
{
    fputs("usage: bench_echo_libmosquitto [--host H] [--port P] --prefix PREFIX --id ID\n"
          "         [--max-seconds S]\n",
          stderr);
    exit(2);
}

static void parse_args(struct echo *e, int argc, char **argv)
{
    static const struct option opts[] = {
        {"host", required_argument, NULL, 'h'},
        {"port", required_argument, NULL, 'p'},
        {"prefix", required_argument, NULL, 'x'},
        {"id", required_argument, NULL, 'i'},
        {"max-seconds", required_argument, NULL, 'm'},
        {NULL, 0, NULL, 0},
    };
    int opt;
    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (opt) {
        case 'h': e->host = optarg; break;
        case 'p': e->port = (int)parse_long(optarg, 1, 65535, "port"); break;
        case 'x': e->prefix = optarg; break;
        case 'i': e->id = optarg; break;
        case 'm': e->max_seconds = (double)parse_long(optarg, 1, 86400, "max-seconds"); break;
        default: usage();
        }
    }
    if (optind != argc || !e->prefix || !e->id)
        usage();
}

int main(int argc, char **argv)
{
    static struct echo e = {
        .host = "127.0.0.1", .port = 1883, .max_seconds = 3600, .connect_rc = -1,
    };
    parse_args(&e, argc, argv);
    if (snprintf(e.set_topic, sizeof e.set_topic, "%s/actuators/%s/set", e.prefix, e.id)
            >= (int)sizeof e.set_topic
        || snprintf(e.state_topic, sizeof e.state_topic, "%s/actuators/%s/state", e.prefix, e.id)
            >= (int)sizeof e.state_topic)
        die("topic too long");

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);

    mosquitto_lib_init();
    char client_id[64];
    snprintf(client_id, sizeof client_id, "bench-echo-libmosquitto-%ld", (long)getpid());
    struct mosquitto *mosq = mosquitto_new(client_id, true, &e);
    if (!mosq)
        die("mosquitto_new: %s", strerror(errno));
    mosquitto_int_option(mosq, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V311);
    mosquitto_int_option(mosq, MOSQ_OPT_TCP_NODELAY, 1);
    mosquitto_connect_callback_set(mosq, on_connect);
    mosquitto_message_callback_set(mosq, on_message);

    int rc = mosquitto_connect(mosq, e.host, e.port, 60);
    if (rc != MOSQ_ERR_SUCCESS) {
        char what[128];
        snprintf(what, sizeof what, "connect to %s:%d", e.host, e.port);
        die_mosq(what, rc);
    }

    double deadline = now_s() + e.max_seconds;
    while (!stop_requested) {
        rc = mosquitto_loop(mosq, LOOP_TIMEOUT_MS, 1);
        if (rc != MOSQ_ERR_SUCCESS && !stop_requested)
            die_mosq("network loop", rc);
        if (e.connect_rc > 0)
            die("connection refused: %s", mosquitto_connack_string(e.connect_rc));
        if (now_s() > deadline)
            die("--max-seconds (%.0f s) reached", e.max_seconds);
    }

    long hwm = status_kib("VmHWM"), rss = status_kib("VmRSS");
    mosquitto_disconnect(mosq);
    for (int i = 0; i < 10 && mosquitto_want_write(mosq); i++)
        mosquitto_loop(mosq, LOOP_TIMEOUT_MS, 1);
    mosquitto_destroy(mosq);
    mosquitto_lib_cleanup();

    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("{\"impl\":\"libmosquitto-echo\",\"commands\":%ld,\"rejected\":%ld,"
           "\"cpu_user_s\":%.6f,\"cpu_sys_s\":%.6f,\"vmhwm_kib\":%ld,\"vmrss_kib\":%ld}\n",
           e.commands, e.rejected,
           (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6,
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6, hwm, rss);
    return 0;
}
