/*
 * store_fault.h - fault injection below SQLite for the store's tests.
 */
#ifndef STORE_FAULT_H
#define STORE_FAULT_H

enum store_fault {
	STORE_FAULT_NONE,
	STORE_FAULT_FULL,	/* writes fail with SQLITE_FULL (disk full) */
	STORE_FAULT_IO,		/* writes and syncs fail with an I/O error */
};

/* Makes the fault VFS the default; call before store_open.  0 or -1. */
int store_fault_install(void);
/* Arms a fault: the first `after` writes/syncs succeed, every later one
 * fails until store_fault_arm(STORE_FAULT_NONE, 0). */
void store_fault_arm(enum store_fault kind, int after);

#endif
