/* SPDX-License-Identifier: Apache-2.0
 * bench_pub_libmosquitto: reference MQTT publisher built on libmosquitto.
 *
 * It publishes --count messages of --size bytes to one topic as fast as
 * libmosquitto allows, keeping at most --inflight messages outstanding, and
 * prints one JSON line with the result. It is the yardstick other publishers
 * (bench_pub_piogate) are compared against, so it uses libmosquitto the
 * fastest way it can be used and nothing else:
 *
 *  - default: one thread, the program drives mosquitto_loop() itself;
 *    mosquitto_publish() then writes straight into the socket.
 *  - --threaded: mosquitto_loop_start(); the main thread publishes and the
 *    library's network thread does the I/O (the common way it is used).
 *
 * Both set TCP_NODELAY (otherwise Nagle + delayed ACK cost ~44 ms per round
 * trip) and MOSQ_OPT_SEND_MAXIMUM = --inflight, so the library never holds
 * back a message the program hands it.
 *
 * Window and completion:
 *  - QoS 1 / 2: at most --inflight messages published and not yet
 *    acknowledged (PUBACK / PUBCOMP, reported through on_publish).
 *    Done = every on_publish fired.
 *  - QoS 0: no window. MQTT has no in-flight limit at QoS 0 and neither has
 *    libmosquitto, so the program hands it every message as fast as
 *    mosquitto_publish() returns and the library queues what the socket does
 *    not take yet (that memory shows in maxrss_kib; single-thread mode
 *    stops publishing while the socket is full instead). A window here would
 *    throttle --threaded mode to a thread hand-off per few messages, which
 *    is not how libmosquitto is used. libmosquitto calls on_publish for QoS 0
 *    once the whole packet is written, so done = every on_publish fired and
 *    nothing left to write: a rate of bytes written into the socket, not of
 *    messages the broker has handled.
 *
 * Measured:
 *  - seconds: wall time (CLOCK_MONOTONIC) from the first publish to the last
 *    completion; connecting and disconnecting are outside it.
 *  - cpu_user_s / cpu_sys_s: getrusage(RUSAGE_SELF) for the whole process
 *    and run (all threads, connect included), so it charges the client for
 *    everything it costs the machine.
 *  - maxrss_kib: peak resident set, VmHWM from /proc/self/status. Not
 *    ru_maxrss: Linux carries that over execve() from the forked parent, so a
 *    client started by the Python driver would report the driver's ~13 MiB.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <mosquitto.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define BENCH_NAME "bench_pub_libmosquitto"
#include "bench_common.h"

#define TIMEOUT_S 120.0 /* whole run, connect included */
#define LOOP_TIMEOUT_MS 100 /* bound on one mosquitto_loop() wait */
#define TOPIC "piogate/bench/pub"

struct bench {
    /* options */
    const char *host;
    int port;
    int qos;
    long count;
    int size;
    int inflight;
    bool threaded;
    long window; /* --inflight at QoS 1/2, --count (no limit) at QoS 0 */

    struct mosquitto *mosq;
    void *payload;
    double deadline;

    /* Shared with the callbacks. In --threaded mode they run on the library's
     * thread, so they are guarded by lock; in single-thread mode they run
     * inside mosquitto_publish()/mosquitto_loop() on our thread, unlocked. */
    pthread_mutex_t lock;
    pthread_cond_t cond;
    long completed;      /* on_publish calls */
    bool connected;      /* CONNACK accepted */
    int connect_rc;      /* CONNACK code, -1 until it arrives */
    bool lost;           /* disconnected before we asked to */
    int lost_rc;
};

static void lock(struct bench *b)
{
    if (b->threaded)
        pthread_mutex_lock(&b->lock);
}

static void unlock_and_wake(struct bench *b)
{
    if (b->threaded) {
        pthread_cond_signal(&b->cond);
        pthread_mutex_unlock(&b->lock);
    }
}

static void on_connect(struct mosquitto *mosq, void *obj, int rc)
{
    struct bench *b = obj;
    (void)mosq;
    lock(b);
    b->connect_rc = rc;
    b->connected = rc == 0;
    unlock_and_wake(b);
}

static void on_disconnect(struct mosquitto *mosq, void *obj, int rc)
{
    struct bench *b = obj;
    (void)mosq;
    lock(b);
    if (rc != 0) { /* rc == 0 only after our own mosquitto_disconnect() */
        b->lost = true;
        b->lost_rc = rc;
    }
    unlock_and_wake(b);
}

static void on_publish(struct mosquitto *mosq, void *obj, int mid)
{
    struct bench *b = obj;
    (void)mosq;
    (void)mid;
    lock(b);
    b->completed++;
    unlock_and_wake(b);
}

static void publish_one(struct bench *b)
{
    int rc = mosquitto_publish(b->mosq, NULL, TOPIC, b->size, b->payload,
                               b->qos, false);
    if (rc != MOSQ_ERR_SUCCESS)
        die_mosq("publish", rc);
}

static void check_deadline(const struct bench *b, const char *phase)
{
    if (now_s() > b->deadline)
        die("timeout (%.0f s) while %s: %ld of %ld messages completed",
            TIMEOUT_S, phase, b->completed, b->count);
}

/* Single thread: publish while the window has room and the socket takes
 * everything (mosquitto_publish() writes straight into it here), then let
 * mosquitto_loop() wait for the socket, read acknowledgements and write what
 * is still queued. Not queueing past a full socket keeps QoS 0 memory flat at
 * no cost in rate. */
static double run_single_thread(struct bench *b)
{
    while (!b->connected) {
        int rc = mosquitto_loop(b->mosq, LOOP_TIMEOUT_MS, 1);
        if (rc != MOSQ_ERR_SUCCESS)
            die_mosq("waiting for CONNACK", rc);
        if (b->connect_rc > 0)
            die("connection refused: %s", mosquitto_connack_string(b->connect_rc));
        check_deadline(b, "connecting");
    }

    long published = 0;
    double start = now_s();
    for (;;) {
        while (published < b->count && published - b->completed < b->window
               && !mosquitto_want_write(b->mosq)) {
            publish_one(b);
            published++;
        }
        if (b->completed == b->count && !mosquitto_want_write(b->mosq))
            break;
        int rc = mosquitto_loop(b->mosq, LOOP_TIMEOUT_MS, 1);
        if (rc != MOSQ_ERR_SUCCESS)
            die_mosq("network loop", rc);
        check_deadline(b, "publishing");
    }
    double elapsed = now_s() - start;

    mosquitto_disconnect(b->mosq);
    return elapsed;
}

/* Wait on the condition variable for at most LOOP_TIMEOUT_MS, lock held. */
static void wait_a_little(struct bench *b)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    ts.tv_nsec += LOOP_TIMEOUT_MS * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    pthread_cond_timedwait(&b->cond, &b->lock, &ts);
}

/* --threaded: the library's thread does all network I/O and runs the
 * callbacks; this thread publishes whenever the window has room and sleeps on
 * a condition variable otherwise. */
static double run_threaded(struct bench *b)
{
    int rc = mosquitto_loop_start(b->mosq);
    if (rc != MOSQ_ERR_SUCCESS)
        die_mosq("loop_start", rc);

    pthread_mutex_lock(&b->lock);
    while (!b->connected) {
        if (b->connect_rc > 0)
            die("connection refused: %s", mosquitto_connack_string(b->connect_rc));
        if (b->lost)
            die("connection lost while connecting: %s", mosquitto_strerror(b->lost_rc));
        check_deadline(b, "connecting");
        wait_a_little(b);
    }

    long published = 0;
    double start = now_s();
    while (b->completed < b->count) {
        long room = b->window - (published - b->completed);
        if (room > b->count - published)
            room = b->count - published;
        if (room > 0) {
            /* Publish outside our lock: the library's thread needs it to
             * report completions meanwhile. */
            pthread_mutex_unlock(&b->lock);
            for (long i = 0; i < room; i++)
                publish_one(b);
            published += room;
            pthread_mutex_lock(&b->lock);
            continue;
        }
        if (b->lost)
            die("connection lost: %s", mosquitto_strerror(b->lost_rc));
        check_deadline(b, "publishing");
        wait_a_little(b);
    }
    double elapsed = now_s() - start;
    pthread_mutex_unlock(&b->lock);

    mosquitto_disconnect(b->mosq);
    mosquitto_loop_stop(b->mosq, false);
    return elapsed;
}

/* Peak resident set size of this process image in KiB, -1 if unknown. */
static long peak_rss_kib(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return -1;
    char line[256];
    long kib = -1;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "VmHWM: %ld kB", &kib) == 1)
            break;
    fclose(f);
    return kib;
}

static void usage(void)
{
    fputs("usage: bench_pub_libmosquitto [--host H] [--port P] [--qos 0|1|2]\n"
          "         [--count N] [--size BYTES] [--inflight W] [--threaded]\n",
          stderr);
    exit(2);
}

static void parse_args(struct bench *b, int argc, char **argv)
{
    static const struct option opts[] = {
        {"host", required_argument, NULL, 'h'},
        {"port", required_argument, NULL, 'p'},
        {"qos", required_argument, NULL, 'q'},
        {"count", required_argument, NULL, 'c'},
        {"size", required_argument, NULL, 's'},
        {"inflight", required_argument, NULL, 'i'},
        {"threaded", no_argument, NULL, 't'},
        {NULL, 0, NULL, 0},
    };
    int opt;
    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (opt) {
        case 'h': b->host = optarg; break;
        case 'p': b->port = (int)parse_long(optarg, 1, 65535, "port"); break;
        case 'q': b->qos = (int)parse_long(optarg, 0, 2, "qos"); break;
        case 'c': b->count = parse_long(optarg, 1, 1000000000L, "count"); break;
        case 's': b->size = (int)parse_long(optarg, 0, 268435000L, "size"); break;
        case 'i': b->inflight = (int)parse_long(optarg, 1, 65535, "inflight"); break;
        case 't': b->threaded = true; break;
        default: usage();
        }
    }
    if (optind != argc)
        usage();
}

int main(int argc, char **argv)
{
    static struct bench b = {
        .host = "127.0.0.1", .port = 1883, .qos = 0, .count = 100000,
        .size = 100, .inflight = 20, .connect_rc = -1,
    };
    parse_args(&b, argc, argv);
    b.window = b.qos == 0 ? b.count : b.inflight;
    b.deadline = now_s() + TIMEOUT_S;

    pthread_condattr_t cattr;
    pthread_condattr_init(&cattr);
    pthread_condattr_setclock(&cattr, CLOCK_MONOTONIC);
    pthread_cond_init(&b.cond, &cattr);
    pthread_mutex_init(&b.lock, NULL);

    b.payload = malloc(b.size ? (size_t)b.size : 1);
    if (!b.payload)
        die("out of memory");
    memset(b.payload, 'x', (size_t)b.size);

    mosquitto_lib_init();
    char client_id[64];
    snprintf(client_id, sizeof client_id, "bench-pub-libmosquitto-%ld", (long)getpid());
    b.mosq = mosquitto_new(client_id, true, &b);
    if (!b.mosq)
        die("mosquitto_new: %s", strerror(errno));
    mosquitto_int_option(b.mosq, MOSQ_OPT_TCP_NODELAY, 1);
    mosquitto_int_option(b.mosq, MOSQ_OPT_SEND_MAXIMUM, b.inflight);
    mosquitto_connect_callback_set(b.mosq, on_connect);
    mosquitto_disconnect_callback_set(b.mosq, on_disconnect);
    mosquitto_publish_callback_set(b.mosq, on_publish);

    int rc = mosquitto_connect(b.mosq, b.host, b.port, 60);
    if (rc != MOSQ_ERR_SUCCESS) {
        char what[128];
        snprintf(what, sizeof what, "connect to %s:%d", b.host, b.port);
        die_mosq(what, rc);
    }

    double seconds = b.threaded ? run_threaded(&b) : run_single_thread(&b);

    mosquitto_destroy(b.mosq);
    mosquitto_lib_cleanup();
    free(b.payload);

    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double user = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6;
    double sys = (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;

    printf("{\"impl\":\"%s\",\"qos\":%d,\"count\":%ld,\"size\":%d,"
           "\"seconds\":%.6f,\"rate\":%.1f,\"cpu_user_s\":%.6f,\"cpu_sys_s\":%.6f,"
           "\"cpu_us_per_msg\":%.3f,\"maxrss_kib\":%ld}\n",
           b.threaded ? "libmosquitto-thread" : "libmosquitto", b.qos, b.count,
           b.size, seconds, (double)b.count / seconds, user, sys,
           (user + sys) * 1e6 / (double)b.count, peak_rss_kib());
    return 0;
}
