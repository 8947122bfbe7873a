# storage/: the SQLite store (the only code that speaks SQL).
noinst_LIBRARIES += libstorage.a
libstorage_a_SOURCES = storage/store.c storage/store.h
libstorage_a_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS)
