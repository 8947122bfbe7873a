/*
 * config_check.h - value checks beyond type and range, referenced from the
 * key table (config_table.c).  Internal to the registry.
 *
 * Each returns 0, or writes a reason into why (n bytes) and returns -EINVAL.
 * They see the stored (not the effective) values of other keys, because a
 * value set now must fit what the station will be after its next restart.
 */
#ifndef STATION_CONFIG_CHECK_H
#define STATION_CONFIG_CHECK_H

#include "station/config/config.h"

#define CFG_STR_OF_(x) #x
#define CFG_STR_OF(x) CFG_STR_OF_(x)

/* ConnectorPhaseRotation items: connector 0 and each socket.  Written out
 * because the table needs it as text; the assertion keeps it honest. */
#define CFG_PHASE_ROTATION_ITEMS 3
_Static_assert(CFG_PHASE_ROTATION_ITEMS == CP_MAX_CONNECTORS + 1,
	       "ConnectorPhaseRotationMaxLength must be CP_MAX_CONNECTORS + 1");

#define CFG_CHECK_ARGS const struct cfg *cfg, enum cfg_id id, int64_t num, \
	const char *text, char *why, size_t n

int cfg_check_phase_rotation(CFG_CHECK_ARGS);
int cfg_check_authorization_key(CFG_CHECK_ARGS);
int cfg_check_printable(CFG_CHECK_ARGS);
int cfg_check_security_profile(CFG_CHECK_ARGS);
int cfg_check_license_key(CFG_CHECK_ARGS);
int cfg_check_modbus_conn(CFG_CHECK_ARGS);
int cfg_check_ems_mode(CFG_CHECK_ARGS);
int cfg_check_unit_id(CFG_CHECK_ARGS);
int cfg_check_network_name(CFG_CHECK_ARGS);
int cfg_check_phases(CFG_CHECK_ARGS);
int cfg_check_custom_map(CFG_CHECK_ARGS);
int cfg_check_device_path(CFG_CHECK_ARGS);
int cfg_check_multicast(CFG_CHECK_ARGS);
int cfg_check_secret(CFG_CHECK_ARGS);
int cfg_check_installer_password(CFG_CHECK_ARGS);
int cfg_check_public_key(CFG_CHECK_ARGS);
int cfg_check_measurands(CFG_CHECK_ARGS);
int cfg_check_rj11(CFG_CHECK_ARGS);
int cfg_check_meter_baud(CFG_CHECK_ARGS);
int cfg_check_meter_unit(CFG_CHECK_ARGS);

/* Stored value of another key, as the registry holds it (for the checks). */
int64_t cfg_stored_num(const struct cfg *cfg, enum cfg_id id);
const char *cfg_stored_str(const struct cfg *cfg, enum cfg_id id);

#endif
