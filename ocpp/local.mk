# ocpp/: the transport-agnostic OCPP-J RPC library (frames, generated schema
# tables, validator, session, time helpers).  ocpp/ws.mk adds the websocket
# client as its own library.
noinst_LIBRARIES += libocpp.a
libocpp_a_SOURCES = ocpp/ocpp.h ocpp/error.c ocpp/frame.c ocpp/rpc.c ocpp/time.c \
	ocpp/validate.c ocpp/schemas_gen.c ocpp/schemas_gen.h
EXTRA_DIST += ocpp/gen/gen_schemas.js tests/check_schemas_gen.sh tests/check_ocpp_ajv.sh \
	tests/ocpp_ajv_parity.js

OCPP_TEST_LIBS = libocpp.a libcommon.a $(CMOCKA_LIBS) $(CJSON_LIBS) -lm
OCPP_TEST_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)

check_PROGRAMS += tests/test_ocpp_frame tests/test_ocpp_validate tests/test_ocpp_time \
	tests/test_ocpp_rpc tests/test_ocpp_admission tests/test_ocpp_rpc_text tests/ocpp_validate_cli
TESTS += tests/test_ocpp_frame tests/test_ocpp_validate tests/test_ocpp_time \
	tests/test_ocpp_rpc tests/test_ocpp_admission tests/test_ocpp_rpc_text \
	tests/check_schemas_gen.sh tests/check_ocpp_ajv.sh

tests_test_ocpp_frame_SOURCES = tests/test_ocpp_frame.c
tests_test_ocpp_frame_CFLAGS = $(OCPP_TEST_CFLAGS)
tests_test_ocpp_frame_LDADD = $(OCPP_TEST_LIBS)
tests_test_ocpp_validate_SOURCES = tests/test_ocpp_validate.c
tests_test_ocpp_validate_CFLAGS = $(OCPP_TEST_CFLAGS)
tests_test_ocpp_validate_LDADD = $(OCPP_TEST_LIBS)
tests_test_ocpp_time_SOURCES = tests/test_ocpp_time.c
tests_test_ocpp_time_CFLAGS = $(OCPP_TEST_CFLAGS)
tests_test_ocpp_time_LDADD = $(OCPP_TEST_LIBS)
RPC_FIXTURE = tests/rpc_fixture.c tests/rpc_fixture.h
tests_test_ocpp_rpc_SOURCES = tests/test_ocpp_rpc.c $(RPC_FIXTURE)
tests_test_ocpp_rpc_CFLAGS = $(OCPP_TEST_CFLAGS)
tests_test_ocpp_rpc_LDADD = $(OCPP_TEST_LIBS)
tests_test_ocpp_admission_SOURCES = tests/test_ocpp_admission.c $(RPC_FIXTURE)
tests_test_ocpp_admission_CFLAGS = $(OCPP_TEST_CFLAGS)
tests_test_ocpp_admission_LDADD = $(OCPP_TEST_LIBS)
tests_test_ocpp_rpc_text_SOURCES = tests/test_ocpp_rpc_text.c $(RPC_FIXTURE)
tests_test_ocpp_rpc_text_CFLAGS = $(OCPP_TEST_CFLAGS)
tests_test_ocpp_rpc_text_LDADD = $(OCPP_TEST_LIBS)
# Not a test itself: the C side of tests/check_ocpp_ajv.sh.
tests_ocpp_validate_cli_SOURCES = tests/ocpp_validate_cli.c
tests_ocpp_validate_cli_LDADD = libocpp.a libcommon.a $(CJSON_LIBS) -lm
