/* ocpp_validate_cli.c - reads "Action<TAB>req|conf<TAB>json" lines on stdin
 * and prints the validator's verdict per line (the error code name, "None"
 * when valid, "BadInput" for a line that is not JSON).  Driven by
 * tests/ocpp_ajv_parity.js to compare against ajv, the validator the
 * conformance central system uses. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cp_log.h"
#include "ocpp/ocpp.h"

int main(void)
{
	static char line[1 << 20];

	cp_log_set_level(CP_LOG_ERROR);
	while (fgets(line, sizeof(line), stdin) != NULL) {
		char *action = line, *dir, *json;
		cJSON *j;

		line[strcspn(line, "\n")] = '\0';
		dir = strchr(action, '\t');
		json = dir ? strchr(dir + 1, '\t') : NULL;
		if (json == NULL) {
			puts("BadInput");
			continue;
		}
		*dir++ = '\0';
		*json++ = '\0';
		j = cJSON_Parse(json);
		if (j == NULL) {
			puts("BadInput");
			continue;
		}
		puts(ocpp_error_name(ocpp_validate(action, strcmp(dir, "conf") == 0 ? OCPP_CONF : OCPP_REQ,
		    j, NULL, 0)));
		cJSON_Delete(j);
	}
	return 0;
}
