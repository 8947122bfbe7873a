/*
 * hw_sim.h - the simulator backend (--hw sim, the default): simulated EVs
 * that obey the pilot, a simulated cable (PP), lock, contactor, meter and
 * suspend contact.  Driven by the control socket (/names).
 *
 * The simulated EV, per socket:
 *  - plugged: pilot B.  It asks for charge (C; D with the ventilation fault)
 *    when the PWM offers current and its battery is not full; E with the
 *    ev_error fault.
 *  - reads the offer from the duty (hw_ma_from_duty) and, once the contactor
 *    is closed, draws min(offer, its max) x draw_factor on its first
 *    `phases` conductors; offered less than its minimum it draws nothing and
 *    stays in C (a 14 A EV offered 10 A).
 *  - ramps at HW_SIM_RAMP_MA_PER_S like a real on-board charger, from the
 *    time passed to tick (no sleeps).  PWM off: it ramps down, then goes to B.
 *    Full: it ramps down, then goes to B.
 *  - energy integrates the drawn power at 230 V per conductor.
 *
 * Every control function returns 0 or a negative errno and, on error, leaves
 * a one-line reason in hw_sim_last_error() for the control socket's reply.
 */
#ifndef HW_HW_SIM_H
#define HW_HW_SIM_H

#include <stdbool.h>
#include <stdint.h>

#include "hw/hw.h"

/* A car's on-board charger takes about a second to go from 0 to 32 A. */
#define HW_SIM_RAMP_MA_PER_S 32000
/* Nominal conductor voltage of the simulated supply (docs/station-model.md). */
#define HW_SIM_VOLTAGE_MV 230000

enum hw_sim_fault {
	HW_SIM_FAULT_DIODE = 0,   /* diode check fails */
	HW_SIM_FAULT_LOCK,        /* lock motor fails */
	HW_SIM_FAULT_EV_ERROR,    /* EV in state E */
	HW_SIM_FAULT_VENTILATION, /* EV asks for ventilation: D instead of C */
	HW_SIM_FAULT_COUNT
};
/* "diode" | "lock" | "ev_error" | "ventilation" -> 0..3, or -EINVAL. */
int hw_sim_fault_parse(const char *name);

enum hw_sim_ev_param {
	HW_SIM_EV_MAX_MA = 0,     /* 6000..80000, >= min */
	HW_SIM_EV_MIN_MA,         /* 6000..80000, <= max */
	HW_SIM_EV_PHASES,         /* 1..3 */
	HW_SIM_EV_DRAW_PERMILLE,  /* draw_factor x 1000: 1250 = 25 % overdraw; 0..3000 */
	HW_SIM_EV_FULL            /* 0 / 1 */
};

typedef struct hw_sim_ev {
	bool plugged;
	int phases;
	int32_t min_ma, max_ma;
	int32_t draw_permille;
	bool full;
	bool requesting;             /* resistor state C (or D) */
	int32_t current_ma[HW_CONDUCTORS];
} hw_sim_ev;

typedef struct hw_sim_socket {
	hw_sim_ev ev;
	/* The socket's energy meter (Energy.Active.Import.Register): it belongs
	 * to the station, not the EV, so it only ever counts up, across
	 * plug-ins, transactions and (restored by the daemon) restarts. */
	int64_t energy_uj;           /* micro-joules, so short steps add up */
	int32_t cable_a;             /* 0, 13, 20, 32, 63 */
	bool fault[HW_SIM_FAULT_COUNT];
	enum hw_pilot_out out;       /* what the station drives */
	int duty;
	bool contactor;
	bool locked;
	enum hw_display display;
} hw_sim_socket;

typedef struct hw_sim {
	int n_sockets;
	bool suspend_closed;
	bool started;
	cp_mono_t last;
	hw_sim_socket sock[CP_MAX_CONNECTORS];
	char err[96];
} hw_sim;

extern const hw_backend_ops hw_sim_ops;

/* 0 or -EINVAL.  Cables default to 32 A, no EV, suspend contact open. */
int hw_sim_init(hw_sim *sim, int n_sockets);
/* phases 1..3, min_ma (6000 or 14000 typically) <= max_ma <= 80000.
 * -EBUSY if an EV is already plugged. */
int hw_sim_plug(hw_sim *sim, int sock, int phases, int32_t min_ma, int32_t max_ma);
/* -ENOTCONN if nothing is plugged. */
int hw_sim_unplug(hw_sim *sim, int sock);
int hw_sim_ev_set(hw_sim *sim, int sock, enum hw_sim_ev_param p, int32_t value);
/* Sets the socket's meter register (Wh): a real meter keeps counting across
 * restarts of the daemon, so the daemon restores the last reading. */
int hw_sim_set_energy(hw_sim *sim, int sock, int64_t wh);
/* rating_a: 0 (no cable), 13, 20, 32 or 63. */
int hw_sim_cable(hw_sim *sim, int sock, int32_t rating_a);
int hw_sim_fault(hw_sim *sim, int sock, enum hw_sim_fault type, bool active);
void hw_sim_suspend_contact(hw_sim *sim, bool closed);
/* The EV of a socket (NULL for a bad socket), for tests and status. */
const hw_sim_ev *hw_sim_ev_get(const hw_sim *sim, int sock);
/* The reason of the last failed call; "" if none. */
const char *hw_sim_last_error(const hw_sim *sim);

#endif
