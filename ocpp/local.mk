# ocpp/: the transport-agnostic OCPP-J RPC library (frames, generated schema
# tables, validator, session, time helpers).  ocpp/ws.mk adds the websocket
# client as its own library.
noinst_LIBRARIES += libocpp.a
libocpp_a_SOURCES = ocpp/ocpp.h ocpp/error.c ocpp/frame.c ocpp/rpc.c ocpp/time.c \
	ocpp/validate.c ocpp/schemas_gen.c ocpp/schemas_gen.h
EXTRA_DIST += ocpp/gen/gen_schemas.js
