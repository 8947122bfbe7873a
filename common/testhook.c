/*
 * testhook.c - see cp_testhook.h.  Compiled empty unless --enable-test-hooks.
 */
#include "cp_testhook.h"

#ifdef CP_TEST_HOOKS
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cp_log.h"

void cp_killpoint(const char *name)
{
	const char *want = getenv("OCPP_CP_KILLPOINT");

	if (!want || strcmp(want, name) != 0)
		return;
	CP_WARN("testhook", "kill point %s reached: SIGKILL", name);
	raise(SIGKILL);
}
#else
/* ISO C wants a translation unit to declare something. */
typedef int cp_testhook_unused;
#endif
