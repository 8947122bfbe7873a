# fragment: see Makefile.am
# Black-box conformance suite (Node.js, ocpp-rpc strict central system).
#   make conformance                 every case
#   make conformance CASES=tc_001    one case (or a name prefix; several separated by spaces)
# node_modules live in the source tree; NODE_PATH makes require('ocpp-rpc')
# resolve from there in out-of-tree builds too.
# The case and helper directories are distributed whole (automake copies a
# directory in EXTRA_DIST recursively), so adding a case needs no edit here.
EXTRA_DIST += \
	conformance/README.md \
	conformance/run.js \
	conformance/demo-csms.js \
	conformance/demo-view.js \
	conformance/cases \
	conformance/cases/cfg_live_apply.js \
	conformance/cases/sc_cpmax_station_budget.js \
	conformance/cases/sc_power_units.js \
	conformance/cases/sc_profiles_sigkill.js \
	conformance/cases/sc_recurring.js \
	conformance/cases/sc_refusals_limits.js \
	conformance/cases/sc_valid_window.js \
	conformance/cases/tc_056_tx_default_profile.js \
	conformance/cases/tc_057_tx_profile.js \
	conformance/cases/tc_058_1_tx_profile_no_transaction.js \
	conformance/cases/tc_058_2_tx_profile_wrong_transaction.js \
	conformance/cases/tc_059_remote_start_tx_profile.js \
	conformance/cases/tc_060_remote_start_profile_rejected.js \
	conformance/cases/tc_066_composite_three_purposes.js \
	conformance/cases/tc_067_clear_charging_profile.js \
	conformance/cases/tc_072_stacking_profiles.js \
	conformance/cases/tc_082_tx_default_during_transaction.js \
	conformance/lib \
	conformance/selftest \
	tools/demo.sh

conformance: ocpp-cp
	@test -n "$(NODE)" || { echo "conformance: node not found (apt-get install nodejs)"; exit 1; }
	OCPP_CP=$(abs_top_builddir)/ocpp-cp NODE_PATH=$(abs_top_srcdir)/node_modules \
	  $(NODE) $(abs_top_srcdir)/conformance/run.js $(CASES)

# The harness against a fake charge point written in Node: checks the suite's
# own plumbing without the daemon.
conformance-selftest:
	OCPP_CP=$(abs_top_srcdir)/conformance/selftest/fake-cp.js NODE_PATH=$(abs_top_srcdir)/node_modules \
	  $(NODE) $(abs_top_srcdir)/conformance/run.js $(CASES)

# README command 1 without the installs: the demo central system, the daemon, one EV charging.
demo: ocpp-cp
	OCPP_CP=$(abs_top_builddir)/ocpp-cp $(abs_top_srcdir)/tools/demo.sh

.PHONY: conformance conformance-selftest demo
