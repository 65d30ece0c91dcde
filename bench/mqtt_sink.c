/* SPDX-License-Identifier: Apache-2.0
 * bench_mqtt_sink: the least an MQTT server can do for a publisher, as fast as one thread can.
 *
 * Why: against Mosquitto every fast publisher runs at the broker's ceiling (mosquitto reads a
 * packet in three or more read() calls and routes it; ~10 µs a message at QoS 0 on the build
 * machine), so a publish benchmark there compares brokers, not clients. This peer accepts any
 * number of connections on 127.0.0.1:PORT, answers CONNECT with a CONNACK for the client's
 * protocol level (3.1, 3.1.1, 5.0), PUBLISH QoS 1 with PUBACK, QoS 2 with PUBREC, PUBREL with
 * PUBCOMP, SUBSCRIBE with a granted SUBACK, PINGREQ with PINGRESP, and closes on DISCONNECT. It
 * routes nothing. Everything it reads in one read() is parsed and answered with one write(), so
 * its cost per message is a fraction of a microsecond: the publisher is the bottleneck.
 *
 * Not a broker and not for tests: it trusts its peers (a malformed packet closes that
 * connection, nothing more) and keeps no session.
 *
 * Usage: bench_mqtt_sink --port P   (prints "listening P" on stdout once it accepts)
 * Ends on SIGTERM / SIGINT and prints one JSON line of totals on stderr.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

static void die(const char *fmt, ...)
{
    va_list ap;
    fputs("bench_mqtt_sink: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

enum { in_capacity = 1 << 20, max_events = 64 };

struct conn {
    int fd;
    int level; /* protocol level from CONNECT: 3, 4 or 5 */
    unsigned char *in;
    size_t in_len;
    unsigned char *out;
    size_t out_len, out_cap;
};

static volatile sig_atomic_t stopping;
static unsigned long long published[3], connections;

static void on_signal(int sig)
{
    (void)sig;
    stopping = 1;
}

static void out_append(struct conn *c, const unsigned char *b, size_t n)
{
    if (c->out_len + n > c->out_cap) {
        size_t cap = c->out_cap ? c->out_cap * 2 : 4096;
        while (cap < c->out_len + n)
            cap *= 2;
        c->out = realloc(c->out, cap);
        if (!c->out)
            die("out of memory");
        c->out_cap = cap;
    }
    memcpy(c->out + c->out_len, b, n);
    c->out_len += n;
}

static void ack(struct conn *c, unsigned char type, const unsigned char *id)
{
    unsigned char b[4] = {type, 2, id[0], id[1]};
    out_append(c, b, sizeof b);
}

/* One whole packet: header byte `h`, body `p` of `n` bytes. Returns 0 to keep the connection. */
static int handle(struct conn *c, unsigned char h, const unsigned char *p, size_t n)
{
    switch (h >> 4) {
    case 1: { /* CONNECT: protocol name (2-byte length + name), then the level */
        if (n < 3)
            return -1;
        size_t name_len = ((size_t)p[0] << 8) | p[1];
        if (n < 3 + name_len)
            return -1;
        c->level = p[2 + name_len];
        if (c->level == 5) {
            static const unsigned char connack5[] = {0x20, 3, 0, 0, 0};
            out_append(c, connack5, sizeof connack5);
        } else {
            static const unsigned char connack[] = {0x20, 2, 0, 0};
            out_append(c, connack, sizeof connack);
        }
        ++connections;
        return 0;
    }
    case 3: { /* PUBLISH */
        int qos = (h >> 1) & 3;
        if (qos > 2 || n < 2)
            return -1;
        size_t topic_len = ((size_t)p[0] << 8) | p[1];
        ++published[qos];
        if (qos == 0)
            return 0;
        if (n < 4 + topic_len)
            return -1;
        ack(c, qos == 1 ? 0x40 : 0x50, p + 2 + topic_len);
        return 0;
    }
    case 6: /* PUBREL */
        if (n < 2)
            return -1;
        ack(c, 0x70, p);
        return 0;
    case 8: { /* SUBSCRIBE: grant QoS 0 to every filter (counted by their 2-byte lengths) */
        if (n < 2)
            return -1;
        unsigned char suback[64] = {0x90, 0, p[0], p[1]};
        size_t len = 4, i = 2;
        if (c->level == 5) {
            suback[len++] = 0; /* no properties; skip the request's */
            if (i < n)
                i += 1 + p[i]; /* property length < 128 from the publishers we drive */
        }
        while (i + 2 <= n && len < sizeof suback) {
            size_t f = ((size_t)p[i] << 8) | p[i + 1];
            i += 2 + f + 1;
            suback[len++] = 0;
        }
        suback[1] = (unsigned char)(len - 2);
        out_append(c, suback, len);
        return 0;
    }
    case 12: { /* PINGREQ */
        static const unsigned char pingresp[] = {0xD0, 0};
        out_append(c, pingresp, sizeof pingresp);
        return 0;
    }
    case 14: /* DISCONNECT */
        return -1;
    default:
        return 0; /* PUBACK etc. from a client: nothing to answer */
    }
}

/* Parses every whole packet in c->in, keeps the partial rest. 0: keep the connection. */
static int consume(struct conn *c)
{
    size_t pos = 0;
    int rc = 0;
    while (rc == 0) {
        size_t avail = c->in_len - pos;
        if (avail < 2)
            break;
        size_t len = 0, shift = 0, i = 1;
        for (;; ++i) {
            if (i >= avail)
                goto partial;
            len |= (size_t)(c->in[pos + i] & 0x7F) << shift;
            if (!(c->in[pos + i] & 0x80))
                break;
            shift += 7;
            if (shift > 21)
                return -1;
        }
        size_t header = i + 1;
        if (header + len > in_capacity)
            return -1; /* larger than we buffer: not a publisher we drive */
        if (avail < header + len)
            break;
        rc = handle(c, c->in[pos], c->in + pos + header, len);
        pos += header + len;
    }
partial:
    memmove(c->in, c->in + pos, c->in_len - pos);
    c->in_len -= pos;
    return rc;
}

/* Writes what is pending; returns -1 on a dead connection. Leaves the rest for EPOLLOUT. */
static int flush(struct conn *c)
{
    size_t done = 0;
    while (done < c->out_len) {
        ssize_t w = send(c->fd, c->out + done, c->out_len - done, MSG_NOSIGNAL);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN)
                break;
            return -1;
        }
        done += (size_t)w;
    }
    memmove(c->out, c->out + done, c->out_len - done);
    c->out_len -= done;
    return 0;
}

static void drop(int ep, struct conn *c)
{
    epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
    free(c->in);
    free(c->out);
    free(c);
}

static void serve(int ep, struct conn *c, uint32_t events)
{
    if (events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
        for (;;) {
            ssize_t r = recv(c->fd, c->in + c->in_len, in_capacity - c->in_len, 0);
            if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) {
                flush(c);
                drop(ep, c);
                return;
            }
            if (r < 0) {
                if (errno == EINTR)
                    continue;
                break;
            }
            c->in_len += (size_t)r;
            if (consume(c) != 0) {
                flush(c);
                drop(ep, c);
                return;
            }
            if ((size_t)r < in_capacity / 2)
                break; /* drained for now: answer before reading more */
        }
    }
    if (flush(c) != 0) {
        drop(ep, c);
        return;
    }
    struct epoll_event ev = {.events = EPOLLIN | (c->out_len ? EPOLLOUT : 0), .data.ptr = c};
    epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
}

int main(int argc, char **argv)
{
    long port = -1;
    for (int i = 1; i < argc; ++i) {
        if (!strcmp(argv[i], "--port") && i + 1 < argc)
            port = strtol(argv[++i], NULL, 10);
        else
            die("usage: bench_mqtt_sink --port P");
    }
    if (port < 1 || port > 65535)
        die("usage: bench_mqtt_sink --port P");
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);

    int lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (lfd < 0 || bind(lfd, (struct sockaddr *)&a, sizeof a) != 0 || listen(lfd, 16) != 0)
        die("listen on 127.0.0.1:%ld: %s", port, strerror(errno));
    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event lev = {.events = EPOLLIN, .data.ptr = NULL};
    epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &lev);
    printf("listening %ld\n", port);
    fflush(stdout);

    struct epoll_event events[max_events];
    while (!stopping) {
        int n = epoll_wait(ep, events, max_events, 500);
        if (n < 0 && errno != EINTR)
            die("epoll_wait: %s", strerror(errno));
        for (int i = 0; i < n; ++i) {
            if (events[i].data.ptr) {
                serve(ep, events[i].data.ptr, events[i].events);
                continue;
            }
            int fd;
            while ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
                setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                struct conn *c = calloc(1, sizeof *c);
                if (!c || !(c->in = malloc(in_capacity)))
                    die("out of memory");
                c->fd = fd;
                c->level = 4;
                struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
                epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
            }
        }
    }
    fprintf(stderr,
            "{\"connections\":%llu,\"qos0\":%llu,\"qos1\":%llu,\"qos2\":%llu}\n",
            connections, published[0], published[1], published[2]);
    return 0;
}
