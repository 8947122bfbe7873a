/*
 * localauth.c - Local Authorization List management (OCPP 1.6 §3.5.3,
 * §5.10 GetLocalListVersion, §5.15 SendLocalList) and the local
 * authorization lookup shared by LocalPreAuthorize and LocalAuthorizeOffline.
 *
 * The list lives in the store (indexed by idTag, case-insensitive); an
 * update is one SQL transaction, so a refused or failed update leaves the
 * previous list and version in force.
 */
#include "station/station.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cp_log.h"

#define TAG "localauth"

/* One request's entries: bounded by SendLocalListMaxLength, kept static so
 * an update allocates nothing (STYLE 7). */
static store_auth_entry ll_entries[CP_MAX_SEND_LOCAL_LIST];

static cJSON *status_reply(const char *status)
{
	cJSON *r = cJSON_CreateObject();

	cJSON_AddStringToObject(r, "status", status);
	return r;
}

static size_t min_size(int32_t cfg_value, size_t limit)
{
	return cfg_value < 0 ? 0 : (size_t)cfg_value < limit ? (size_t)cfg_value : limit;
}

/* The version GetLocalListVersion reports; a storage error is negative. */
static int current_version(struct station *s, int *version)
{
	int stored = 0, count = 0, rc;

	rc = store_list_version(s->db, &stored);
	if (rc == 0)
		rc = store_list_count(s->db, &count);
	if (rc == 0)
		*version = st_llist_reported_version(stored, count);
	return rc;
}

int st_h_send_local_list(void *ctx, const cJSON *req, cJSON **resp,
    ocpp_error *err, char *desc, size_t desclen)
{
	struct station *s = ctx;
	struct st_llist_req lr;
	size_t cap = min_size(cfg_int(&s->cfg, CFG_SEND_LOCAL_LIST_MAX_LENGTH), CP_MAX_SEND_LOCAL_LIST);
	size_t max = min_size(cfg_int(&s->cfg, CFG_LOCAL_AUTH_LIST_MAX_LENGTH), CP_MAX_LOCAL_LIST);
	char why[128];
	int rc, current;

	if (!cfg_bool(&s->cfg, CFG_LOCAL_AUTH_LIST_ENABLED)) {
		CP_INFO(TAG, "SendLocalList: LocalAuthListEnabled is false");
		*resp = status_reply("NotSupported");
		return 0;
	}
	rc = st_llist_parse(req, ll_entries, cap, &lr, why, sizeof(why));
	if (rc == -ENODATA) {
		*err = OCPP_ERR_OCCURENCE_CONSTRAINT;
		snprintf(desc, desclen, "%s", why);
		return -EINVAL;
	}
	if (rc < 0) {
		CP_WARN(TAG, "SendLocalList refused: %s", why);
		*resp = status_reply("Failed");
		return 0;
	}
	if (!lr.full) {
		rc = current_version(s, &current);
		if (rc < 0) {
			CP_ERR(TAG, "SendLocalList: cannot read the list version (%s)", strerror(-rc));
			*resp = status_reply("Failed");
			return 0;
		}
		/* UpdateStatus VersionMismatch (§7.48): a differential update
		 * must bring a version newer than the one in force. */
		if (lr.version <= current) {
			CP_INFO(TAG, "SendLocalList Differential version %d is not newer than %d",
			    lr.version, current);
			*resp = status_reply("VersionMismatch");
			return 0;
		}
		rc = store_list_update(s->db, lr.version, ll_entries, lr.n, max);
	} else {
		rc = store_list_replace(s->db, lr.version, ll_entries, lr.n, max);
	}
	if (rc == -E2BIG) {
		CP_WARN(TAG, "SendLocalList refused: the list would exceed LocalAuthListMaxLength (%zu)", max);
		*resp = status_reply("Failed");
		return 0;
	}
	if (rc < 0) {
		CP_ERR(TAG, "SendLocalList: storing the list failed (%s)", strerror(-rc));
		*resp = status_reply("Failed");
		return 0;
	}
	CP_INFO(TAG, "local list %s update: %zu entries, version %d",
	    lr.full ? "Full" : "Differential", lr.n, lr.version);
	*resp = status_reply("Accepted");
	return 0;
}

int st_h_get_local_list_version(void *ctx, const cJSON *req, cJSON **resp,
    ocpp_error *err, char *desc, size_t desclen)
{
	struct station *s = ctx;
	int version = -1, rc;
	cJSON *r;

	(void)req;
	/* -1: "does not support Local Authorization Lists" (§6.21), which is
	 * what a disabled list amounts to (OCTT TC_042_1). */
	if (cfg_bool(&s->cfg, CFG_LOCAL_AUTH_LIST_ENABLED)) {
		rc = current_version(s, &version);
		if (rc < 0) {
			*err = OCPP_ERR_INTERNAL;
			snprintf(desc, desclen, "cannot read the local list version: %s", strerror(-rc));
			return rc;
		}
	}
	r = cJSON_CreateObject();
	cJSON_AddNumberToObject(r, "listVersion", version);
	*resp = r;
	return 0;
}

int st_auth_local(struct station *s, const char *tag, store_auth_entry *out)
{
	/* The list is the central system's word and outranks the cache
	 * (§3.5.3): a card Blocked in the list stays blocked even if an older
	 * Authorize answer in the cache said Accepted. */
	if (cfg_bool(&s->cfg, CFG_LOCAL_AUTH_LIST_ENABLED) &&
	    store_list_lookup(s->db, tag, out) == 0)
		goto found;
	if (cfg_bool(&s->cfg, CFG_AUTHORIZATION_CACHE_ENABLED) &&
	    store_cache_lookup(s->db, tag, out) == 0)
		goto found;
	return -ENOENT;
found:
	if (st_auth_entry_status(out, st_utc(s)) != out->status)
		snprintf(out->status, sizeof(out->status), "Expired");
	return 0;
}
