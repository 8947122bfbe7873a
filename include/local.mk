EXTRA_DIST += include/cp_limits.h include/cp_time.h
EXTRA_DIST += include/cp_json.h
