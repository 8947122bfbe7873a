/*
 * test_scn_net.c - the SCN's UDP multicast socket (station/scn/net.c) on
 * this machine's loopback interface: members on one host hear each other
 * (multicast loopback, a shared port), interface names and addresses
 * resolve, a bad group is refused, an oversize datagram is dropped.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "station/scn/net.h"

#define GROUP "239.255.54.49"

static uint16_t test_port(void)
{
	return (uint16_t)(40000 + (getpid() % 20000));
}

static int wait_recv(struct scn_net *n, uint8_t *buf, size_t cap)
{
	struct pollfd p = { .fd = scn_net_fd(n), .events = POLLIN };

	if (poll(&p, 1, 2000) != 1)
		return -ETIMEDOUT;
	return scn_net_recv(n, buf, cap);
}

static void test_members_on_one_host_hear_each_other(void **state)
{
	struct scn_net a, b;
	uint8_t buf[64];
	uint16_t port = test_port();

	(void)state;
	assert_int_equal(scn_net_open(&a, "127.0.0.1", GROUP, port), 0);
	assert_int_equal(scn_net_open(&b, "127.0.0.1", GROUP, port), 0);
	assert_int_equal(scn_net_send(&a, (const uint8_t *)"hello", 5), 0);
	assert_int_equal(wait_recv(&b, buf, sizeof(buf)), 5);
	assert_memory_equal(buf, "hello", 5);
	/* The sender hears itself too (loopback on): the view knows its own
	 * member id and skips it. */
	assert_int_equal(wait_recv(&a, buf, sizeof(buf)), 5);
	assert_int_equal(scn_net_recv(&a, buf, sizeof(buf)), -EAGAIN);
	assert_int_equal(a.tx, 1);
	assert_int_equal(b.rx, 1);
	scn_net_close(&a);
	scn_net_close(&b);
	assert_int_equal(scn_net_fd(&a), -1);
	assert_int_equal(scn_net_send(&a, buf, 1), -EBADF);
}

static void test_oversize_is_dropped(void **state)
{
	struct scn_net a;
	uint8_t big[300] = { 0 }, buf[64];
	uint16_t port = (uint16_t)(test_port() + 1);

	(void)state;
	assert_int_equal(scn_net_open(&a, "127.0.0.1", GROUP, port), 0);
	assert_int_equal(scn_net_send(&a, big, sizeof(big)), 0);
	assert_int_equal(wait_recv(&a, buf, sizeof(buf)), -EMSGSIZE);
	assert_int_equal(a.rx, 0);
	scn_net_close(&a);
}

static void test_resolve(void **state)
{
	uint32_t addr;
	char name[32];

	(void)state;
	assert_int_equal(scn_net_resolve("127.0.0.1", &addr, name), 0);
	assert_int_equal(addr, htonl(INADDR_LOOPBACK));
	assert_int_equal(scn_net_resolve("lo", &addr, name), 0);
	assert_int_equal(addr, htonl(INADDR_LOOPBACK));
	assert_string_equal(name, "lo");
	assert_int_equal(scn_net_resolve("nosuchif0", &addr, name), -ENODEV);
}

static void test_bad_group(void **state)
{
	struct scn_net a;

	(void)state;
	assert_int_equal(scn_net_open(&a, "127.0.0.1", "192.168.1.1", 36549), -EINVAL);
	assert_int_equal(scn_net_open(&a, "127.0.0.1", "not an address", 36549), -EINVAL);
	assert_int_equal(scn_net_fd(&a), -1);
	assert_int_equal(scn_net_open(&a, "nosuchif0", GROUP, 36549), -ENODEV);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_members_on_one_host_hear_each_other),
		cmocka_unit_test(test_oversize_is_dropped),
		cmocka_unit_test(test_resolve),
		cmocka_unit_test(test_bad_group),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
