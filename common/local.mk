noinst_LIBRARIES += libcommon.a
libcommon_a_SOURCES = common/log.c include/cp_log.h
