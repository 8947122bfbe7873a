/*
 * firmware_int.h - what the daemon glue's two files share: firmware.c
 * (UpdateFirmware, the job steps, notifications and the worker process)
 * and fw_diag.c (GetDiagnostics and its archive).  Nothing outside them
 * includes it.
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

#endif /* STATION_FIRMWARE_INT_H */
