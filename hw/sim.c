/*
 * sim.c - the simulator backend: EVs that obey the pilot (hw_sim.h says
 * how), with the cable, lock, contactor, meter and suspend contact a real
 * station has.  Physics advance only in tick(), from the time passed in.
 */
#include "hw/hw_sim.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cp_log.h"

#define TAG "hw-sim"

static const char *const fault_names[HW_SIM_FAULT_COUNT] = {
	[HW_SIM_FAULT_DIODE] = "diode",
	[HW_SIM_FAULT_LOCK] = "lock",
	[HW_SIM_FAULT_EV_ERROR] = "ev_error",
	[HW_SIM_FAULT_VENTILATION] = "ventilation",
};

/* Proximity resistor of each cable rating (IEC 61851-1 B.2). */
static const struct {
	int32_t a;
	int32_t ohm;
} cables[] = {
	{ .a = 0, .ohm = -1 },
	{ .a = 13, .ohm = 1500 },
	{ .a = 20, .ohm = 680 },
	{ .a = 32, .ohm = 220 },
	{ .a = 63, .ohm = 100 },
};

__attribute__((format(printf, 3, 4)))
static int fail(hw_sim *sim, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sim->err, sizeof(sim->err), fmt, ap);
	va_end(ap);
	return err;
}

static hw_sim_socket *get(hw_sim *sim, int sock)
{
	if (!sim || sock < 1 || sock > sim->n_sockets) {
		if (sim)
			fail(sim, -ENODEV, "no connector %d", sock);
		return NULL;
	}
	sim->err[0] = '\0';
	return &sim->sock[sock - 1];
}

int hw_sim_fault_parse(const char *name)
{
	for (int i = 0; name && i < HW_SIM_FAULT_COUNT; i++)
		if (strcmp(name, fault_names[i]) == 0)
			return i;
	return -EINVAL;
}

int hw_sim_init(hw_sim *sim, int n_sockets)
{
	if (!sim || n_sockets < 1 || n_sockets > CP_MAX_CONNECTORS)
		return -EINVAL;
	memset(sim, 0, sizeof(*sim));
	sim->n_sockets = n_sockets;
	for (int i = 0; i < n_sockets; i++)
		sim->sock[i].cable_a = 32;
	return 0;
}

static int check_range(hw_sim *sim, const char *what, int32_t v, int32_t lo, int32_t hi)
{
	if (v < lo || v > hi)
		return fail(sim, -EINVAL, "%s %d out of range %d..%d", what, (int)v,
			    (int)lo, (int)hi);
	return 0;
}

int hw_sim_plug(hw_sim *sim, int sock, int phases, int32_t min_ma, int32_t max_ma)
{
	hw_sim_socket *s = get(sim, sock);
	int r;

	if (!s)
		return -ENODEV;
	if (s->ev.plugged)
		return fail(sim, -EBUSY, "connector %d already has an EV", sock);
	if ((r = check_range(sim, "phases", phases, 1, 3)) < 0 ||
	    (r = check_range(sim, "min_current (mA)", min_ma, CP_MIN_CHARGE_MA, HW_MAX_OFFER_MA)) < 0 ||
	    (r = check_range(sim, "max_current (mA)", max_ma, CP_MIN_CHARGE_MA, HW_MAX_OFFER_MA)) < 0)
		return r;
	if (min_ma > max_ma)
		return fail(sim, -EINVAL, "min_current above max_current");
	memset(&s->ev, 0, sizeof(s->ev));
	s->ev.plugged = true;
	s->ev.phases = phases;
	s->ev.min_ma = min_ma;
	s->ev.max_ma = max_ma;
	s->ev.draw_permille = 1000;
	CP_INFO(TAG, "connector %d: EV plugged (%d phases, %d-%d mA)", sock, phases,
		(int)min_ma, (int)max_ma);
	return 0;
}

int hw_sim_unplug(hw_sim *sim, int sock)
{
	hw_sim_socket *s = get(sim, sock);

	if (!s)
		return -ENODEV;
	if (!s->ev.plugged)
		return fail(sim, -ENOTCONN, "connector %d has no EV", sock);
	memset(&s->ev, 0, sizeof(s->ev));
	CP_INFO(TAG, "connector %d: EV unplugged", sock);
	return 0;
}

int hw_sim_ev_set(hw_sim *sim, int sock, enum hw_sim_ev_param p, int32_t value)
{
	hw_sim_socket *s = get(sim, sock);
	int r;

	if (!s)
		return -ENODEV;
	if (!s->ev.plugged)
		return fail(sim, -ENOTCONN, "connector %d has no EV", sock);
	switch (p) {
	case HW_SIM_EV_MAX_MA:
		if ((r = check_range(sim, "max_current (mA)", value, s->ev.min_ma, HW_MAX_OFFER_MA)) < 0)
			return r;
		s->ev.max_ma = value;
		break;
	case HW_SIM_EV_MIN_MA:
		if ((r = check_range(sim, "min_current (mA)", value, CP_MIN_CHARGE_MA, s->ev.max_ma)) < 0)
			return r;
		s->ev.min_ma = value;
		break;
	case HW_SIM_EV_PHASES:
		if ((r = check_range(sim, "phases", value, 1, 3)) < 0)
			return r;
		s->ev.phases = (int)value;
		break;
	case HW_SIM_EV_DRAW_PERMILLE:
		if ((r = check_range(sim, "draw_factor (permille)", value, 0, 3000)) < 0)
			return r;
		s->ev.draw_permille = value;
		break;
	case HW_SIM_EV_FULL:
		if ((r = check_range(sim, "full", value, 0, 1)) < 0)
			return r;
		s->ev.full = value != 0;
		break;
	default:
		return fail(sim, -EINVAL, "unknown EV parameter %d", (int)p);
	}
	return 0;
}

int hw_sim_set_energy(hw_sim *sim, int sock, int64_t wh)
{
	hw_sim_socket *s = get(sim, sock);

	if (!s)
		return -ENODEV;
	if (wh < 0)
		return fail(sim, -EINVAL, "energy register must not be negative");
	s->energy_uj = wh * 3600000000LL;
	return 0;
}

int hw_sim_cable(hw_sim *sim, int sock, int32_t rating_a)
{
	hw_sim_socket *s = get(sim, sock);

	if (!s)
		return -ENODEV;
	for (unsigned i = 0; i < sizeof(cables) / sizeof(cables[0]); i++) {
		if (cables[i].a == rating_a) {
			s->cable_a = rating_a;
			return 0;
		}
	}
	return fail(sim, -EINVAL, "cable rating %d: must be 0, 13, 20, 32 or 63", (int)rating_a);
}

int hw_sim_fault(hw_sim *sim, int sock, enum hw_sim_fault type, bool active)
{
	hw_sim_socket *s = get(sim, sock);

	if (!s)
		return -ENODEV;
	if ((unsigned)type >= HW_SIM_FAULT_COUNT)
		return fail(sim, -EINVAL, "unknown fault type %d", (int)type);
	s->fault[type] = active;
	CP_INFO(TAG, "connector %d: fault %s %s", sock, fault_names[type],
		active ? "on" : "off");
	return 0;
}

void hw_sim_suspend_contact(hw_sim *sim, bool closed)
{
	sim->suspend_closed = closed;
}

const hw_sim_ev *hw_sim_ev_get(const hw_sim *sim, int sock)
{
	if (!sim || sock < 1 || sock > sim->n_sockets)
		return NULL;
	return &sim->sock[sock - 1].ev;
}

const char *hw_sim_last_error(const hw_sim *sim)
{
	return sim ? sim->err : "";
}

/* ---- physics ---- */

static int32_t ramp(int32_t cur, int32_t target, int64_t dt_ms)
{
	int64_t step = (int64_t)HW_SIM_RAMP_MA_PER_S * dt_ms / 1000;

	if (target > cur)
		return (int32_t)(target - cur <= step ? target : cur + step);
	return (int32_t)(cur - target <= step ? target : cur - step);
}

static void ev_step(hw_sim_socket *s, int64_t dt_ms)
{
	hw_sim_ev *ev = &s->ev;
	int32_t offer = s->out == HW_OUT_PWM ? hw_ma_from_duty(s->duty) : 0;

	if (!ev->plugged) {
		memset(ev->current_ma, 0, sizeof(ev->current_ma));
		return;
	}
	/* It asks as soon as the PWM offers anything (even below its
	 * minimum: then it waits in C drawing nothing). */
	bool wants = offer > 0 && !ev->full && !s->fault[HW_SIM_FAULT_EV_ERROR];
	int32_t target = 0;
	if (ev->requesting && wants && s->contactor && offer >= ev->min_ma) {
		int32_t base = offer < ev->max_ma ? offer : ev->max_ma;
		target = (int32_t)((int64_t)base * ev->draw_permille / 1000);
	}

	int64_t sum_avg = 0;
	bool idle = true;
	for (int c = 0; c < HW_CONDUCTORS; c++) {
		int32_t old = ev->current_ma[c];
		int32_t now = 0;
		if (s->contactor && c < ev->phases)
			now = ramp(old, target, dt_ms);
		ev->current_ma[c] = now;
		if (now > 0)
			idle = false;
		/* Trapezoid; with the contactor open nothing flowed. */
		if (s->contactor)
			sum_avg += (old + now) / 2;
	}
	/* mA x V = mW; mW x ms = uJ */
	s->energy_uj += sum_avg * (HW_SIM_VOLTAGE_MV / 1000) * dt_ms;

	if (wants)
		ev->requesting = true;
	else if (idle)
		ev->requesting = false;	/* ramped down, then back to B */
}

static void sim_tick(void *ctx, cp_mono_t now)
{
	hw_sim *sim = ctx;
	int64_t dt = 0;

	if (sim->started)
		dt = now.ms - sim->last.ms;
	if (dt < 0)
		dt = 0;
	sim->started = true;
	sim->last = now;
	for (int i = 0; i < sim->n_sockets; i++)
		ev_step(&sim->sock[i], dt);
}

static int sim_set_pilot(void *ctx, int sock, enum hw_pilot_out out, int duty)
{
	hw_sim_socket *s = get(ctx, sock);

	if (!s)
		return -ENODEV;
	s->out = out;
	s->duty = duty;
	return 0;
}

static int sim_read_pilot(void *ctx, int sock, enum hw_cp_level *level, bool *diode_ok)
{
	hw_sim_socket *s = get(ctx, sock);

	if (!s)
		return -ENODEV;
	/* The simulator tells the EV's resistor state even under -12 V. */
	if (!s->ev.plugged)
		*level = HW_CP_12V;
	else if (s->fault[HW_SIM_FAULT_EV_ERROR])
		*level = HW_CP_0V;
	else if (s->ev.requesting)
		*level = s->fault[HW_SIM_FAULT_VENTILATION] ? HW_CP_3V : HW_CP_6V;
	else
		*level = HW_CP_9V;
	*diode_ok = !s->fault[HW_SIM_FAULT_DIODE];
	return 0;
}

static int sim_read_proximity(void *ctx, int sock, int32_t *ohm)
{
	hw_sim_socket *s = get(ctx, sock);

	if (!s)
		return -ENODEV;
	*ohm = -1;
	for (unsigned i = 0; i < sizeof(cables) / sizeof(cables[0]); i++)
		if (cables[i].a == s->cable_a)
			*ohm = cables[i].ohm;
	return 0;
}

static int sim_set_contactor(void *ctx, int sock, bool closed)
{
	hw_sim_socket *s = get(ctx, sock);

	if (!s)
		return -ENODEV;
	s->contactor = closed;
	if (!closed)
		memset(s->ev.current_ma, 0, sizeof(s->ev.current_ma));
	return 0;
}

static int sim_set_lock(void *ctx, int sock, bool locked)
{
	hw_sim_socket *s = get(ctx, sock);

	if (!s)
		return -ENODEV;
	if (s->fault[HW_SIM_FAULT_LOCK])
		return -EIO;
	s->locked = locked;
	return 0;
}

static int sim_read_meter(void *ctx, int sock, hw_meter_reading *m)
{
	hw_sim_socket *s = get(ctx, sock);

	if (!s)
		return -ENODEV;
	for (int c = 0; c < HW_CONDUCTORS; c++) {
		m->current_ma[c] = s->contactor ? s->ev.current_ma[c] : 0;
		m->voltage_mv[c] = HW_SIM_VOLTAGE_MV;
	}
	m->energy_wh = s->energy_uj / 3600000000LL;
	return 0;
}

static int sim_read_suspend(void *ctx, bool *closed)
{
	hw_sim *sim = ctx;

	*closed = sim->suspend_closed;
	return 0;
}

static void sim_show_display(void *ctx, int sock, enum hw_display d)
{
	hw_sim_socket *s = get(ctx, sock);

	if (s)
		s->display = d;
}

const hw_backend_ops hw_sim_ops = {
	.name = "sim",
	.tick = sim_tick,
	.set_pilot = sim_set_pilot,
	.read_pilot = sim_read_pilot,
	.read_proximity = sim_read_proximity,
	.set_contactor = sim_set_contactor,
	.set_lock = sim_set_lock,
	.read_meter = sim_read_meter,
	.read_suspend = sim_read_suspend,
	.show_display = sim_show_display,
};
