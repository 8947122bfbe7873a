/*
 * fw_tar.c - a minimal POSIX ustar writer for the diagnostics archive.
 *
 * A plain tar (no compression) readable by every tar since 1988: a 512-byte
 * header per member, the data padded to 512 bytes, two zero blocks at the
 * end (POSIX.1-1988 ustar, pax(1) "ustar Interchange Format").  Written here
 * rather than by libarchive or a forked tar to keep the dependencies at what
 * configure already checks; the archive holds two or three small text files.
 */
#include "station/firmware/firmware.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define BLOCK 512

struct ustar_header {
	char name[100];
	char mode[8];
	char uid[8];
	char gid[8];
	char size[12];
	char mtime[12];
	char chksum[8];
	char typeflag;
	char linkname[100];
	char magic[6];
	char version[2];
	char uname[32];
	char gname[32];
	char devmajor[8];
	char devminor[8];
	char prefix[155];
	char pad[12];
};

_Static_assert(sizeof(struct ustar_header) == BLOCK, "ustar header is one block");

/* Octal, NUL-terminated, zero-padded to the field's width. */
static int octal(char *field, size_t width, uint64_t v)
{
	int n = snprintf(field, width, "%0*llo", (int)width - 1, (unsigned long long)v);

	return n > 0 && (size_t)n < width ? 0 : -E2BIG;
}

int fw_tar_add(FILE *f, const char *name, const void *data, size_t len, cp_utc_t mtime)
{
	struct ustar_header h;
	const unsigned char *p = (const unsigned char *)&h;
	static const char zeros[BLOCK];
	unsigned sum = 0;
	size_t pad;

	if (!f || !name || !name[0] || (len && !data))
		return -EINVAL;
	if (strlen(name) >= sizeof(h.name))
		return -ENAMETOOLONG;
	memset(&h, 0, sizeof(h));
	memcpy(h.name, name, strlen(name));
	if (octal(h.mode, sizeof(h.mode), 0644) < 0 || octal(h.uid, sizeof(h.uid), 0) < 0 ||
	    octal(h.gid, sizeof(h.gid), 0) < 0 || octal(h.size, sizeof(h.size), len) < 0 ||
	    octal(h.mtime, sizeof(h.mtime), mtime.s > 0 ? (uint64_t)mtime.s : 0) < 0)
		return -E2BIG;
	h.typeflag = '0';
	memcpy(h.magic, "ustar", 6);	/* with its NUL */
	memcpy(h.version, "00", 2);
	memcpy(h.uname, "ocpp-cp", 7);
	memcpy(h.gname, "ocpp-cp", 7);
	/* The checksum is taken with its own field read as eight spaces. */
	memset(h.chksum, ' ', sizeof(h.chksum));
	for (size_t i = 0; i < sizeof(h); i++)
		sum += p[i];
	snprintf(h.chksum, sizeof(h.chksum), "%06o", sum);	/* then NUL, space */
	h.chksum[7] = ' ';
	if (fwrite(&h, sizeof(h), 1, f) != 1)
		return -EIO;
	if (len && fwrite(data, 1, len, f) != len)
		return -EIO;
	pad = (BLOCK - len % BLOCK) % BLOCK;
	if (pad && fwrite(zeros, 1, pad, f) != pad)
		return -EIO;
	return 0;
}

int fw_tar_finish(FILE *f)
{
	static const char zeros[2 * BLOCK];

	if (!f)
		return -EINVAL;
	if (fwrite(zeros, 1, sizeof(zeros), f) != sizeof(zeros))
		return -EIO;
	return fflush(f) == 0 ? 0 : -EIO;
}
