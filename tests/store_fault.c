/*
 * store_fault.c - a SQLite VFS shim that fails writes on demand, so the
 * store's tests see real SQLITE_FULL / SQLITE_IOERR from below SQLite
 * (the way SQLite's own test suite injects faults), not a mocked store.
 *
 * store_fault_install() registers the shim as the default VFS; every file
 * store_open opens afterwards goes through it.
 */
#include "tests/store_fault.h"

#include <string.h>

#include <sqlite3.h>

static sqlite3_vfs *base_vfs;
static sqlite3_vfs fault_vfs;
static int fault_rc;		/* SQLITE_OK: no fault armed */
static int fault_after;		/* writes/syncs to let through first */

typedef struct {
	sqlite3_file base;	/* must be first: SQLite sees this */
	sqlite3_file *real;	/* the wrapped file, allocated after us */
} fault_file;

static int take_fault(void)
{
	if (fault_rc == SQLITE_OK)
		return SQLITE_OK;
	if (fault_after > 0) {
		fault_after--;
		return SQLITE_OK;
	}
	return fault_rc;
}

#define REAL(f) (((fault_file *)(f))->real)

static int f_close(sqlite3_file *f)
{
	return REAL(f)->pMethods ? REAL(f)->pMethods->xClose(REAL(f)) : SQLITE_OK;
}
static int f_read(sqlite3_file *f, void *b, int n, sqlite3_int64 o)
{
	return REAL(f)->pMethods->xRead(REAL(f), b, n, o);
}
static int f_write(sqlite3_file *f, const void *b, int n, sqlite3_int64 o)
{
	int rc = take_fault();
	return rc ? rc : REAL(f)->pMethods->xWrite(REAL(f), b, n, o);
}
static int f_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	return REAL(f)->pMethods->xTruncate(REAL(f), size);
}
static int f_sync(sqlite3_file *f, int flags)
{
	int rc = take_fault();
	/* A failed fsync is an I/O error whatever was armed: the disk does
	 * not get "fuller" by syncing. */
	if (rc)
		return SQLITE_IOERR_FSYNC;
	return REAL(f)->pMethods->xSync(REAL(f), flags);
}
static int f_size(sqlite3_file *f, sqlite3_int64 *size)
{
	return REAL(f)->pMethods->xFileSize(REAL(f), size);
}
static int f_lock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xLock(REAL(f), l); }
static int f_unlock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xUnlock(REAL(f), l); }
static int f_check(sqlite3_file *f, int *out)
{
	return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}
static int f_fcntl(sqlite3_file *f, int op, void *arg)
{
	return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}
static int f_sector(sqlite3_file *f) { return REAL(f)->pMethods->xSectorSize(REAL(f)); }
static int f_devchar(sqlite3_file *f) { return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f)); }
static int f_shmmap(sqlite3_file *f, int pg, int sz, int ext, void volatile **pp)
{
	return REAL(f)->pMethods->xShmMap(REAL(f), pg, sz, ext, pp);
}
static int f_shmlock(sqlite3_file *f, int off, int n, int flags)
{
	return REAL(f)->pMethods->xShmLock(REAL(f), off, n, flags);
}
static void f_shmbarrier(sqlite3_file *f) { REAL(f)->pMethods->xShmBarrier(REAL(f)); }
static int f_shmunmap(sqlite3_file *f, int del)
{
	return REAL(f)->pMethods->xShmUnmap(REAL(f), del);
}

static const sqlite3_io_methods fault_io = {
	.iVersion = 2,
	.xClose = f_close, .xRead = f_read, .xWrite = f_write, .xTruncate = f_truncate,
	.xSync = f_sync, .xFileSize = f_size, .xLock = f_lock, .xUnlock = f_unlock,
	.xCheckReservedLock = f_check, .xFileControl = f_fcntl, .xSectorSize = f_sector,
	.xDeviceCharacteristics = f_devchar, .xShmMap = f_shmmap, .xShmLock = f_shmlock,
	.xShmBarrier = f_shmbarrier, .xShmUnmap = f_shmunmap,
};

static int v_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out_flags)
{
	fault_file *ff = (fault_file *)f;
	ff->real = (sqlite3_file *)(ff + 1);
	memset(ff->real, 0, (size_t)base_vfs->szOsFile);
	int rc = base_vfs->xOpen(base_vfs, name, ff->real, flags, out_flags);
	/* SQLite calls xClose only when pMethods is set. */
	f->pMethods = ff->real->pMethods ? &fault_io : NULL;
	return rc;
}

static int v_delete(sqlite3_vfs *v, const char *n, int sync) { return base_vfs->xDelete(base_vfs, n, sync); }
static int v_access(sqlite3_vfs *v, const char *n, int fl, int *out) { return base_vfs->xAccess(base_vfs, n, fl, out); }
static int v_fullpath(sqlite3_vfs *v, const char *n, int len, char *out) { return base_vfs->xFullPathname(base_vfs, n, len, out); }
static void *v_dlopen(sqlite3_vfs *v, const char *n) { return base_vfs->xDlOpen(base_vfs, n); }
static void v_dlerror(sqlite3_vfs *v, int n, char *msg) { base_vfs->xDlError(base_vfs, n, msg); }
static void (*v_dlsym(sqlite3_vfs *v, void *h, const char *sym))(void) { return base_vfs->xDlSym(base_vfs, h, sym); }
static void v_dlclose(sqlite3_vfs *v, void *h) { base_vfs->xDlClose(base_vfs, h); }
static int v_random(sqlite3_vfs *v, int n, char *out) { return base_vfs->xRandomness(base_vfs, n, out); }
static int v_sleep(sqlite3_vfs *v, int us) { return base_vfs->xSleep(base_vfs, us); }
static int v_time(sqlite3_vfs *v, double *out) { return base_vfs->xCurrentTime(base_vfs, out); }
static int v_lasterr(sqlite3_vfs *v, int n, char *out) { return base_vfs->xGetLastError(base_vfs, n, out); }
static int v_time64(sqlite3_vfs *v, sqlite3_int64 *out) { return base_vfs->xCurrentTimeInt64(base_vfs, out); }

int store_fault_install(void)
{
	if (base_vfs)
		return 0;
	base_vfs = sqlite3_vfs_find(NULL);
	if (!base_vfs)
		return -1;
	fault_vfs = (sqlite3_vfs){
		.iVersion = 2,
		.szOsFile = (int)sizeof(fault_file) + base_vfs->szOsFile,
		.mxPathname = base_vfs->mxPathname,
		.zName = "store-fault",
		.xOpen = v_open, .xDelete = v_delete, .xAccess = v_access,
		.xFullPathname = v_fullpath, .xDlOpen = v_dlopen, .xDlError = v_dlerror,
		.xDlSym = v_dlsym, .xDlClose = v_dlclose, .xRandomness = v_random,
		.xSleep = v_sleep, .xCurrentTime = v_time, .xGetLastError = v_lasterr,
		.xCurrentTimeInt64 = v_time64,
	};
	return sqlite3_vfs_register(&fault_vfs, 1) == SQLITE_OK ? 0 : -1;
}

void store_fault_arm(enum store_fault kind, int after)
{
	switch (kind) {
	case STORE_FAULT_NONE:
		fault_rc = SQLITE_OK;
		break;
	case STORE_FAULT_FULL:
		fault_rc = SQLITE_FULL;
		break;
	case STORE_FAULT_IO:
		fault_rc = SQLITE_IOERR_WRITE;
		break;
	}
	fault_after = after;
}
