/*
 * firmware_int.h - what the daemon glue's files share: firmware.c
 * (UpdateFirmware, the job steps, notifications and the worker process),
 * fw_diag.c (GetDiagnostics and its archive, GetLog) and fw_signed.c
 * (SignedUpdateFirmware).  Nothing outside them includes it.
 */
#ifndef STATION_FIRMWARE_INT_H
#define STATION_FIRMWARE_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "station/station.h"

/* ---- firmware.c ------------------------------------------------------------ */

void st_fw__input_now(const struct station *s, struct fw_input *in);
void st_fw__safe_name(char *dst, size_t n, const char *src);
int st_fw__ensure_dir(struct station *s);
void st_fw__remove_file(struct station *s, enum fw_kind kind);
/* Carries out one output of a job's state machine (fw_core.c). */
void st_fw__apply(struct station *s, enum fw_kind kind, const struct fw_output *out);
int st_fw__opt_int(const cJSON *req, const char *name, bool *has);
/* The firmware file's path, location and version for a new download (a
 * waiting image goes).  -ENAMETOOLONG when the path does not fit. */
int st_fw__prepare_download(struct station *s, const char *location);
/* Sends one status notification: the 1.6 message, or with sec the
 * whitepaper's (SignedFirmwareStatusNotification / LogStatusNotification),
 * with requestId when with_id. */
void st_fw__send(struct station *s, enum fw_kind kind, bool sec, enum fw_status st,
    bool with_id, int request_id);
/* Cancels a kind's job for a whitepaper request that replaces it: its
 * worker is stopped, its timer and file go.  0 when a job was cancelled,
 * -EINVAL when none ran, -EBUSY when it cannot be (installing, rebooting). */
int st_fw__cancel(struct station *s, enum fw_kind kind);

#endif /* STATION_FIRMWARE_INT_H */
