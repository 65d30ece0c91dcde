/*
 * bench_command_probe: the measuring client of the command -> state benchmark
 * (bench/run_command_bench.py). The same probe measures every subject (the
 * daemon and the libmosquitto echo client), so what it adds to a round trip
 * it adds to both.
 *
 * It subscribes to PREFIX/actuators/ID/state (QoS 1), waits for the current
 * state (the subject's retained one), then sends --warmup + --count commands
 * to PREFIX/actuators/ID/set, alternating ON and OFF so that every command
 * changes the state, one at a time: each waits for the matching state
 * message (not retained, payload equal to the command) before the next goes.
 * A round trip is CLOCK_MONOTONIC from just before mosquitto_publish() of
 * the command to the message callback of the state.
 *
 * libmosquitto, one thread driving mosquitto_loop(), TCP_NODELAY on.
 * Commands are published at --qos (default 1, the daemon's subscription QoS).
 * Every wait is bounded: --timeout-ms per command (default 5000), 15 s for
 * the connection and the first state message.
 *
 * Prints one JSON line: count and p50 / p90 / p99 / p99.9 / max / mean in µs
 * (nearest-rank percentiles over --count round trips, warm-up excluded).
 * --raw FILE also writes every round trip in µs, one per line.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <mosquitto.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
// SPDX-License-Identifier: Apache-2.0
#define BENCH_NAME "bench_command_probe"
#include "bench_common.h"

#define LOOP_TIMEOUT_MS 100
#define START_TIMEOUT_S 15.0

struct probe {
    const char *host;
    int port;
    const char *prefix;
    const char *id;
    long count;
    long warmup;
    int qos;
    long timeout_ms;
    const char *raw_path;
    bool quickack;

    char set_topic[512];
    char state_topic[512];
    int connect_rc;   /* CONNACK code, -1 until it arrives */
    bool subscribed;  /* SUBACK received */
    int state;        /* last state seen: -1 unknown, 0 OFF, 1 ON */
    int want;         /* the state the command in flight asks for, -1 if none */
    bool matched;     /* the matching state arrived */
    int64_t t_match;  /* when (ns) */
    long unexpected;  /* state messages that did not match the command in flight */
};

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void on_connect(struct mosquitto *mosq, void *obj, int rc)
{
    struct probe *p = obj;
    p->connect_rc = rc;
    if (rc != 0)
        return;
    int src = mosquitto_subscribe(mosq, NULL, p->state_topic, 1);
    if (src != MOSQ_ERR_SUCCESS)
        die_mosq("subscribe", src);
}

static void on_subscribe(struct mosquitto *mosq, void *obj, int mid, int n, const int *granted)
{
    struct probe *p = obj;
    (void)mosq;
    (void)mid;
    if (n < 1 || granted[0] > 2)
        die("subscription to %s refused", p->state_topic);
    p->subscribed = true;
}

static void on_message(struct mosquitto *mosq, void *obj, const struct mosquitto_message *m)
{
    int64_t t = now_ns();
    struct probe *p = obj;
    (void)mosq;
    if (strcmp(m->topic, p->state_topic) != 0)
        return;
    int value = -1;
    if (m->payloadlen == 2 && memcmp(m->payload, "ON", 2) == 0)
        value = 1;
    else if (m->payloadlen == 3 && memcmp(m->payload, "OFF", 3) == 0)
        value = 0;
    if (value < 0)
        die("unexpected state payload on %s (%d bytes)", m->topic, m->payloadlen);
    if (p->want >= 0) {
        if (!m->retain && value == p->want && !p->matched) {
            p->matched = true;
            p->t_match = t;
        } else {
            p->unexpected++;
        }
    }
    p->state = value;
}

static void loop_once(struct probe *p, struct mosquitto *mosq, const char *phase)
{
    int rc = mosquitto_loop(mosq, LOOP_TIMEOUT_MS, 1);
    if (rc != MOSQ_ERR_SUCCESS)
        die_mosq(phase, rc);
    /* Acknowledge what was just read at once (Linux re-arms delayed ACKs, so
     * this is set after every read): otherwise the broker's PUBACK for the
     * command sits unacknowledged, and a broker with Nagle on (mosquitto's
     * default) holds the state message back until the probe's delayed ACK,
     * ~40 ms. The probe must not add that to the subjects' round trips. */
    int one = 1;
    if (p->quickack && mosquitto_socket(mosq) >= 0)
        setsockopt(mosquitto_socket(mosq), IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
    if (p->connect_rc > 0)
        die("connection refused: %s", mosquitto_connack_string(p->connect_rc));
}

/* One command; returns its round trip in ns. */
static int64_t round_trip(struct probe *p, struct mosquitto *mosq, long index)
{
    p->want = !p->state;
    p->matched = false;
    const char *payload = p->want ? "ON" : "OFF";
    int64_t t0 = now_ns();
    int rc = mosquitto_publish(mosq, NULL, p->set_topic, (int)strlen(payload), payload, p->qos,
                               false);
    if (rc != MOSQ_ERR_SUCCESS)
        die_mosq("publish command", rc);
    int64_t deadline = t0 + (int64_t)p->timeout_ms * 1000000;
    while (!p->matched) {
        loop_once(p, mosq, "waiting for the state");
        if (!p->matched && now_ns() > deadline)
            die("command %ld (%s): no state within %ld ms", index, payload, p->timeout_ms);
    }
    p->want = -1;
    return p->t_match - t0;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Nearest rank, in µs. */
static double percentile_us(const int64_t *sorted, long n, double pct)
{
    long rank = (long)ceil(pct / 100.0 * (double)n);
    if (rank < 1)
        rank = 1;
    if (rank > n)
        rank = n;
    return (double)sorted[rank - 1] / 1e3;
}

static void usage(void)
{
    fputs("usage: bench_command_probe [--host H] [--port P] --prefix PREFIX --id ID\n"
          "         [--count N] [--warmup N] [--qos 0|1|2] [--timeout-ms MS] [--raw FILE]\n"
          "         [--no-quickack]\n",
          stderr);
    exit(2);
}

static void parse_args(struct probe *p, int argc, char **argv)
{
    static const struct option opts[] = {
        {"host", required_argument, NULL, 'h'},
        {"port", required_argument, NULL, 'p'},
        {"prefix", required_argument, NULL, 'x'},
        {"id", required_argument, NULL, 'i'},
        {"count", required_argument, NULL, 'c'},
        {"warmup", required_argument, NULL, 'w'},
        {"qos", required_argument, NULL, 'q'},
        {"timeout-ms", required_argument, NULL, 't'},
        {"raw", required_argument, NULL, 'r'},
        {"no-quickack", no_argument, NULL, 'n'},
        {NULL, 0, NULL, 0},
    };
    int opt;
    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (opt) {
        case 'h': p->host = optarg; break;
        case 'p': p->port = (int)parse_long(optarg, 1, 65535, "port"); break;
        case 'x': p->prefix = optarg; break;
        case 'i': p->id = optarg; break;
        case 'c': p->count = parse_long(optarg, 1, 10000000L, "count"); break;
        case 'w': p->warmup = parse_long(optarg, 0, 1000000L, "warmup"); break;
        case 'q': p->qos = (int)parse_long(optarg, 0, 2, "qos"); break;
        case 't': p->timeout_ms = parse_long(optarg, 1, 600000L, "timeout-ms"); break;
        case 'r': p->raw_path = optarg; break;
        case 'n': p->quickack = false; break;
        default: usage();
        }
    }
    if (optind != argc || !p->prefix || !p->id)
        usage();
}

int main(int argc, char **argv)
{
    static struct probe p = {
        .host = "127.0.0.1", .port = 1883, .count = 10000, .warmup = 100, .qos = 1,
        .timeout_ms = 5000, .quickack = true, .connect_rc = -1, .state = -1, .want = -1,
    };
    parse_args(&p, argc, argv);
    if (snprintf(p.set_topic, sizeof p.set_topic, "%s/actuators/%s/set", p.prefix, p.id)
            >= (int)sizeof p.set_topic
        || snprintf(p.state_topic, sizeof p.state_topic, "%s/actuators/%s/state", p.prefix, p.id)
            >= (int)sizeof p.state_topic)
        die("topic too long");
    int64_t *rtt = malloc((size_t)p.count * sizeof *rtt);
    if (!rtt)
        die("out of memory");

    mosquitto_lib_init();
    char client_id[64];
    snprintf(client_id, sizeof client_id, "bench-command-probe-%ld", (long)getpid());
    struct mosquitto *mosq = mosquitto_new(client_id, true, &p);
    if (!mosq)
        die("mosquitto_new: %s", strerror(errno));
    mosquitto_int_option(mosq, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V311);
    mosquitto_int_option(mosq, MOSQ_OPT_TCP_NODELAY, 1);
    mosquitto_connect_callback_set(mosq, on_connect);
    mosquitto_subscribe_callback_set(mosq, on_subscribe);
    mosquitto_message_callback_set(mosq, on_message);
    int rc = mosquitto_connect(mosq, p.host, p.port, 60);
    if (rc != MOSQ_ERR_SUCCESS) {
        char what[128];
        snprintf(what, sizeof what, "connect to %s:%d", p.host, p.port);
        die_mosq(what, rc);
    }

    /* The subject's retained state tells that it is up and what its state is. */
    int64_t start_deadline = now_ns() + (int64_t)(START_TIMEOUT_S * 1e9);
    while (!p.subscribed || p.state < 0) {
        loop_once(&p, mosq, "waiting for the first state");
        if (now_ns() > start_deadline)
            die("no state on %s within %.0f s (is the subject running?)", p.state_topic,
                START_TIMEOUT_S);
    }

    for (long i = 0; i < p.warmup; i++)
        round_trip(&p, mosq, i - p.warmup);
    int64_t t_start = now_ns();
    for (long i = 0; i < p.count; i++)
        rtt[i] = round_trip(&p, mosq, i);
    double seconds = (double)(now_ns() - t_start) / 1e9;

    mosquitto_disconnect(mosq);
    mosquitto_destroy(mosq);
    mosquitto_lib_cleanup();

    if (p.raw_path) {
        FILE *f = fopen(p.raw_path, "w");
        if (!f)
            die("%s: %s", p.raw_path, strerror(errno));
        for (long i = 0; i < p.count; i++)
            fprintf(f, "%.1f\n", (double)rtt[i] / 1e3);
        if (fclose(f) != 0)
            die("%s: %s", p.raw_path, strerror(errno));
    }
    double sum = 0;
    for (long i = 0; i < p.count; i++)
        sum += (double)rtt[i];
    qsort(rtt, (size_t)p.count, sizeof *rtt, cmp_i64);
    printf("{\"count\":%ld,\"warmup\":%ld,\"qos\":%d,\"seconds\":%.6f,"
           "\"p50_us\":%.1f,\"p90_us\":%.1f,\"p99_us\":%.1f,\"p999_us\":%.1f,"
           "\"max_us\":%.1f,\"mean_us\":%.1f,\"unexpected\":%ld}\n",
           p.count, p.warmup, p.qos, seconds, percentile_us(rtt, p.count, 50),
           percentile_us(rtt, p.count, 90), percentile_us(rtt, p.count, 99),
           percentile_us(rtt, p.count, 99.9), (double)rtt[p.count - 1] / 1e3,
           sum / (double)p.count / 1e3, p.unexpected);
    free(rtt);
    return 0;
}
