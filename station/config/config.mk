# Configuration registry and feature licensing.  The daemon links
# libconfig.a and adds $(OPENSSL_LIBS) for the license signatures.
noinst_LIBRARIES += libconfig.a
libconfig_a_SOURCES = station/config/config.c station/config/config.h station/config/config_int.h \
	station/config/config_value.c station/config/config_provision.c station/config/config_table.c \
	station/config/config_check.c station/config/config_check.h station/config/config_doc.c \
	station/config/license.c station/config/license.h \
	station/config/secret.c station/config/secret.h \
	station/security/profile.c station/security/profile.h
libconfig_a_CFLAGS = $(AM_CFLAGS) $(OPENSSL_CFLAGS)

check_PROGRAMS += tests/test_config
TESTS += tests/test_config
tests_test_config_SOURCES = tests/test_config.c tests/config_fake.h tests/config_fixture.h
tests_test_config_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_config_LDADD = libconfig.a libmb.a libcommon.a $(CMOCKA_LIBS) $(OPENSSL_LIBS)

# Key rules, honest keys, operator input: the same fixture.
check_PROGRAMS += tests/test_config_rules
TESTS += tests/test_config_rules
tests_test_config_rules_SOURCES = tests/test_config_rules.c tests/config_fake.h tests/config_fixture.h
tests_test_config_rules_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_config_rules_LDADD = libconfig.a libmb.a libcommon.a $(CMOCKA_LIBS) $(OPENSSL_LIBS)

check_PROGRAMS += tests/test_license
TESTS += tests/test_license
tests_test_license_SOURCES = tests/test_license.c tests/config_fake.h
tests_test_license_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_license_LDADD = libconfig.a libmb.a libcommon.a $(CMOCKA_LIBS) $(OPENSSL_LIBS)

check_PROGRAMS += tests/test_config_provision
TESTS += tests/test_config_provision
tests_test_config_provision_SOURCES = tests/test_config_provision.c tests/config_fake.h
tests_test_config_provision_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_config_provision_LDADD = libconfig.a libmb.a libcommon.a $(CMOCKA_LIBS) $(OPENSSL_LIBS)

# The README's key reference must match the table (tools/cfg-doc writes it).
check_PROGRAMS += tests/test_config_readme
TESTS += tests/test_config_readme
tests_test_config_readme_SOURCES = tests/test_config_readme.c
tests_test_config_readme_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) -DREADME_PATH='"$(abs_top_srcdir)/README.md"'
tests_test_config_readme_LDADD = libconfig.a libmb.a libcommon.a $(CMOCKA_LIBS) $(OPENSSL_LIBS)
EXTRA_DIST += README.md

EXTRA_PROGRAMS += bench/bench_config
BENCH_PROGS += bench/bench_config
bench_bench_config_SOURCES = bench/bench_config.c
bench_bench_config_LDADD = libconfig.a libmb.a libcommon.a $(OPENSSL_LIBS)
