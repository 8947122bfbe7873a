# fragment: see Makefile.am
# The manual pages, ocpp-cp(8) and ocpp-cpctl(1), are written by hand;
# tests/check_man.sh keeps them, the programs' --help and the README naming
# the same options, commands and exit codes.
dist_man_MANS = man/ocpp-cp.8 man/ocpp-cpctl.1
TESTS += tests/check_man.sh
EXTRA_DIST += tests/check_man.sh
