/*
 * alloc.h - the allocator's rule (docs/scn.md "Who decides"), pure: from
 * the engine's targets and what the members announce, the shares to
 * publish this period so that the network's summed offer never exceeds
 * its budget while frames are in flight.
 */
#ifndef ST_SCN_ALLOC_H
#define ST_SCN_ALLOC_H

#include <stdbool.h>
#include <stdint.h>

#include "station/scn/frame.h"
#include "station/scn/scn.h"
#include "station/scn/view.h"

/* The last shares published (by this member as the allocator, or heard
 * from the allocator), by socket id, and our frame that carried them. */
struct scn_alloc_state {
	int32_t pub_ma[SCN_SOCKET_ID_MAX + 1];
	bool pub_known[SCN_SOCKET_ID_MAX + 1];
	uint32_t pub_seq;
	/* The first of our frames that carried the shares published since:
	 * a member applying any frame from it on offers exactly them. */
	uint32_t same_since;
};

void scn_alloc_init(struct scn_alloc_state *st);

/* Shares heard from (or published by) the allocator. */
void scn_alloc_heard(struct scn_alloc_state *st, const struct scn_announce *a);

/*
 * The shares to publish in announcement `a` (a->seq set, our frame):
 * for every socket the view knows, target_ma[id] (the engine's setpoint at
 * index id, n_ids of them) when that raises nothing unsafely, else no more
 * than the last share published.  Sets a->has_alloc, n_alloc, alloc and
 * a->epoch (= a->seq: we apply our own frame), and st->pub_seq.  Returns
 * true when it published the targets, false for a lowering-only frame.
 */
bool scn_alloc(struct scn_alloc_state *st, const struct scn_view *v,
	       const int32_t *target_ma, unsigned n_ids, struct scn_announce *a);

#endif
