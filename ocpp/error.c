/* error.c - OCPP-J 1.6 error code names (OCPP-J 1.6 section 4.2.3). */
#include "ocpp/ocpp.h"

#include <string.h>

/* One row per code; the 1.6 spelling first.  "OccurenceConstraintViolation"
 * is misspelled in OCPP-J 1.6 itself and must be sent that way. */
static const struct {
	ocpp_error code;
	const char *name;
} error_names[] = {
	{ OCPP_ERR_NOT_IMPLEMENTED, "NotImplemented" },
	{ OCPP_ERR_NOT_SUPPORTED, "NotSupported" },
	{ OCPP_ERR_INTERNAL, "InternalError" },
	{ OCPP_ERR_PROTOCOL, "ProtocolError" },
	{ OCPP_ERR_SECURITY, "SecurityError" },
	{ OCPP_ERR_FORMATION, "FormationViolation" },
	{ OCPP_ERR_PROPERTY_CONSTRAINT, "PropertyConstraintViolation" },
	{ OCPP_ERR_OCCURENCE_CONSTRAINT, "OccurenceConstraintViolation" },
	{ OCPP_ERR_TYPE_CONSTRAINT, "TypeConstraintViolation" },
	{ OCPP_ERR_GENERIC, "GenericError" },
	{ OCPP_ERR_TIMEOUT, "Timeout" },
	{ OCPP_ERR_DISCONNECTED, "Disconnected" },
	/* Spellings other stacks send: ocpp-rpc's validator answers
	 * "FormatViolation" (the OCPP 2.0 name), 2.0 fixed "Occurrence". */
	{ OCPP_ERR_FORMATION, "FormatViolation" },
	{ OCPP_ERR_OCCURENCE_CONSTRAINT, "OccurrenceConstraintViolation" },
};

#define N_NAMES (sizeof(error_names) / sizeof(error_names[0]))

const char *ocpp_error_name(ocpp_error e)
{
	if (e == OCPP_ERR_NONE)
		return "None";
	for (size_t i = 0; i < N_NAMES; i++)
		if (error_names[i].code == e)
			return error_names[i].name;
	return "Unknown";
}

bool ocpp_error_is_wire(ocpp_error e)
{
	return e >= OCPP_ERR_NOT_IMPLEMENTED && e <= OCPP_ERR_GENERIC;
}

ocpp_error ocpp_error_from_name(const char *name)
{
	if (name == NULL)
		return OCPP_ERR_GENERIC;
	for (size_t i = 0; i < N_NAMES; i++)
		if (strcmp(error_names[i].name, name) == 0 && ocpp_error_is_wire(error_names[i].code))
			return error_names[i].code;
	return OCPP_ERR_GENERIC;
}
