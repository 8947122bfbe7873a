/*
 * member.h - this station as a member of a Smart Charging Network
 * (docs/scn.md "Who decides"): once per period (SCN_PERIOD_MS of station
 * time) it announces its sockets; the live member with the lowest member id
 * is the allocator, which runs the network's balancing engine on its view
 * and announces every socket's share, lowering first and raising only once
 * every member has applied the lowering.  Each member applies its own
 * sockets' shares the moment the allocator's frame arrives.  The shares
 * reach the control cycle as a budget node per socket (cycle.c), under
 * which the station's own limits still hold.
 */
#ifndef ST_SCN_MEMBER_H
#define ST_SCN_MEMBER_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "smartcharging/sc_balance.h"
#include "station/scn/alloc.h"
#include "station/scn/frame.h"
#include "station/scn/net.h"
#include "station/scn/view.h"

/* One announcement per second of station time (at most 1 s). */
#define SCN_PERIOD_MS 1000

struct st_scn {
	bool on;
	struct scn_config cfg;
	struct scn_view view;
	struct scn_net net;
	struct scn_auth auth;
	struct sc_balance_state bal;
	struct sc_balance_input in;
	struct sc_balance_output out;
	uint32_t member, seq;
	uint16_t first_id;			/* SCN-SocketID */
	int32_t share_ma[CP_MAX_CONNECTORS];	/* applied to our sockets */
	struct scn_alloc_state alloc;		/* the shares last published */
	uint32_t applied_from, applied_seq;	/* the allocator frame we apply */
	bool allocator;
	uint32_t frames_in, frames_other_net, frames_bad, refused_logged;
	bool warned_safe_total;
	unsigned sockets_seen;			/* live sockets in the view, last logged */
	struct lws *wsi;			/* the adopted dup of the socket */
};

struct station;

void st_scn_configure(struct station *s);
void st_scn_period(struct station *s);
/* The network's share for connector i while the SCN is on. */
bool st_scn_share(const struct station *s, int connector, int32_t *ma);
void st_scn_status_json(struct station *s, cJSON *out);
void st_scn_close(struct station *s);
extern const struct lws_protocols st_scn_protocol;

#endif
