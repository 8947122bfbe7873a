EXTRA_DIST += include/cp_limits.h include/cp_time.h
