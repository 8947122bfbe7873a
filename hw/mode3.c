/*
 * mode3.c - the Mode 3 station (IEC 61851-1): per socket a pilot state
 * machine (switch on state, then on event; every transition and its side
 * effects in change_state), the contactor policy, the overcurrent pause,
 * the lock, the suspend input (read, not acted on: the control cycle
 * decides) and the display.  All timing uses the
 * cp_mono_t passed in.
 */
#include "hw/hw.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cp_log.h"

#define TAG "hw"

/* A conductor above this carries load: below it is standby consumption of
 * the on-board charger and meter noise. */
#define HW_DRAW_MIN_MA 1000
/* After x2 -> x1 the EV should stop drawing within 5 s (IEC 61851-1, the EV
 * follows a PWM change within 5 s); one more second of margin, then the
 * contactor opens under load rather than charge without permission. */
#define HW_CONTACTOR_OPEN_TIMEOUT_MS 6000
/* Retry a failed lock or diode check this often while the EV stays. */
#define HW_FAULT_RETRY_MS 5000
/* A tethered cable's rating unless configured. */
#define HW_DEFAULT_CABLE_MA 32000

enum hw_event {
	HW_EV_CP_A = 0,	/* pilot readings */
	HW_EV_CP_B,
	HW_EV_CP_C,
	HW_EV_CP_D,
	HW_EV_CP_E,
	HW_EV_OFFER,	/* effective offer >= 6 A (new or unchanged value) */
	HW_EV_PAUSE,	/* effective offer 0 */
	HW_EV_FAULT,	/* a fault latched or the socket was disabled: go to F */
	HW_EV_CLEAR	/* the fault cleared / socket enabled: leave F */
};

static void compute_offer(hw_station *hw, int i);

static hw_socket *get_sock(hw_station *hw, int sock)
{
	if (!hw || sock < 1 || sock > hw->n_sockets)
		return NULL;
	return &hw->sock[sock - 1];
}

static bool pwm_state(enum hw_pilot p)
{
	return p == HW_PILOT_B2 || p == HW_PILOT_C2 || p == HW_PILOT_D2;
}

static bool has_lock(const hw_station *hw, const hw_socket *s)
{
	return !s->cfg.fixed_cable && hw->ops->set_lock;
}

/* ---- backend writes (logged on failure; the state machine goes on) ---- */

static void write_pilot(hw_station *hw, int i, enum hw_pilot_out out, int duty)
{
	hw_socket *s = &hw->sock[i];

	if (out != HW_OUT_PWM)
		duty = 0;
	if (s->out == out && s->duty == duty)
		return;
	int r = hw->ops->set_pilot(hw->ctx, i + 1, out, duty);
	if (r < 0) {
		CP_ERR(TAG, "socket %d: pilot output failed: %s", i + 1, strerror(-r));
		return;
	}
	s->out = out;
	s->duty = duty;
}

static void write_contactor(hw_station *hw, int i, bool closed)
{
	hw_socket *s = &hw->sock[i];

	s->open_pending = false;
	if (s->st.contactor == closed)
		return;
	int r = hw->ops->set_contactor(hw->ctx, i + 1, closed);
	if (r < 0) {
		CP_ERR(TAG, "socket %d: contactor %s failed: %s", i + 1,
		       closed ? "close" : "open", strerror(-r));
		if (closed)
			return;
	}
	s->st.contactor = closed;
	CP_DEBUG(TAG, "socket %d: contactor %s", i + 1, closed ? "closed" : "open");
}

static int write_lock(hw_station *hw, int i, bool locked)
{
	hw_socket *s = &hw->sock[i];

	if (!has_lock(hw, s))
		return -ENOTSUP;
	int r = hw->ops->set_lock(hw->ctx, i + 1, locked);
	if (r == 0)
		s->st.locked = locked;
	return r;
}

/* ---- transitions ---- */

/* Every state change goes through here: pilot output, contactor, lock,
 * session bookkeeping, log. */
static void change_state(hw_station *hw, int i, enum hw_pilot to, cp_mono_t now)
{
	hw_socket *s = &hw->sock[i];
	enum hw_pilot from = s->st.pilot;

	switch (to) {
	case HW_PILOT_B2:
	case HW_PILOT_C2:
	case HW_PILOT_D2:
		write_pilot(hw, i, HW_OUT_PWM, hw_duty_from_ma(s->eff_ma));
		break;
	case HW_PILOT_F:
		write_pilot(hw, i, HW_OUT_F, 0);
		break;
	default:
		write_pilot(hw, i, HW_OUT_STANDBY, 0);
		break;
	}

	switch (to) {
	case HW_PILOT_C2:
	case HW_PILOT_D2:
		/* Only after the EV asked with the PWM on and the diode check
		 * passed on a reading taken with the PWM running (the callers
		 * fault on a failed one).  Coming from x1 there is none yet:
		 * the next poll reads one and closes then. */
		s->open_pending = false;
		if (s->diode_checked && s->diode_ok)
			write_contactor(hw, i, true);
		break;
	case HW_PILOT_C1:
	case HW_PILOT_D1:
		/* Paused while the EV still asks: it gets its 5 s to ramp
		 * down; hw_station_poll opens when it stopped or at the
		 * deadline. */
		if (s->st.contactor && !s->open_pending) {
			s->open_pending = true;
			s->open_deadline.ms = now.ms + HW_CONTACTOR_OPEN_TIMEOUT_MS;
		}
		break;
	default:
		/* A, B (the EV stopped asking), E, F: open now. */
		write_contactor(hw, i, false);
		break;
	}

	if (to == HW_PILOT_A) {
		/* The EV side is gone; the station-side lock opens only when the
		 * station is set to (UnlockConnectorOnEVSideDisconnect). */
		if (s->st.locked && !hw->keep_lock_on_ev_disconnect)
			(void)write_lock(hw, i, false);
		s->unlocked_by_request = false;
		s->seen_phases = 0;
		s->st.ev_phases = 0;
	}
	if (from != to)
		CP_INFO(TAG, "socket %d: pilot %s -> %s", i + 1, hw_pilot_name(from),
			hw_pilot_name(to));
	s->st.pilot = to;
	s->st.offered_ma = pwm_state(to) ? s->eff_ma : 0;
}

static void set_fault(hw_station *hw, int i, enum hw_fault f, cp_mono_t now)
{
	hw_socket *s = &hw->sock[i];

	s->st.fault = f;
	s->st.fault_info[0] = '\0';
	s->st.vendor_error = "";
	s->retry_at.ms = now.ms + HW_FAULT_RETRY_MS;
	if (f != HW_FAULT_NONE && f != HW_FAULT_OVERCURRENT)
		snprintf(s->st.fault_info, sizeof(s->st.fault_info), "%s",
			 hw_fault_name(f));
	if (f != HW_FAULT_NONE)
		CP_WARN(TAG, "socket %d: fault %s", i + 1, hw_fault_name(f));
}

/* The state for a pilot reading, given the offer; enters a fault where the
 * reading cannot be served (diode, ventilation, EV error). */
static void follow_level(hw_station *hw, int i, enum hw_event ev, cp_mono_t now)
{
	hw_socket *s = &hw->sock[i];
	bool offer = s->eff_ma > 0;

	switch (ev) {
	case HW_EV_CP_A:
		change_state(hw, i, HW_PILOT_A, now);
		break;
	case HW_EV_CP_B:
		change_state(hw, i, offer ? HW_PILOT_B2 : HW_PILOT_B1, now);
		break;
	case HW_EV_CP_C:
		if (offer && s->diode_checked && !s->diode_ok) {
			/* IEC 61851-1: the negative half must be seen before
			 * the contactor closes. */
			set_fault(hw, i, HW_FAULT_DIODE, now);
			change_state(hw, i, HW_PILOT_F, now);
			break;
		}
		change_state(hw, i, offer ? HW_PILOT_C2 : HW_PILOT_C1, now);
		break;
	case HW_EV_CP_D:
		if (!s->cfg.ventilation) {
			/* No ventilation here: never energise in D. */
			if (s->st.fault != HW_FAULT_VENTILATION)
				set_fault(hw, i, HW_FAULT_VENTILATION, now);
			change_state(hw, i, HW_PILOT_D1, now);
			break;
		}
		if (offer && s->diode_checked && !s->diode_ok) {
			set_fault(hw, i, HW_FAULT_DIODE, now);
			change_state(hw, i, HW_PILOT_F, now);
			break;
		}
		change_state(hw, i, offer ? HW_PILOT_D2 : HW_PILOT_D1, now);
		break;
	case HW_EV_CP_E:
		if (s->st.fault != HW_FAULT_EV_ERROR)
			set_fault(hw, i, HW_FAULT_EV_ERROR, now);
		change_state(hw, i, HW_PILOT_E, now);
		break;
	default:
		break;
	}
}

static enum hw_event level_event(enum hw_cp_level l)
{
	switch (l) {
	case HW_CP_12V: return HW_EV_CP_A;
	case HW_CP_9V:  return HW_EV_CP_B;
	case HW_CP_6V:  return HW_EV_CP_C;
	case HW_CP_3V:  return HW_EV_CP_D;
	default:        return HW_EV_CP_E;
	}
}

/* Reads the pilot into s->level / s->diode_ok.  Between bands (a reading
 * taken on a PWM edge) the previous level stands. */
static int read_level(hw_station *hw, int i)
{
	hw_socket *s = &hw->sock[i];
	enum hw_cp_level l = HW_CP_INVALID;
	bool diode = true;

	int r = hw->ops->read_pilot(hw->ctx, i + 1, &l, &diode);
	if (r < 0) {
		CP_ERR(TAG, "socket %d: pilot read failed: %s", i + 1, strerror(-r));
		return r;
	}
	/* The negative half exists only while the PWM runs: a reading
	 * under +12 V or -12 V DC says nothing about the diode. */
	s->diode_ok = diode;
	s->diode_checked = s->out == HW_OUT_PWM;
	if (l != HW_CP_INVALID)
		s->level = l;
	return 0;
}

/* On leaving the states a fault owns (E, D without ventilation), the fault
 * goes with them. */
static void clear_level_fault(hw_station *hw, int i, cp_mono_t now)
{
	hw_socket *s = &hw->sock[i];

	if (s->st.fault == HW_FAULT_EV_ERROR || s->st.fault == HW_FAULT_VENTILATION) {
		set_fault(hw, i, HW_FAULT_NONE, now);
		compute_offer(hw, i);
	}
}

static void mode3_handle(hw_station *hw, int i, enum hw_event ev, cp_mono_t now)
{
	hw_socket *s = &hw->sock[i];

	switch (s->st.pilot) {
	case HW_PILOT_A:
		switch (ev) {
		case HW_EV_CP_A:
		case HW_EV_OFFER:	/* no PWM without an EV */
		case HW_EV_PAUSE:
		case HW_EV_CLEAR:
			break;
		case HW_EV_CP_B:
		case HW_EV_CP_C:
		case HW_EV_CP_D:
		case HW_EV_CP_E:
			/* A socketed outlet locks the plug before anything is
			 * offered. */
			if (has_lock(hw, s)) {
				int r = write_lock(hw, i, true);
				if (r < 0 && r != -ENOTSUP) {
					set_fault(hw, i, HW_FAULT_LOCK, now);
					s->st.ev_connected = true;
					change_state(hw, i, HW_PILOT_F, now);
					break;
				}
			}
			follow_level(hw, i, ev, now);
			break;
		case HW_EV_FAULT:
			change_state(hw, i, HW_PILOT_F, now);
			break;
		default:
			break;
		}
		break;

	case HW_PILOT_B1:
	case HW_PILOT_B2:
		switch (ev) {
		case HW_EV_CP_B:
		case HW_EV_OFFER:
		case HW_EV_PAUSE:
			/* x1 <-> x2, or a new duty in x2 */
			follow_level(hw, i, HW_EV_CP_B, now);
			break;
		case HW_EV_CP_A:
		case HW_EV_CP_C:
		case HW_EV_CP_D:
		case HW_EV_CP_E:
			follow_level(hw, i, ev, now);
			break;
		case HW_EV_FAULT:
			change_state(hw, i, HW_PILOT_F, now);
			break;
		case HW_EV_CLEAR:
		default:
			break;
		}
		break;

	case HW_PILOT_C1:
	case HW_PILOT_C2:
		switch (ev) {
		case HW_EV_CP_C:
		case HW_EV_OFFER:
		case HW_EV_PAUSE:
			follow_level(hw, i, HW_EV_CP_C, now);
			break;
		case HW_EV_CP_A:	/* unplugged under load */
		case HW_EV_CP_B:	/* the EV stopped asking */
		case HW_EV_CP_D:
		case HW_EV_CP_E:
			follow_level(hw, i, ev, now);
			break;
		case HW_EV_FAULT:
			change_state(hw, i, HW_PILOT_F, now);
			break;
		case HW_EV_CLEAR:
		default:
			break;
		}
		break;

	case HW_PILOT_D1:
	case HW_PILOT_D2:
		switch (ev) {
		case HW_EV_CP_D:
		case HW_EV_OFFER:
		case HW_EV_PAUSE:
			follow_level(hw, i, HW_EV_CP_D, now);
			break;
		case HW_EV_CP_A:
		case HW_EV_CP_B:
		case HW_EV_CP_C:
		case HW_EV_CP_E:
			clear_level_fault(hw, i, now);
			follow_level(hw, i, ev, now);
			break;
		case HW_EV_FAULT:
			clear_level_fault(hw, i, now);
			change_state(hw, i, HW_PILOT_F, now);
			break;
		case HW_EV_CLEAR:
		default:
			break;
		}
		break;

	case HW_PILOT_E:
		switch (ev) {
		case HW_EV_CP_E:
		case HW_EV_OFFER:
		case HW_EV_PAUSE:
		case HW_EV_CLEAR:
			break;
		case HW_EV_CP_A:
		case HW_EV_CP_B:
		case HW_EV_CP_C:
		case HW_EV_CP_D:
			clear_level_fault(hw, i, now);
			follow_level(hw, i, ev, now);
			break;
		case HW_EV_FAULT:
			clear_level_fault(hw, i, now);
			change_state(hw, i, HW_PILOT_F, now);
			break;
		default:
			break;
		}
		break;

	case HW_PILOT_F:
		switch (ev) {
		case HW_EV_CP_A:
			/* Unplugged during the pause or fault: nothing is left
			 * to protect; a disabled socket stays F. */
			s->st.ev_connected = false;
			if (s->st.locked)
				(void)write_lock(hw, i, false);
			s->unlocked_by_request = false;
			if (s->st.fault != HW_FAULT_NONE)
				set_fault(hw, i, HW_FAULT_NONE, now);
			if (s->st.enabled)
				change_state(hw, i, HW_PILOT_A, now);
			break;
		case HW_EV_CLEAR:
			/* A meter fault never holds F: it only takes the
			 * offer away (compute_offer). */
			if ((s->st.fault != HW_FAULT_NONE && s->st.fault != HW_FAULT_METER) ||
			    !s->st.enabled)
				break;
			/* The EV cannot be seen under -12 V: drive +12 V,
			 * read the pilot again and follow it.  Never close on
			 * what it showed before F. */
			write_pilot(hw, i, HW_OUT_STANDBY, 0);
			if (read_level(hw, i) == 0 && s->level != HW_CP_NEG12V)
				follow_level(hw, i, level_event(s->level), now);
			else
				change_state(hw, i, s->st.ev_connected ? HW_PILOT_B1 : HW_PILOT_A, now);
			break;
		case HW_EV_CP_B:
		case HW_EV_CP_C:
		case HW_EV_CP_D:
		case HW_EV_CP_E:
		case HW_EV_OFFER:
		case HW_EV_PAUSE:
		case HW_EV_FAULT:
		default:
			break;
		}
		break;

	default:
		CP_ERR(TAG, "socket %d: bad pilot state %d", i + 1, (int)s->st.pilot);
		change_state(hw, i, HW_PILOT_F, now);
		break;
	}
}

/* ---- limits the hardware itself imposes ---- */

/* The daemon's offer (the control cycle's decision, smartcharging/
 * evaluate.c), held to what the wires allow whatever it asks: nothing on a
 * fault, a disabled socket or a released plug, never above the cable, 0.1 A
 * steps, nothing below 6 A (IEC 61851-1 has no duty for 1..5.9 A).  No
 * policy here: the suspend signal, profiles and budgets are the daemon's,
 * which reads hw_socket_status.suspended like any other input. */
static void compute_offer(hw_station *hw, int i)
{
	hw_socket *s = &hw->sock[i];
	int32_t ma = s->st.requested_ma;
	enum hw_binding b = HW_BIND_NONE;

	if (!s->st.enabled || s->st.fault != HW_FAULT_NONE) {
		ma = 0;
		b = HW_BIND_FAULT;
	} else if (s->unlocked_by_request) {
		ma = 0;
		b = HW_BIND_EV_STATE;
	} else if (ma > s->st.cable_ma) {
		/* no cable on a socketed outlet (cable_ma 0): no charging */
		ma = s->st.cable_ma;
		b = HW_BIND_CABLE;
	}
	if (ma > HW_MAX_OFFER_MA)
		ma = HW_MAX_OFFER_MA;
	ma -= ma % CP_CURRENT_STEP_MA;
	if (ma < CP_MIN_CHARGE_MA)
		ma = 0;
	s->eff_ma = ma;
	s->st.binding = b;
}

static void apply_offer(hw_station *hw, int i, cp_mono_t now)
{
	hw_socket *s = &hw->sock[i];

	compute_offer(hw, i);
	/* The EV's 5 s to follow a lower offer start now, not at the next
	 * poll. */
	if (s->st.contactor && pwm_state(s->st.pilot))
		hw_oc_note_offer(&s->oc, s->eff_ma, now);
	mode3_handle(hw, i, s->eff_ma > 0 ? HW_EV_OFFER : HW_EV_PAUSE, now);
	/* Within x2 a new value changes only the duty. */
	if (pwm_state(s->st.pilot)) {
		write_pilot(hw, i, HW_OUT_PWM, hw_duty_from_ma(s->eff_ma));
		s->st.offered_ma = s->eff_ma;
	}
}

static enum hw_display pick_display(const hw_station *hw, const hw_socket *s)
{
	if (!s->st.enabled)
		return HW_DISPLAY_UNAVAILABLE;
	if (s->st.fault == HW_FAULT_OVERCURRENT)
		return HW_DISPLAY_OVERCURRENT;
	if (s->st.fault != HW_FAULT_NONE)
		return HW_DISPLAY_FAULT;
	if (hw->suspended)
		return HW_DISPLAY_SUSPENDED;
	if (s->st.pilot == HW_PILOT_A)
		return HW_DISPLAY_IDLE;
	if (s->hint != HW_DISPLAY_AUTO)
		return s->hint;
	if (pwm_state(s->st.pilot) && s->st.ev_drawing)
		return HW_DISPLAY_CHARGING;
	return HW_DISPLAY_CONNECTED;
}

/* Derived status fields, the display, and the change counter. */
static void finish_status(hw_station *hw, int i, const hw_socket_status *before)
{
	hw_socket *s = &hw->sock[i];
	hw_socket_status *st = &s->st;
	int drawing = 0;

	for (int c = 0; c < HW_CONDUCTORS; c++) {
		st->current_ma[c] = s->meter.current_ma[c];
		st->voltage_mv[c] = s->meter.voltage_mv[c];
		if (s->meter.current_ma[c] >= HW_DRAW_MIN_MA)
			drawing++;
	}
	st->energy_wh = s->meter.energy_wh;
	st->ev_drawing = drawing > 0;
	if (st->contactor && drawing > s->seen_phases)
		s->seen_phases = drawing;
	st->ev_phases = s->seen_phases;
	if (st->pilot != HW_PILOT_F)
		st->ev_connected = st->pilot != HW_PILOT_A;
	st->ev_requests = st->pilot == HW_PILOT_C1 || st->pilot == HW_PILOT_C2 ||
			  st->pilot == HW_PILOT_D1 || st->pilot == HW_PILOT_D2;
	st->suspend_contact = hw->suspend_contact;
	st->suspended = hw->suspended;

	enum hw_display d = pick_display(hw, s);
	if (d != st->display) {
		st->display = d;
		CP_INFO(TAG, "socket %d: display \"%s\"", i + 1, hw_display_text(d));
		if (hw->ops->show_display)
			hw->ops->show_display(hw->ctx, i + 1, d);
	}

	st->seq = before->seq;
	if (memcmp(before, st, sizeof(*st)) != 0)
		st->seq = before->seq + 1;
}

/* ---- public API ---- */

int hw_station_init(hw_station *hw, const hw_backend_ops *ops, void *ctx, int n_sockets)
{
	if (!hw || !ops || !ops->set_pilot || !ops->read_pilot || !ops->set_contactor ||
	    n_sockets < 1 || n_sockets > CP_MAX_CONNECTORS)
		return -EINVAL;
	memset(hw, 0, sizeof(*hw));
	hw->ops = ops;
	hw->ctx = ctx;
	hw->n_sockets = n_sockets;
	for (int i = 0; i < n_sockets; i++) {
		hw_socket *s = &hw->sock[i];

		s->cfg.fixed_cable_ma = HW_DEFAULT_CABLE_MA;
		s->level = HW_CP_12V;
		s->diode_ok = true;
		s->st.pilot = HW_PILOT_A;
		s->st.enabled = true;
		s->st.vendor_error = "";
		s->st.display = HW_DISPLAY_AUTO;
		/* Force the first writes: the hardware state is unknown. */
		s->out = HW_OUT_F;
		s->duty = -1;
		s->st.contactor = true;
		write_pilot(hw, i, HW_OUT_STANDBY, 0);
		write_contactor(hw, i, false);
		s->st.contactor = false;
	}
	return 0;
}

int hw_station_configure_socket(hw_station *hw, int sock, const hw_socket_config *cfg)
{
	hw_socket *s = get_sock(hw, sock);

	if (!s || !cfg)
		return -EINVAL;
	if (cfg->fixed_cable && (cfg->fixed_cable_ma < CP_MIN_CHARGE_MA ||
				 cfg->fixed_cable_ma > HW_MAX_OFFER_MA))
		return -EINVAL;
	s->cfg = *cfg;
	return 0;
}

void hw_station_set_unlock_on_ev_disconnect(hw_station *hw, bool unlock)
{
	hw->keep_lock_on_ev_disconnect = !unlock;
}

void hw_station_set_suspend_mode(hw_station *hw, enum hw_suspend_mode mode)
{
	hw->suspend_mode = mode;
}

int hw_station_set_offer(hw_station *hw, int sock, int32_t offered_ma, cp_mono_t now)
{
	hw_socket *s = get_sock(hw, sock);

	if (!s || offered_ma < 0)
		return -EINVAL;
	hw_socket_status before = s->st;
	s->st.requested_ma = offered_ma;
	apply_offer(hw, sock - 1, now);
	finish_status(hw, sock - 1, &before);
	return 0;
}

static void read_inputs(hw_station *hw, int i)
{
	hw_socket *s = &hw->sock[i];

	(void)read_level(hw, i);

	if (s->cfg.fixed_cable) {
		s->st.cable_ma = s->cfg.fixed_cable_ma;
	} else if (hw->ops->read_proximity) {
		int32_t ohm = -1;
		if (hw->ops->read_proximity(hw->ctx, i + 1, &ohm) == 0)
			s->st.cable_ma = hw_cable_ma_from_ohm(ohm);
	} else {
		s->st.cable_ma = 0;
	}

	if (s->meter_external)
		return;
	hw_meter_reading m;
	int r = hw->ops->read_meter ? hw->ops->read_meter(hw->ctx, i + 1, &m) : -ENOTSUP;
	if (r == -ENOTSUP)
		s->meter_external = true;
	else if (r < 0)
		CP_DEBUG(TAG, "socket %d: meter read failed: %s", i + 1, strerror(-r));
	else
		s->meter = m;
}

static void run_timers(hw_station *hw, int i, cp_mono_t now)
{
	hw_socket *s = &hw->sock[i];

	/* Contactor after x2 -> x1: open once the EV stopped drawing. */
	if (s->open_pending) {
		bool idle = true;
		for (int c = 0; c < HW_CONDUCTORS; c++)
			if (s->meter.current_ma[c] >= HW_DRAW_MIN_MA)
				idle = false;
		if (idle || now.ms >= s->open_deadline.ms) {
			if (!idle)
				CP_WARN(TAG, "socket %d: EV still draws after PWM off; opening",
					i + 1);
			write_contactor(hw, i, false);
		}
	}

	if (s->st.pilot != HW_PILOT_F || s->st.fault == HW_FAULT_NONE)
		return;
	switch (s->st.fault) {
	case HW_FAULT_OVERCURRENT:
		if (now.ms < s->fault_until.ms)
			return;
		CP_INFO(TAG, "socket %d: overcurrent pause over, resuming", i + 1);
		set_fault(hw, i, HW_FAULT_NONE, now);
		break;
	case HW_FAULT_LOCK:
		if (now.ms < s->retry_at.ms)
			return;
		s->retry_at.ms = now.ms + HW_FAULT_RETRY_MS;
		if (write_lock(hw, i, true) < 0)
			return;
		set_fault(hw, i, HW_FAULT_NONE, now);
		break;
	case HW_FAULT_DIODE:
		if (now.ms < s->retry_at.ms)
			return;
		s->retry_at.ms = now.ms + HW_FAULT_RETRY_MS;
		if (!s->diode_ok)
			return;
		set_fault(hw, i, HW_FAULT_NONE, now);
		break;
	default:
		return;
	}
	compute_offer(hw, i);
	mode3_handle(hw, i, HW_EV_CLEAR, now);
}

/* The daemon's meter fault shows whenever no other fault does: after a
 * lock or diode fault clears it comes back, and it goes when the meter
 * reads again. */
_Static_assert(sizeof(((hw_socket *)0)->meter_info) == sizeof(((hw_socket_status *)0)->fault_info),
	       "the meter's info is the fault info");

static void sync_meter_fault(hw_station *hw, int i, cp_mono_t now)
{
	hw_socket *s = &hw->sock[i];

	if (s->meter_fault && s->st.fault == HW_FAULT_NONE) {
		set_fault(hw, i, HW_FAULT_METER, now);
		memcpy(s->st.fault_info, s->meter_info, sizeof(s->st.fault_info));
	} else if (!s->meter_fault && s->st.fault == HW_FAULT_METER) {
		CP_INFO(TAG, "socket %d: meter readings again", i + 1);
		set_fault(hw, i, HW_FAULT_NONE, now);
		compute_offer(hw, i);
		mode3_handle(hw, i, HW_EV_CLEAR, now);
	} else if (s->meter_fault && s->st.fault == HW_FAULT_METER &&
		   strcmp(s->st.fault_info, s->meter_info) != 0) {
		memcpy(s->st.fault_info, s->meter_info, sizeof(s->st.fault_info));
	}
}

static void run_overcurrent(hw_station *hw, int i, cp_mono_t now)
{
	hw_socket *s = &hw->sock[i];
	hw_oc_trip trip;
	bool live = s->st.contactor && pwm_state(s->st.pilot);

	if (!hw_oc_update(&s->oc, live ? s->st.offered_ma : 0, s->meter.current_ma,
			  now, &trip))
		return;
	set_fault(hw, i, HW_FAULT_OVERCURRENT, now);
	hw_oc_format_info(s->st.fault_info, sizeof(s->st.fault_info),
			  trip.allowed_ma, trip.actual_ma);
	s->st.vendor_error = "302";
	s->fault_until.ms = now.ms + HW_OC_PAUSE_MS;
	CP_WARN(TAG, "socket %d: %s (band %d); pausing %d s", i + 1, s->st.fault_info,
		trip.band, HW_OC_PAUSE_MS / 1000);
	compute_offer(hw, i);
	mode3_handle(hw, i, HW_EV_FAULT, now);
}

int hw_station_poll(hw_station *hw, cp_mono_t now)
{
	if (!hw || !hw->ops)
		return -EINVAL;
	if (hw->ops->tick)
		hw->ops->tick(hw->ctx, now);

	bool closed = false;
	if (hw->ops->read_suspend && hw->ops->read_suspend(hw->ctx, &closed) < 0)
		closed = false;
	hw->suspend_contact = closed;
	bool susp = (hw->suspend_mode == HW_SUSPEND_ON_CLOSE && closed) ||
		    (hw->suspend_mode == HW_SUSPEND_ON_OPEN && !closed);
	if (susp != hw->suspended)
		CP_INFO(TAG, "suspend signal %s", susp ? "active: pausing" : "released");
	hw->suspended = susp;

	for (int i = 0; i < hw->n_sockets; i++) {
		hw_socket *s = &hw->sock[i];
		hw_socket_status before = s->st;

		read_inputs(hw, i);
		run_timers(hw, i, now);
		sync_meter_fault(hw, i, now);
		compute_offer(hw, i);
		if (s->level != HW_CP_NEG12V && s->level != HW_CP_INVALID)
			mode3_handle(hw, i, level_event(s->level), now);
		apply_offer(hw, i, now);
		run_overcurrent(hw, i, now);
		finish_status(hw, i, &before);
	}
	return 0;
}

const hw_socket_status *hw_station_status(const hw_station *hw, int sock)
{
	if (!hw || sock < 1 || sock > hw->n_sockets)
		return NULL;
	return &hw->sock[sock - 1].st;
}

int hw_station_set_enabled(hw_station *hw, int sock, bool enabled, cp_mono_t now)
{
	hw_socket *s = get_sock(hw, sock);

	if (!s)
		return -EINVAL;
	hw_socket_status before = s->st;
	s->st.enabled = enabled;
	compute_offer(hw, sock - 1);
	mode3_handle(hw, sock - 1, enabled ? HW_EV_CLEAR : HW_EV_FAULT, now);
	finish_status(hw, sock - 1, &before);
	return 0;
}

enum hw_unlock_result hw_station_unlock(hw_station *hw, int sock, cp_mono_t now)
{
	hw_socket *s = get_sock(hw, sock);

	if (!s || !has_lock(hw, s))
		return HW_UNLOCK_NOT_SUPPORTED;
	hw_socket_status before = s->st;
	int i = sock - 1;

	/* Never release a live plug: PWM off and contactor open first. */
	if (s->st.pilot != HW_PILOT_A)
		s->unlocked_by_request = true;
	apply_offer(hw, i, now);
	write_contactor(hw, i, false);

	enum hw_unlock_result res = HW_UNLOCK_UNLOCKED;
	int r = write_lock(hw, i, false);
	if (r == -ENOTSUP)
		res = HW_UNLOCK_NOT_SUPPORTED;
	else if (r < 0)
		res = HW_UNLOCK_FAILED;
	if (res != HW_UNLOCK_UNLOCKED && s->unlocked_by_request) {
		/* Still locked: the plug stays, the daemon decides what is
		 * offered next. */
		s->unlocked_by_request = false;
		compute_offer(hw, i);
	}
	CP_INFO(TAG, "socket %d: unlock %s", sock,
		res == HW_UNLOCK_UNLOCKED ? "done" : res == HW_UNLOCK_FAILED ?
		"failed" : "not supported");
	finish_status(hw, i, &before);
	return res;
}

int hw_station_set_display_hint(hw_station *hw, int sock, enum hw_display hint)
{
	hw_socket *s = get_sock(hw, sock);

	if (!s || (unsigned)hint >= HW_DISPLAY_COUNT)
		return -EINVAL;
	hw_socket_status before = s->st;
	s->hint = hint;
	finish_status(hw, sock - 1, &before);
	return 0;
}

int hw_station_set_meter(hw_station *hw, int sock, const hw_meter_reading *m)
{
	hw_socket *s = get_sock(hw, sock);

	if (!s || !m)
		return -EINVAL;
	s->meter = *m;
	return 0;
}

int hw_station_set_meter_fault(hw_station *hw, int sock, const char *info, cp_mono_t now)
{
	hw_socket *s = get_sock(hw, sock);

	if (!s)
		return -EINVAL;
	hw_socket_status before = s->st;
	s->meter_fault = info && info[0];
	snprintf(s->meter_info, sizeof(s->meter_info), "%s", s->meter_fault ? info : "");
	sync_meter_fault(hw, sock - 1, now);
	/* The offer goes (or comes back) now, not at the next poll. */
	apply_offer(hw, sock - 1, now);
	finish_status(hw, sock - 1, &before);
	return 0;
}
