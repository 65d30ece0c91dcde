/* What the C benchmark clients share: fatal errors, argument numbers, a monotonic clock.
 * Define BENCH_NAME (the program name for messages) before including. */
#ifndef PIOGATE_BENCH_COMMON_H
#define PIOGATE_BENCH_COMMON_H
// SPDX-License-Identifier: Apache-2.0
#include <errno.h>
#include <mosquitto.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void die(const char *fmt, ...)
{
    va_list ap;
    fputs(BENCH_NAME ": ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

static void die_mosq(const char *what, int rc)
{
    if (rc == MOSQ_ERR_ERRNO)
        die("%s: %s", what, strerror(errno));
    die("%s: %s", what, mosquitto_strerror(rc));
}

/* --NAME's value `s` as a number in min..max, or exit(1) with a message. */
static long parse_long(const char *s, long min, long max, const char *name)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *s == '\0' || *end != '\0' || v < min || v > max)
        die("bad --%s '%s' (expected %ld..%ld)", name, s, min, max);
    return v;
}

static inline double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#endif
