# Local authorization list and reservations (issue 7)
libstation_a_SOURCES += \
	station/authresv.h \
	station/resv_core.c \
	station/localauth.c \
	station/reservation.c
