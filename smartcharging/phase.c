/*
 * phase.c - socket conductor -> grid phase mapping (see sc_phase.h).
 */
#include <errno.h>
#include <stddef.h>
#include <strings.h>

#include "smartcharging/sc_phase.h"

/* One row per order code: its name and the grid phase of cable conductor 1..3. */
static const struct {
	const char *name;
	uint8_t conductors;
	int8_t grid[SC_PHASES];
} order_table[] = {
	[SC_ORDER_NONE]   = { "",       0, { -1, -1, -1 } },
	[SC_ORDER_L1]     = { "L1",     1, { 0, -1, -1 } },
	[SC_ORDER_L2]     = { "L2",     1, { 1, -1, -1 } },
	[SC_ORDER_L3]     = { "L3",     1, { 2, -1, -1 } },
	[SC_ORDER_L1L2L3] = { "L1L2L3", 3, { 0, 1, 2 } },
	[SC_ORDER_L1L3L2] = { "L1L3L2", 3, { 0, 2, 1 } },
	[SC_ORDER_L2L1L3] = { "L2L1L3", 3, { 1, 0, 2 } },
	[SC_ORDER_L2L3L1] = { "L2L3L1", 3, { 1, 2, 0 } },
	[SC_ORDER_L3L1L2] = { "L3L1L2", 3, { 2, 0, 1 } },
	[SC_ORDER_L3L2L1] = { "L3L2L1", 3, { 2, 1, 0 } },
};

#define ORDER_COUNT (sizeof(order_table) / sizeof(order_table[0]))

int sc_phase_parse_order(const char *s, enum sc_phase_order *out)
{
	if (s == NULL || *s == '\0')
		return -EINVAL;
	for (size_t i = SC_ORDER_L1; i < ORDER_COUNT; i++) {
		if (strcasecmp(s, order_table[i].name) == 0) {
			*out = (enum sc_phase_order)i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *sc_phase_order_name(enum sc_phase_order order)
{
	if ((unsigned)order >= ORDER_COUNT)
		return NULL;
	return order_table[order].name;
}

int sc_phase_map_socket(const struct sc_phase_topology *topo, unsigned socket,
			struct sc_phase_map *out)
{
	enum sc_phase_order order;

	if ((topo->phases != 1 && topo->phases != 3) ||
	    (topo->feeds != 1 && topo->feeds != 2) ||
	    (topo->sockets != 1 && topo->sockets != 2) ||
	    socket < 1 || socket > topo->sockets)
		return -EINVAL;
	/* Two feeds means one cable per socket (docs/station-model.md), which needs two sockets. */
	if (topo->feeds == 2 && topo->sockets != 2)
		return -EINVAL;

	order = topo->feeds == 2 ? topo->feed[socket - 1] : topo->connected;
	if ((unsigned)order >= ORDER_COUNT)
		return -EINVAL;
	if (order == SC_ORDER_NONE)
		return -ENODEV;

	out->grid[0] = out->grid[1] = out->grid[2] = -1;
	if (topo->phases == 1 || order_table[order].conductors == 1) {
		/* Only the cable's first conductor is live: nothing to rotate. */
		out->conductors = 1;
		out->grid[0] = order_table[order].grid[0];
		return 0;
	}

	out->conductors = SC_PHASES;
	for (unsigned k = 0; k < SC_PHASES; k++) {
		/* docs/station-model.md: on a three-phase dual-socket station socket 1 takes
		 * cable conductors 3,2,1 and socket 2 takes 1,2,3, so two
		 * single-phase EVs never share a phase. */
		unsigned cable = (topo->sockets == 2 && socket == 1) ? SC_PHASES - 1 - k : k;
		out->grid[k] = order_table[order].grid[cable];
	}
	return 0;
}

unsigned sc_phase_mask_ev(const struct sc_phase_map *map, unsigned ev_phases)
{
	unsigned mask = 0;

	for (unsigned k = 0; k < ev_phases && k < map->conductors; k++)
		if (map->grid[k] >= 0)
			mask |= 1u << map->grid[k];
	return mask;
}

void sc_phase_add_currents(const struct sc_phase_map *map,
			   const int32_t cond_ma[SC_PHASES],
			   int32_t grid_ma[SC_PHASES])
{
	for (unsigned k = 0; k < map->conductors && k < SC_PHASES; k++)
		if (map->grid[k] >= 0)
			grid_ma[map->grid[k]] += cond_ma[k];
}
