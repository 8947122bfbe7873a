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
	conformance/lib \
	conformance/selftest \
	tools/demo.sh

# Cases that need the kill points of --enable-test-hooks skip without them.
if TEST_HOOKS
CONF_TEST_HOOKS = 1
else
CONF_TEST_HOOKS = 0
endif

conformance: ocpp-cp tools/cp-license
	@test -n "$(NODE)" || { echo "conformance: node not found (apt-get install nodejs)"; exit 1; }
	OCPP_CP=$(abs_top_builddir)/ocpp-cp OCPP_CP_TEST_HOOKS=$(CONF_TEST_HOOKS) NODE_PATH=$(abs_top_srcdir)/node_modules \
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
