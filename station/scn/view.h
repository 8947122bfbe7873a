/*
 * view.h - one member's view of a Smart Charging Network (docs/scn.md, "The
 * view and the allocation"): who is there, which sockets they have, what the
 * network may draw, and whether this member may raise its own setpoints.
 *
 * Pure: no I/O, no clock reads, no globals, no malloc.  Once per period
 * the caller:
 *   1. scn_view_expire(v, now, lost)            members silent too long
 *   2. scn_view_balance_input(v, cfg, &in)      the whole network's input
 *   3. sc_balance_step(&st, &in, now, &out)     its own long-lived state
 *   4. scn_view_decided(v, &out)                the epoch to announce
 *   5. scn_view_apply(v, id, ...) per own socket  the offer
 *   6. send its announcement with .epoch = scn_view_epoch(v) and the
 *      offers as setpoint_ma, and pass the same to scn_view_self(v, ...)
 * and feeds every announcement it receives to scn_view_heard().  Our own
 * sockets enter the view as we announced them, so they reach our engine
 * when they reach everyone else's.
 *
 * Every member runs the same engine on the same view, so the engine's socket
 * index is the socket ID itself: the same slot on every member and at every
 * step.  IDs at or above CP_MAX_SCN_SOCKETS are refused.
 */
#ifndef ST_SCN_VIEW_H
#define ST_SCN_VIEW_H

#include <stdbool.h>
#include <stdint.h>

#include "cp_limits.h"
#include "cp_time.h"
#include "smartcharging/sc_balance.h"
#include "station/scn/scn.h"

/* The SCN configuration keys the view and the allocation read (README key
 * reference).  Currents per grid phase, in mA. */
struct scn_config {
	char network[SCN_NAME_MAX + 1];	/* SCN-NetworkName */
	int32_t total_static_ma;	/* SCN-TotalStaticCurrent */
	int32_t total_safe_ma;		/* SCN-TotalSafeCurrent */
	int32_t socket_safe_ma;		/* SCN-SocketSafeCurrent */
	uint16_t socket_count;		/* SCN-SocketCount; 0 = not configured */
	int64_t peer_timeout_ms;	/* SCN-PeerTimeout */
	int64_t alternating_ms;		/* SCN-AlternatingPeriod */
	int32_t probe_ma;		/* Chameleon-MinCurrent, equal on every member */
};

/* The README defaults: safe 6 A per socket, peer timeout 5 s, alternating
 * 900 s, probing at 14 A; the network name and the totals are left 0. */
void scn_config_default(struct scn_config *cfg);

enum scn_view_state {
	SCN_VIEW_ALONE = 0,		/* no peer heard yet */
	SCN_VIEW_JOINED,		/* at least one peer live */
	/* Every peer went silent for SCN-PeerTimeout: this member offers
	 * at most SCN-SocketSafeCurrent per socket, which is what the others
	 * reserve for it, until it hears a peer again. */
	SCN_VIEW_ISOLATED,
};

/* A socket ID announced by two members: the one heard first keeps it. */
struct scn_refusal {
	uint16_t id;
	uint32_t member;		/* refused: its socket takes no share */
	uint32_t holder;		/* keeps the ID */
};

/* One member as the view keeps it; read-only for the caller. */
struct scn_member {
	struct scn_announce ann;	/* the last announcement heard */
	cp_mono_t last_heard;
	uint32_t order;			/* when it was (re)joined: first heard keeps IDs */
	bool self;
	/* Silent for SCN-PeerTimeout: out of the view, but its sockets'
	 * SCN-SocketSafeCurrent stays reserved until it is heard again. */
	bool lost;
};

struct scn_view {
	struct scn_config cfg;
	enum scn_view_state state;
	uint32_t view_hash;		/* of the view alone */
	uint32_t epoch;			/* of the view and the decision on it */
	bool decided;			/* epoch is of the view as it is now */
	uint32_t next_order;
	bool has_self;
	uint32_t self_id;		/* our member ID, from the first scn_view_self() */
	/* Sorted by member ID, so that everything derived from the view is
	 * the same on every member whatever the order it heard things in. */
	uint16_t n_members;
	struct scn_member member[CP_MAX_SCN_SOCKETS];
	/* Owner of each socket ID (index into member[]), -1 for none. */
	int16_t owner[CP_MAX_SCN_SOCKETS];
	uint16_t n_refused;
	struct scn_refusal refused[CP_MAX_SCN_SOCKETS];
};

/* An empty view for `cfg` (copied).  Returns 0 or -EINVAL for a malformed
 * configuration (negative currents, a timeout <= 0). */
int scn_view_init(struct scn_view *v, const struct scn_config *cfg);

/*
 * An announcement of another member heard at `now`.  Returns 0; -ENOENT for
 * another network or our own member ID; -EINVAL for a malformed one (more
 * than CP_MAX_CONNECTORS sockets); -ENOSPC when the member table is full
 * (the sender stays out of the view).  A member that was lost is back: its
 * reservation ends and it joins as a newcomer (it is heard first no more).
 */
int scn_view_heard(struct scn_view *v, const struct scn_announce *a, cp_mono_t now);

/*
 * Our own announcement as just sent (step 6): what the view keeps of us,
 * epoch included.  Returns 0 or as scn_view_heard(); -EEXIST when a peer
 * uses our member ID.
 */
int scn_view_self(struct scn_view *v, const struct scn_announce *self, cp_mono_t now);

/*
 * The engine's result on this view (step 4): the epoch becomes a hash of
 * the view and of every socket's computed setpoint, so that members with
 * equal epochs have decided the same for every socket.
 */
void scn_view_decided(struct scn_view *v, const struct sc_balance_output *out);

/*
 * Members silent for SCN-PeerTimeout at `now` are dropped from the view.
 * Writes the IDs of the sockets of the members lost at this call to
 * lost_ids (the caller logs "Lost connection with other socket (id: N)!")
 * and returns how many.
 */
unsigned scn_view_expire(struct scn_view *v, cp_mono_t now,
			 uint16_t lost_ids[CP_MAX_SCN_SOCKETS]);

/* When scn_view_expire() has something to do next; SC_BALANCE_NEVER for
 * nothing. */
cp_mono_t scn_view_next_deadline(const struct scn_view *v);

/* The epoch to announce: a hash of the member IDs, of every socket's ID,
 * owner, phases and in_use, of the reservations and of the computed
 * setpoints, the same on every member with the same view and decision.  The
 * view's part changes whenever membership or the sockets in use change. */
uint32_t scn_view_epoch(const struct scn_view *v);

enum scn_view_state scn_view_state(const struct scn_view *v);
const char *scn_view_state_name(enum scn_view_state state);

/* Live members, ourselves included. */
unsigned scn_view_members(const struct scn_view *v);

/* Decided on the view as it is now, and every live member, ourselves
 * included, announced the epoch we have now. */
bool scn_view_consistent(const struct scn_view *v);

/* The duplicate socket IDs of the view (for the log); *n gets the count. */
const struct scn_refusal *scn_view_refused(const struct scn_view *v, unsigned *n);

/*
 * The balancing engine's input for the whole network (docs/scn.md):
 *   budget[0]   the network, per phase: SCN-TotalStaticCurrent, or the
 *               lowest budget a live member announces (SCN-TotalSafeCurrent
 *               where it says budget_safe), minus SCN-SocketSafeCurrent for
 *               each socket of a lost member (on its phases) and for each
 *               socket of SCN-SocketCount the view does not know (all phases)
 *   budget[1..] one per live member with sockets: its Station-MaxCurrent
 *   socket[id]  every socket in the view at index = its ID
 * Under SCN-TotalSafeCurrent the engine serves the lowest IDs first
 * (serve_low_ids_first).  Isolated, or alone without SCN-SocketCount: only
 * our own sockets, each capped at SCN-SocketSafeCurrent.  Writes all of *in.  Returns 0, or -EINVAL for a
 * malformed cfg.
 */
int scn_view_balance_input(const struct scn_view *v, const struct scn_config *cfg,
			   struct sc_balance_input *in);

/*
 * The setpoint to offer on our socket `id`: the engine computed
 * `computed_ma`, the socket offers `current_ma` now.  A decrease applies at
 * once; an increase only while the view is consistent (see view.c for why
 * that keeps the network under its budget).  Returns 0, or -ENOENT when the
 * socket is not ours (then *out_ma = min(computed, current)).
 */
int scn_view_apply(const struct scn_view *v, uint16_t id, int32_t computed_ma,
		   int32_t current_ma, cp_mono_t now, int32_t *out_ma);

#endif
