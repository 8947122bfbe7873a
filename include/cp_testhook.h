/*
 * cp_testhook.h - kill points for the durability tests.
 *
 * A kill point names a place between two steps whose order matters for
 * durability (two writes that must land together, a write and a send).  In a
 * build configured with --enable-test-hooks, a process started with
 * OCPP_CP_KILLPOINT=<name> kills itself with SIGKILL the first time it
 * passes the kill point of that name, exactly as a power cut or the OOM
 * killer would stop it there.  In every other build CP_KILLPOINT compiles to
 * nothing, so production code carries no trace of it.
 */
#ifndef CP_TESTHOOK_H
#define CP_TESTHOOK_H

#ifdef CP_TEST_HOOKS
void cp_killpoint(const char *name);
#define CP_KILLPOINT(name) cp_killpoint(name)
#else
#define CP_KILLPOINT(name) ((void)0)
#endif

#endif
