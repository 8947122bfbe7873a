/*
 * net.c - the Smart Charging Network's UDP multicast socket (net.h).
 */
#include "station/scn/net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

static int if_addr(const char *name, uint32_t *addr)
{
	struct ifreq ifr;
	int fd, rc = 0;

	if (strlen(name) >= sizeof(ifr.ifr_name))
		return -ENODEV;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, name, strlen(name));
	if (ioctl(fd, SIOCGIFADDR, &ifr) < 0)
		rc = errno == ENODEV || errno == EADDRNOTAVAIL ? -ENODEV : -errno;
	else
		*addr = ((struct sockaddr_in *)(void *)&ifr.ifr_addr)->sin_addr.s_addr;
	close(fd);
	return rc;
}

/* The interface of the IPv4 default route, from the kernel's routing table
 * (/proc/net/route: a destination of 00000000). */
static int default_route_if(char name[32])
{
	char line[256], ifn[32];
	unsigned long dest, gw, flags;
	FILE *f = fopen("/proc/net/route", "re");
	int rc = -ENODEV;

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%31s %lx %lx %lx", ifn, &dest, &gw, &flags) == 4 &&
		    dest == 0 && (flags & 1)) {
			snprintf(name, 32, "%s", ifn);
			rc = 0;
			break;
		}
	}
	fclose(f);
	return rc;
}

int scn_net_resolve(const char *iface, uint32_t *addr, char name[32])
{
	struct in_addr a;
	int rc;

	if (iface && iface[0] && inet_pton(AF_INET, iface, &a) == 1) {
		*addr = a.s_addr;
		snprintf(name, 32, "%s", iface);
		return 0;
	}
	if (iface && iface[0])
		snprintf(name, 32, "%s", iface);
	else if ((rc = default_route_if(name)) < 0)
		return rc;
	return if_addr(name, addr);
}

int scn_net_open(struct scn_net *n, const char *iface, const char *group, uint16_t port)
{
	struct sockaddr_in sa;
	struct ip_mreq mreq;
	struct in_addr g;
	int one = 1, rc;
	unsigned char ttl = 1, loop = 1;

	memset(n, 0, sizeof(*n));
	n->fd = -1;
	n->port = port;
	if (inet_pton(AF_INET, group, &g) != 1 || (ntohl(g.s_addr) >> 28) != 0xe)
		return -EINVAL;
	n->group = g.s_addr;
	rc = scn_net_resolve(iface, &n->ifaddr, n->ifname);
	if (rc < 0)
		return rc;
	n->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (n->fd < 0)
		return -errno;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons(port);
	/* Bound to the group's port on any address: the group's datagrams
	 * arrive whatever the interface says their destination is. */
	sa.sin_addr.s_addr = htonl(INADDR_ANY);
	memset(&mreq, 0, sizeof(mreq));
	mreq.imr_multiaddr.s_addr = n->group;
	mreq.imr_interface.s_addr = n->ifaddr;
	if (setsockopt(n->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    setsockopt(n->fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) < 0 ||
	    bind(n->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    setsockopt(n->fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mreq, sizeof(mreq)) < 0 ||
	    setsockopt(n->fd, IPPROTO_IP, IP_MULTICAST_IF, &mreq.imr_interface,
	    sizeof(mreq.imr_interface)) < 0 ||
	    setsockopt(n->fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof(ttl)) < 0 ||
	    setsockopt(n->fd, IPPROTO_IP, IP_MULTICAST_LOOP, &loop, sizeof(loop)) < 0) {
		rc = -errno;
		scn_net_close(n);
		return rc;
	}
	return 0;
}

void scn_net_close(struct scn_net *n)
{
	if (n->fd >= 0)
		close(n->fd);
	n->fd = -1;
}

int scn_net_fd(const struct scn_net *n)
{
	return n->fd;
}

int scn_net_send(struct scn_net *n, const uint8_t *buf, size_t len)
{
	struct sockaddr_in to;

	if (n->fd < 0)
		return -EBADF;
	memset(&to, 0, sizeof(to));
	to.sin_family = AF_INET;
	to.sin_port = htons(n->port);
	to.sin_addr.s_addr = n->group;
	if (sendto(n->fd, buf, len, 0, (struct sockaddr *)&to, sizeof(to)) < 0) {
		n->tx_errors++;
		return -errno;
	}
	n->tx++;
	return 0;
}

int scn_net_recv(struct scn_net *n, uint8_t *buf, size_t cap)
{
	ssize_t r;

	if (n->fd < 0)
		return -EBADF;
	r = recv(n->fd, buf, cap, MSG_TRUNC);
	if (r < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	if ((size_t)r > cap)
		return -EMSGSIZE;
	n->rx++;
	return (int)r;
}
