/*
 * duty.c - pure conversions of IEC 61851-1 and the names of hw.h's enums.
 * No state, no I/O: every function here is unit-tested at its edges.
 */
#include "hw/hw.h"

int hw_duty_from_ma(int32_t ma)
{
	/* Rounded to the nearest 0.01 %: an EV reads the duty far more
	 * coarsely than that (hw_ma_from_duty), so 16 A stays 16 A. */
	if (ma < CP_MIN_CHARGE_MA)
		return 0;
	if (ma <= 51000)
		return (int)((ma + 3) / 6);		/* I / 0.6 % */
	if (ma <= HW_MAX_OFFER_MA)
		return (int)((ma + 12) / 25 + 6400);	/* I / 2.5 + 64 % */
	return 9600;
}

static int32_t round_step(int32_t ma)
{
	return (ma + CP_CURRENT_STEP_MA / 2) / CP_CURRENT_STEP_MA * CP_CURRENT_STEP_MA;
}

int32_t hw_ma_from_duty(int duty)
{
	/* IEC 61851-1 table A.7, the EV's side. */
	if (duty < 800)
		return 0;	/* below 8 %: digital communication or no charging */
	if (duty < 1000)
		return 6000;
	if (duty <= 8500)
		return round_step(duty * 6);
	if (duty <= 9700) {
		int32_t ma = round_step((duty - 6400) * 25);
		return ma > HW_MAX_OFFER_MA ? HW_MAX_OFFER_MA : ma;
	}
	return 0;	/* above 97 %: not allowed to charge */
}

int32_t hw_cable_ma_from_ohm(int32_t ohm)
{
	/* Nominal 1.5 k / 680 / 220 / 100 Ohm; thresholds half-way on a log
	 * scale (IEC 61851-1 Annex B values), so resistor tolerance never picks a bigger
	 * cable than the one plugged. */
	if (ohm < 0 || ohm > 4500)
		return 0;
	if (ohm >= 1000)
		return 13000;
	if (ohm >= 330)
		return 20000;
	if (ohm >= 150)
		return 32000;
	return 63000;
}

enum hw_cp_level hw_cp_level_from_mv(int32_t mv)
{
	if (mv > 13500)
		return HW_CP_INVALID;
	if (mv >= 10500)
		return HW_CP_12V;
	if (mv >= 7500)
		return HW_CP_9V;
	if (mv >= 4500)
		return HW_CP_6V;
	if (mv >= 1500)
		return HW_CP_3V;
	if (mv >= -1500)
		return HW_CP_0V;
	if (mv <= -10500)
		return HW_CP_NEG12V;
	return HW_CP_INVALID;
}

static const char *const pilot_names[HW_PILOT_COUNT] = {
	[HW_PILOT_A] = "A", [HW_PILOT_B1] = "B1", [HW_PILOT_B2] = "B2",
	[HW_PILOT_C1] = "C1", [HW_PILOT_C2] = "C2", [HW_PILOT_D1] = "D1",
	[HW_PILOT_D2] = "D2", [HW_PILOT_E] = "E", [HW_PILOT_F] = "F",
};

const char *hw_pilot_name(enum hw_pilot p)
{
	return (unsigned)p < HW_PILOT_COUNT ? pilot_names[p] : "?";
}

static const char *const fault_names[HW_FAULT_COUNT] = {
	[HW_FAULT_NONE] = "none", [HW_FAULT_DIODE] = "diode",
	[HW_FAULT_LOCK] = "lock", [HW_FAULT_EV_ERROR] = "ev_error",
	[HW_FAULT_VENTILATION] = "ventilation",
	[HW_FAULT_OVERCURRENT] = "overcurrent",
	[HW_FAULT_METER] = "meter",
};

const char *hw_fault_name(enum hw_fault f)
{
	return (unsigned)f < HW_FAULT_COUNT ? fault_names[f] : "?";
}

/* docs/mode3.md.  The vendor gives texts for the overcurrent, suspend and
 * "waiting for power" cases and LED patterns for the rest; the other texts
 * are ours, in the same tone. */
static const struct {
	const char *name, *text, *led;
} displays[HW_DISPLAY_COUNT] = {
	[HW_DISPLAY_AUTO] = { "auto", "", "" },
	[HW_DISPLAY_IDLE] = { "idle", "Chargepoint available", "green steady" },
	[HW_DISPLAY_CONNECTED] = { "connected", "Vehicle connected",
				   "dark blue steady" },
	[HW_DISPLAY_CHARGING] = { "charging", "Charging", "dark blue steady" },
	[HW_DISPLAY_REDUCED] = { "reduced", "Charging at reduced power",
				 "dark blue flashing" },
	[HW_DISPLAY_WAITING_POWER] = { "waiting_power",
				       "Chargepoint ready, waiting for power",
				       "light blue flashing" },
	[HW_DISPLAY_ALTERNATING] = { "alternating",
				     "Chargepoint ready, waiting for power",
				     "light blue flashing" },
	[HW_DISPLAY_SUSPENDED] = { "suspended",
				   "Charging session halted by energy supplier",
				   "blue flashing" },
	[HW_DISPLAY_OVERCURRENT] = { "overcurrent",
		"302: One moment please. Your charging session will resume shortly.",
		"red/blue flashing" },
	[HW_DISPLAY_FAULT] = { "fault", "Error, please contact the operator",
			       "red steady" },
	[HW_DISPLAY_UNAVAILABLE] = { "unavailable", "Chargepoint not available",
				     "red steady" },
};

const char *hw_display_text(enum hw_display d)
{
	return (unsigned)d < HW_DISPLAY_COUNT ? displays[d].text : "";
}

const char *hw_display_led(enum hw_display d)
{
	return (unsigned)d < HW_DISPLAY_COUNT ? displays[d].led : "";
}

const char *hw_display_name(enum hw_display d)
{
	return (unsigned)d < HW_DISPLAY_COUNT ? displays[d].name : "?";
}

const char *hw_binding_name(enum hw_binding b)
{
	static const char *const names[] = {
		[HW_BIND_NONE] = "none", [HW_BIND_CABLE] = "cable",
		[HW_BIND_SUSPEND] = "suspend", [HW_BIND_FAULT] = "fault",
		[HW_BIND_EV_STATE] = "ev_state",
	};
	return (unsigned)b < sizeof(names) / sizeof(names[0]) ? names[b] : "?";
}
