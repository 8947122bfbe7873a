# fragment: see Makefile.am
# station/security: the certificate checks of the OCPP 1.6 Security
# Whitepaper (hash data, InstallCertificate, CertificateSigned, signed
# firmware).  libsecurity.a needs only OpenSSL, so its test links it alone,
# without the daemon.
noinst_LIBRARIES += libsecurity.a
libsecurity_a_SOURCES = station/security/cert.h station/security/cert.c
libsecurity_a_CFLAGS = $(AM_CFLAGS) $(OPENSSL_CFLAGS)

check_PROGRAMS += tests/test_cert
TESTS += tests/test_cert
tests_test_cert_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(OPENSSL_CFLAGS)
tests_test_cert_LDADD = libsecurity.a $(OPENSSL_LIBS) $(CMOCKA_LIBS)

EXTRA_PROGRAMS += bench/bench_cert
BENCH_PROGS += bench/bench_cert
bench_bench_cert_CFLAGS = $(AM_CFLAGS) $(OPENSSL_CFLAGS)
bench_bench_cert_LDADD = libsecurity.a $(OPENSSL_LIBS)
