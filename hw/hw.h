/*
 * hw.h - the Mode 3 driver (IEC 61851-1): one hw_station per charge point,
 * one Mode 3 state machine per socket, on top of a backend operations table
 * (hw_sim_ops in hw_sim.h, hw_linux_ops in hw_linux.h).
 *
 * Use from the daemon's single-threaded loop:
 *
 *	hw_sim sim; hw_station hw;
 *	hw_sim_init(&sim, 2);
 *	hw_station_init(&hw, &hw_sim_ops, &sim, 2);
 *	every control cycle:  hw_station_set_offer(&hw, sock, applied_ma, now);
 *	every tick (~100 ms): hw_station_poll(&hw, now);
 *	                      st = hw_station_status(&hw, sock);  (changed when
 *	                      st->seq differs from the last one seen)
 *
 * hw/ never reads a clock: every timer (overcurrent bands, 5 min resume,
 * contactor timeout, lock retry) runs on the cp_mono_t passed in, so the
 * daemon's --time-scale scales them all.  hw/ knows pins and wires, not
 * OCPP: it reports a fault type, an info string and a vendor code, and the
 * daemon turns them into StatusNotification.
 *
 * Ownership: the hw_station, the backend context and the hw_socket_config
 * are owned by the caller; the hw_socket_status pointers returned stay valid
 * for the life of the hw_station and are updated in place by the calls above.
 */
#ifndef HW_HW_H
#define HW_HW_H

#include <stdbool.h>
#include <stdint.h>

#include "cp_limits.h"
#include "cp_time.h"
#include "hw/hw_oc.h"

/* Conductors of a socket's supply (L1..L3 of the socket, before the
 * station's phase rotation maps them onto grid phases, docs/station-model.md). */
#define HW_CONDUCTORS 3

/* Highest current the duty cycle can express (96 %, IEC 61851-1 A.8). */
#define HW_MAX_OFFER_MA 80000

/* Control pilot states as seen by the station (docs/mode3.md).  x1 = PWM off (no
 * current offered), x2 = PWM on. */
enum hw_pilot {
	HW_PILOT_A = 0, /* +12 V: no EV */
	HW_PILOT_B1,    /* +9 V: EV connected, nothing offered */
	HW_PILOT_B2,    /* +9 V: EV connected, current offered, EV not asking */
	HW_PILOT_C1,    /* +6 V: EV asks, nothing offered */
	HW_PILOT_C2,    /* +6 V: EV asks, current offered: charging */
	HW_PILOT_D1,    /* +3 V: EV asks with ventilation, nothing offered */
	HW_PILOT_D2,    /* +3 V: charging with ventilation */
	HW_PILOT_E,     /* 0 V: EV or pilot error */
	HW_PILOT_F,     /* -12 V: EVSE not available (fault, overcurrent pause, disabled) */
	HW_PILOT_COUNT
};
/* "A", "B1", ... "F" exactly; "?" for an out-of-range value. */
const char *hw_pilot_name(enum hw_pilot p);

enum hw_fault {
	HW_FAULT_NONE = 0,
	HW_FAULT_DIODE,       /* no negative pilot half: diode check failed */
	HW_FAULT_LOCK,        /* lock motor did not lock (or unlock) */
	HW_FAULT_EV_ERROR,    /* EV put the pilot in state E */
	HW_FAULT_VENTILATION, /* EV asks for ventilation (D) and the site has none */
	HW_FAULT_OVERCURRENT, /* docs/mode3.md overcurrent protection tripped */
	HW_FAULT_METER,       /* the socket's meter gives no readings
			       * (hw_station_set_meter_fault) */
	HW_FAULT_COUNT
};
/* "none", "diode", "lock", "ev_error", "ventilation", "overcurrent",
 * "meter". */
const char *hw_fault_name(enum hw_fault f);

/* Display / LED messages of the docs/mode3.md.  The station picks one from its
 * state; the daemon may add a hint (alternating, load balancing) that is
 * shown unless a fault or the suspend signal takes precedence. */
enum hw_display {
	HW_DISPLAY_AUTO = 0,     /* only as a hint: "choose from the state" */
	HW_DISPLAY_IDLE,         /* no EV */
	HW_DISPLAY_CONNECTED,    /* EV connected, waiting for authorization or the EV */
	HW_DISPLAY_CHARGING,     /* charging at the offered current */
	HW_DISPLAY_REDUCED,      /* charging, reduced by load balancing / SCN */
	HW_DISPLAY_WAITING_POWER,/* paused by a profile, balancing, probing */
	HW_DISPLAY_ALTERNATING,  /* paused for the alternating period */
	HW_DISPLAY_SUSPENDED,    /* Suspend Charging Mode (docs/mode3.md) */
	HW_DISPLAY_OVERCURRENT,  /* overcurrent pause, error code 302 */
	HW_DISPLAY_FAULT,        /* any other fault */
	HW_DISPLAY_UNAVAILABLE,  /* socket disabled */
	HW_DISPLAY_COUNT
};
/* Text for a display, e.g. "302: One moment please. Your charging session
 * will resume shortly."; never NULL. */
const char *hw_display_text(enum hw_display d);
/* LED pattern for stations without a display, e.g. "red/blue flashing". */
const char *hw_display_led(enum hw_display d);
/* Short stable name for logs and the control socket ("charging", ...). */
const char *hw_display_name(enum hw_display d);

/* Which hw-level limit made offered_ma lower than what the daemon asked. */
enum hw_binding {
	HW_BIND_NONE = 0, /* the daemon's value (or 0 because it asked < 6 A) */
	HW_BIND_CABLE,    /* cable capacity (PP) or no cable */
	HW_BIND_SUSPEND,  /* never set: the suspend signal is the control
			   * cycle's limit source (smartcharging/evaluate.c);
			   * kept so that status mappings stay valid */
	HW_BIND_FAULT,    /* a fault, the overcurrent pause, socket disabled */
	HW_BIND_EV_STATE  /* the plug was released by UnlockConnector: nothing
			   * until the EV is unplugged */
};
const char *hw_binding_name(enum hw_binding b);

/* Suspend input polarity (DirectExternalSuspendSignal, docs/mode3.md). */
enum hw_suspend_mode {
	HW_SUSPEND_IGNORED = 0, /* no contact, or the port belongs to a DSMR P1 meter */
	HW_SUSPEND_ON_CLOSE,
	HW_SUSPEND_ON_OPEN
};

/* UnlockConnector outcome (OCPP 1.6 UnlockStatus). */
enum hw_unlock_result {
	HW_UNLOCK_UNLOCKED = 0,
	HW_UNLOCK_FAILED,
	HW_UNLOCK_NOT_SUPPORTED
};

/* What a socket looks like right now: everything the daemon reports. */
typedef struct hw_socket_status {
	enum hw_pilot pilot;
	int32_t requested_ma;   /* last value given to hw_station_set_offer */
	int32_t offered_ma;     /* what the PWM offers now; 0 when off */
	enum hw_binding binding;/* why offered_ma < requested_ma, if hw's doing */
	int32_t current_ma[HW_CONDUCTORS]; /* import per socket conductor */
	int32_t voltage_mv[HW_CONDUCTORS];
	int64_t energy_wh;      /* meter register */
	int32_t cable_ma;       /* cable capacity; 0 = no cable */
	bool contactor;         /* closed */
	bool locked;
	bool ev_connected;      /* pilot not A (in F: last known) */
	bool ev_requests;       /* EV in C or D */
	bool ev_drawing;        /* some conductor above HW_DRAW_MIN_MA */
	int ev_phases;          /* conductors seen drawing this session; 0 = unknown */
	enum hw_fault fault;
	char fault_info[64];    /* "Overcurrent detected allowed 16A actual 20A" */
	const char *vendor_error; /* "302" for overcurrent, "" otherwise */
	enum hw_display display;
	bool suspend_contact;   /* physical contact closed */
	bool suspended;         /* the contact suspends (per hw_suspend_mode) */
	bool enabled;           /* false: hw_station_set_enabled(false), pilot F */
	uint32_t seq;           /* incremented on every visible change */
} hw_socket_status;

/* A meter reading from the backend (or fed by the daemon, see
 * hw_station_set_meter). */
typedef struct hw_meter_reading {
	int32_t current_ma[HW_CONDUCTORS];
	int32_t voltage_mv[HW_CONDUCTORS];
	int64_t energy_wh;
} hw_meter_reading;

/* Pilot levels the backend measures on the positive half of the pilot. */
enum hw_cp_level {
	HW_CP_12V = 0, HW_CP_9V, HW_CP_6V, HW_CP_3V, HW_CP_0V,
	HW_CP_NEG12V,  /* output is F: the EV cannot be seen */
	HW_CP_INVALID  /* between bands */
};
/* Classify a measured positive pilot voltage (IEC 61851-1 table A.4 bands,
 * cut half-way between the nominal levels). */
enum hw_cp_level hw_cp_level_from_mv(int32_t mv);

/* What the station asks of the pilot generator. */
enum hw_pilot_out {
	HW_OUT_STANDBY = 0, /* +12 V DC: states A, B1, C1, D1, E */
	HW_OUT_PWM,         /* 1 kHz +-12 V at duty: B2, C2, D2 */
	HW_OUT_F            /* -12 V DC: state F */
};

/*
 * Backend operations: one table per kind of hardware (STYLE 9).  sock is
 * 1-based.  Every function returns 0 or a negative errno; -ENOTSUP means
 * "this hardware has no such thing" and is not an error for optional parts.
 */
typedef struct hw_backend_ops {
	const char *name;
	/* Advance time-dependent backend state (the simulator's physics).
	 * Called first in every hw_station_poll.  May be NULL. */
	void (*tick)(void *ctx, cp_mono_t now);
	/* duty in 0.01 % units (hw_duty_from_ma), used only with HW_OUT_PWM. */
	int (*set_pilot)(void *ctx, int sock, enum hw_pilot_out out, int duty);
	/* diode_ok: the negative half reached -12 V on the last PWM period. */
	int (*read_pilot)(void *ctx, int sock, enum hw_cp_level *level, bool *diode_ok);
	/* Proximity resistor in ohm, -1 for an open circuit (no cable). */
	int (*read_proximity)(void *ctx, int sock, int32_t *ohm);
	int (*set_contactor)(void *ctx, int sock, bool closed);
	/* -EIO: the motor did not reach the position; -ENOTSUP: no lock. */
	int (*set_lock)(void *ctx, int sock, bool locked);
	/* -ENOTSUP: no meter here; the daemon feeds hw_station_set_meter. */
	int (*read_meter)(void *ctx, int sock, hw_meter_reading *m);
	/* -ENOTSUP: no suspend input wired. */
	int (*read_suspend)(void *ctx, bool *closed);
	/* May be NULL. */
	void (*show_display)(void *ctx, int sock, enum hw_display d);
} hw_backend_ops;

/* Per-socket installation facts. */
typedef struct hw_socket_config {
	bool fixed_cable;       /* tethered cable: no PP, no lock */
	int32_t fixed_cable_ma; /* its rating (default 32 A) */
	bool ventilation;       /* the site ventilates: state D may charge */
} hw_socket_config;

/* Internal per-socket state; read it through hw_station_status. */
typedef struct hw_socket {
	hw_socket_config cfg;
	hw_socket_status st;
	hw_oc oc;
	int32_t eff_ma;               /* offer after hw limits; on the PWM in x2 */
	enum hw_cp_level level;       /* last pilot reading */
	bool diode_ok;
	bool diode_checked;           /* diode_ok was read with the PWM on */
	bool meter_external;          /* backend has no meter: daemon feeds it */
	hw_meter_reading meter;
	bool meter_fault;             /* hw_station_set_meter_fault */
	char meter_info[64];
	enum hw_display hint;
	bool unlocked_by_request;     /* UnlockConnector: no charge until re-plug */
	enum hw_pilot_out out;        /* last pilot output written */
	int duty;                     /* last duty written */
	bool open_pending;            /* x2 -> x1 with contactor closed */
	cp_mono_t open_deadline;      /* open anyway at this time */
	cp_mono_t fault_until;        /* overcurrent pause end */
	cp_mono_t retry_at;           /* lock / diode retry */
	int seen_phases;
} hw_socket;

typedef struct hw_station {
	const hw_backend_ops *ops;
	void *ctx;
	int n_sockets;
	enum hw_suspend_mode suspend_mode;
	bool keep_lock_on_ev_disconnect; /* default false: unlock when the EV leaves */
	bool suspend_contact;
	bool suspended;
	hw_socket sock[CP_MAX_CONNECTORS];
} hw_station;

/* 0, or -EINVAL for n_sockets outside 1..CP_MAX_CONNECTORS or a NULL ops.
 * Drives every pilot to +12 V standby and opens every contactor. */
int hw_station_init(hw_station *hw, const hw_backend_ops *ops, void *ctx, int n_sockets);
/* Installation facts of one socket (default: socketed outlet with a lock,
 * cable from PP, no ventilation).  -EINVAL on a bad socket or rating. */
int hw_station_configure_socket(hw_station *hw, int sock, const hw_socket_config *cfg);
void hw_station_set_suspend_mode(hw_station *hw, enum hw_suspend_mode mode);
/* Whether the lock opens when the EV side disconnects (pilot A); the default
 * is true.  OCPP UnlockConnectorOnEVSideDisconnect. */
void hw_station_set_unlock_on_ev_disconnect(hw_station *hw, bool unlock);

/* The offer the control cycle decided for this socket.  Below 6 A means
 * pause (PWM off: x2 -> x1); rounded down to 0.1 A, capped by the cable and
 * 80 A, 0 on a fault or a released plug; the suspend signal is not applied
 * here (the daemon reads st->suspended and decides).  Written to the pilot
 * at once (not at the next poll).  -EINVAL for a bad socket or a negative
 * value. */
int hw_station_set_offer(hw_station *hw, int sock, int32_t offered_ma, cp_mono_t now);
/* One control tick: backend physics, pilot and meter readings, the Mode 3
 * state machines, the overcurrent monitors, suspend input, display. */
int hw_station_poll(hw_station *hw, cp_mono_t now);
/* NULL for a bad socket number. */
const hw_socket_status *hw_station_status(const hw_station *hw, int sock);

/* Socket enabled (OCPP Available) or disabled (Inoperative: pilot F). */
int hw_station_set_enabled(hw_station *hw, int sock, bool enabled, cp_mono_t now);
/* UnlockConnector.  Opens the contactor and stops the PWM first: a cable is
 * never released live.  The socket offers nothing until the EV is unplugged. */
enum hw_unlock_result hw_station_unlock(hw_station *hw, int sock, cp_mono_t now);
/* Display hint from the daemon (HW_DISPLAY_AUTO to clear). */
int hw_station_set_display_hint(hw_station *hw, int sock, enum hw_display hint);
/* For backends without a meter (read_meter = -ENOTSUP): the daemon's meter
 * reading of this socket, used by the overcurrent monitor and the status. */
int hw_station_set_meter(hw_station *hw, int sock, const hw_meter_reading *m);
/* The daemon's meter of this socket stopped (info, e.g. "meter unit 1 not
 * answering", copied) or gives readings again (info NULL or "").  While it
 * is stopped the socket reports HW_FAULT_METER with that info, unless
 * another fault is shown, and offers nothing: without readings neither the
 * overcurrent monitor nor the energy register can be trusted.  The pilot
 * is not driven to F: the EV sees no current offered (x1) and charging
 * resumes by itself with the readings.  -EINVAL for a bad socket. */
int hw_station_set_meter_fault(hw_station *hw, int sock, const char *info, cp_mono_t now);

/* ---- pure helpers (hw/duty.c) ---- */

/* PWM duty in 0.01 % units for an offered current (IEC 61851-1 A.8):
 * 6-51 A: I / 0.6 %; 51-80 A: I / 2.5 + 64 %; above 80 A: 96 %.  Below 6 A
 * returns 0, "no PWM": there is no duty that means 1-5 A. */
int hw_duty_from_ma(int32_t ma);
/* What an EV reads from a duty (IEC 61851-1 A.7): 8-10 % -> 6 A,
 * 10-85 % -> duty x 0.6, 85-96 % -> (duty - 64) x 2.5, rounded to the
 * nearest 0.1 A; 0 for a duty that allows no charging. */
int32_t hw_ma_from_duty(int duty);
/* Cable capacity from the proximity resistor (IEC 61851-1 B.2): open or
 * above 4.5 kOhm: 0 (no cable); >= 1000: 13 A; >= 330: 20 A; >= 150: 32 A;
 * else 63 A.  ohm < 0 means open. */
int32_t hw_cable_ma_from_ohm(int32_t ohm);

#endif
