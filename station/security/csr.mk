# Security (OCPP 1.6 Security Whitepaper edition 3): the key pair, CSR and
# private key file (csr.c, OpenSSL 3) and the SecurityProfile rules and
# fall-back (profile.c, pure).
noinst_LIBRARIES += libsecurity_csr.a
libsecurity_csr_a_SOURCES = \
	station/security/csr.c station/security/csr.h
libsecurity_csr_a_CFLAGS = $(AM_CFLAGS) $(OPENSSL_CFLAGS)

check_PROGRAMS += tests/test_csr
TESTS += tests/test_csr
tests_test_csr_SOURCES = tests/test_csr.c
tests_test_csr_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(OPENSSL_CFLAGS)
tests_test_csr_LDADD = libsecurity_csr.a $(CMOCKA_LIBS) $(OPENSSL_LIBS)

# The profile rules are pure: tested alone, without OpenSSL.
check_PROGRAMS += tests/test_security_profile
TESTS += tests/test_security_profile
tests_test_security_profile_SOURCES = tests/test_security_profile.c \
	station/security/profile.c station/security/profile.h
tests_test_security_profile_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_security_profile_LDADD = $(CMOCKA_LIBS)
