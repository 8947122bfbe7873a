# Smart charging engine (pure): profiles, composite schedules, limit stack.
# smartcharging/alloc.mk (included after this) appends the allocator.
noinst_LIBRARIES += libsmartcharging.a
libsmartcharging_a_SOURCES = \
	smartcharging/sc.h \
	smartcharging/profile.c \
	smartcharging/composite.c \
	smartcharging/limits.c \
	smartcharging/sc_json.h \
	smartcharging/sc_json.c
