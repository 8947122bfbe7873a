# Tools built from the configuration registry.
#   tools/cp-license  issues feature license keys (vendor side; tests, integrators)
#   tools/cfg-doc     writes the README's key reference from the key table
noinst_PROGRAMS += tools/cp-license tools/cfg-doc
tools_cp_license_SOURCES = tools/cp-license.c
tools_cp_license_CFLAGS = $(AM_CFLAGS) $(OPENSSL_CFLAGS)
tools_cp_license_LDADD = libconfig.a libmb.a libcommon.a $(OPENSSL_LIBS)
tools_cfg_doc_SOURCES = tools/cfg-doc.c
tools_cfg_doc_LDADD = libconfig.a libmb.a libcommon.a $(OPENSSL_LIBS)

# Regenerate the key reference after editing station/config/config_table.c.
readme-config: tools/cfg-doc
	./tools/cfg-doc --update $(top_srcdir)/README.md
.PHONY: readme-config
