noinst_LIBRARIES += libcommon.a
libcommon_a_SOURCES = common/log.c include/cp_log.h common/testhook.c include/cp_testhook.h
