/*
 * profiles.c - the station's charging profiles between memory (the pure
 * store of smartcharging/) and the database: load at start, write back as one
 * batch after every change, back to the stored set when a change cannot be
 * written.  Also the Reset request (OCPP 1.6 §5.14), which the daemon and the
 * fuzz harness share.
 */
#include "station/station.h"

#include <stdlib.h>

#include "cp_log.h"
#include "smartcharging/sc_json.h"

#define TAG "station"

int st_profiles_persist(struct station *s)
{
	/* Rewrite the table in one atomic batch: at most 45 rows. */
	int rc = store_begin(s->db);

	if (rc < 0)
		return rc;
	rc = store_profile_clear(s->db);
	for (int i = 0; rc >= 0 && i < s->profiles.n; i++) {
		const struct sc_profile *p = &s->profiles.p[i];
		cJSON *j = sc_profile_to_json(p, true);
		char *text = j ? cJSON_PrintUnformatted(j) : NULL;
		rc = text ? store_profile_put(s->db, p->id, p->connector, text) : -ENOMEM;
		free(text);
		cJSON_Delete(j);
	}
	if (rc >= 0)
		return store_commit(s->db);
	store_rollback(s->db);
	return rc;
}

static int profile_load_cb(void *ctx, int id, int connector, const char *json_text)
{
	struct station *s = ctx;
	cJSON *j = cJSON_Parse(json_text);
	struct sc_profile p;
	char why[128];

	if (j && sc_profile_from_json(j, connector, &p, why, sizeof(why)) == 0) {
		if (s->profiles.n < CP_MAX_PROFILES)
			s->profiles.p[s->profiles.n++] = p;
	} else {
		CP_ERR(TAG, "stored profile %d unreadable: kept in the database, not used", id);
	}
	cJSON_Delete(j);
	return 0;
}

void st_profiles_reload(struct station *s)
{
	sc_store_init(&s->profiles);
	store_profile_foreach(s->db, profile_load_cb, s);
}

void st_profiles_load(struct station *s)
{
	sc_store_init(&s->profiles);
	store_profile_foreach(s->db, profile_load_cb, s);
	/* TxProfiles of transactions that did not survive the restart go. */
	for (int i = 1; i <= s->n_conn; i++)
		sc_store_end_transaction(&s->profiles, i, NULL);
	CP_INFO(TAG, "%d charging profile(s) loaded", s->profiles.n);
}

/* ---- reset ---------------------------------------------------------------- */

void st_station_reset(struct station *s, bool hard)
{
	if (s->reset_pending)
		return;
	s->reset_pending = true;
	s->reset_hard = hard;
	CP_INFO(TAG, "%s reset requested", hard ? "hard" : "soft");
	for (int i = 1; i <= s->n_conn; i++)
		st_conn_stop_tx(s, &s->conn[i], hard ? "HardReset" : "SoftReset", NULL);
	st_timer_arm_in(s, ST_T_REBOOT, 200);
}
