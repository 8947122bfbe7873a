# fragment: see Makefile.am
# Black-box conformance suite (Node.js, ocpp-rpc strict central system).
#   make conformance                 every case
#   make conformance CASES=tc_001    one case (or a name prefix; several separated by spaces)
# node_modules live in the source tree; NODE_PATH makes require('ocpp-rpc')
# resolve from there in out-of-tree builds too.
EXTRA_DIST += \
	conformance/README.md \
	conformance/cases/boot_accepted.js \
	conformance/cases/cfg_aliases.js \
	conformance/cases/cfg_getconfig_all.js \
	conformance/cases/cfg_license_unlock.js \
	conformance/cases/cfg_persist_sigkill.js \
	conformance/cases/cfg_reboot_required.js \
	conformance/cases/cfg_unknown_and_invalid.js \
	conformance/cases/cfg_write_only_keys.js \
	conformance/cases/cli_bad_arguments.js \
	conformance/cases/configuration_readonly.js \
	conformance/cases/control_socket_errors.js \
	conformance/cases/control_status.js \
	conformance/cases/heartbeat_interval_change.js \
	conformance/cases/lb_14a_6a_budget_22.js \
	conformance/cases/lb_alternating_14a_first.js \
	conformance/cases/lb_alternating_6a_first.js \
	conformance/cases/lb_slb_two_3ph.js \
	conformance/cases/malformed_frames.js \
	conformance/cases/mode3_overcurrent_resume.js \
	conformance/cases/mode3_overcurrent_trip.js \
	conformance/cases/mode3_suspend_signal.js \
	conformance/cases/offline_queue_sigkill.js \
	conformance/cases/payload_validation.js \
	conformance/cases/phase_mapping_1ph.js \
	conformance/cases/sc_chargepointmax_caps.js \
	conformance/cases/sc_composite_schedule.js \
	conformance/cases/sc_profile_survives_restart.js \
	conformance/cases/sc_schedule_period_change.js \
	conformance/cases/sc_stack_levels_and_clear.js \
	conformance/cases/sc_txdefault_profile.js \
	conformance/cases/sc_txprofile_during_transaction.js \
	conformance/cases/slb_two_evs.js \
	conformance/cases/tc_001_cold_boot.js \
	conformance/cases/tc_002_boot_pending.js \
	conformance/cases/tc_003_plugin_first.js \
	conformance/cases/tc_004_1_identification_first.js \
	conformance/cases/tc_008_local_list_id.js \
	conformance/cases/tc_010_remote_start_cable_first.js \
	conformance/cases/tc_011_1_remote_start_remote_first.js \
	conformance/cases/tc_011_2_remote_start_timeout.js \
	conformance/cases/tc_012_remote_stop.js \
	conformance/cases/tc_013_hard_reset_idle.js \
	conformance/cases/tc_014_soft_reset_idle.js \
	conformance/cases/tc_015_hard_reset_charging.js \
	conformance/cases/tc_016_soft_reset_charging.js \
	conformance/cases/tc_017_1_unlock_idle.js \
	conformance/cases/tc_018_1_unlock_in_session.js \
	conformance/cases/tc_019_get_configuration.js \
	conformance/cases/tc_021_change_configuration.js \
	conformance/cases/tc_023_authorize_invalid.js \
	conformance/cases/tc_032_1_power_loss_stop.js \
	conformance/cases/tc_034_unavailable_survives_restart.js \
	conformance/cases/tc_036_connection_loss_during_transaction.js \
	conformance/cases/tc_037_3_offline_start_invalid.js \
	conformance/cases/tc_040_1_unknown_key.js \
	conformance/cases/tc_040_2_invalid_value.js \
	conformance/cases/tc_042_1_local_list_version_disabled.js \
	conformance/cases/tc_042_2_local_list_version_empty.js \
	conformance/cases/tc_043_2_local_list_version_mismatch.js \
	conformance/cases/tc_043_3_local_list_failed.js \
	conformance/cases/tc_043_send_local_list.js \
	conformance/cases/tc_046_1_reserve_connector_local_start.js \
	conformance/cases/tc_046_2_reserve_connector_remote_start.js \
	conformance/cases/tc_047_reservation_expire.js \
	conformance/cases/tc_048_1_reserve_faulted.js \
	conformance/cases/tc_048_2_reserve_occupied.js \
	conformance/cases/tc_048_3_reserve_unavailable.js \
	conformance/cases/tc_049_reserve_charge_point.js \
	conformance/cases/tc_051_cancel_reservation.js \
	conformance/cases/tc_052_cancel_reservation_rejected.js \
	conformance/cases/tc_053_reserved_parent_id_tag.js \
	conformance/cases/tc_054_trigger_message.js \
	conformance/cases/tc_055_trigger_message_rejected.js \
	conformance/cases/tc_062_data_transfer_unknown_vendor.js \
	conformance/demo-csms.js \
	conformance/demo-view.js \
	conformance/lib/assert.js \
	conformance/lib/csms.js \
	conformance/lib/daemon.js \
	conformance/lib/lb.js \
	conformance/lib/lb_alt.js \
	conformance/lib/raw.js \
	conformance/lib/reset.js \
	conformance/lib/sc.js \
	conformance/lib/sc_sched.js \
	conformance/lib/steps.js \
	conformance/lib/util.js \
	conformance/run.js \
	conformance/selftest/fake-cp.js \
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
