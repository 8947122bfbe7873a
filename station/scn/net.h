/*
 * net.h - the Smart Charging Network's UDP socket (docs/scn.md): one
 * datagram socket bound to SCN-Port, member of the multicast group
 * SCN-MulticastGroup on the interface SCN-Interface, sending with TTL 1 (the
 * frames never leave the LAN) and multicast loopback on (several members on
 * one host hear each other; SO_REUSEADDR and SO_REUSEPORT let them share the
 * port).  Non-blocking; the caller watches scn_net_fd() on its event loop.
 */
#ifndef ST_SCN_NET_H
#define ST_SCN_NET_H

#include <stddef.h>
#include <stdint.h>

struct scn_net {
	int fd;				/* -1 while closed */
	uint32_t group;			/* network byte order */
	uint32_t ifaddr;		/* network byte order: the interface's IPv4 */
	uint16_t port;
	char ifname[32];		/* as resolved, for logs */
	uint32_t tx, tx_errors, rx;
};

/* Resolves iface (an IPv4 address, an interface name, or "" for the
 * interface of the default route) to its IPv4 address.  0 or -errno
 * (-ENODEV: no such interface or no default route). */
int scn_net_resolve(const char *iface, uint32_t *addr, char name[32]);

/* group: dotted IPv4 of a multicast group.  0 or -errno; closed on error. */
int scn_net_open(struct scn_net *n, const char *iface, const char *group, uint16_t port);
void scn_net_close(struct scn_net *n);
int scn_net_fd(const struct scn_net *n);

/* One datagram to the group.  0 or -errno. */
int scn_net_send(struct scn_net *n, const uint8_t *buf, size_t len);

/* One datagram if there is one: its length, -EAGAIN when none is waiting,
 * or another -errno.  A datagram longer than cap is truncated and
 * reported as -EMSGSIZE (dropped). */
int scn_net_recv(struct scn_net *n, uint8_t *buf, size_t cap);

#endif
