# fragment: see Makefile.am
# The installer page (docs/http.md): static files, no build step.  The daemon
# serves them from --http-root, by default this installed copy.
webdir = $(pkgdatadir)/web
dist_web_DATA = \
	web/index.html \
	web/app.js \
	web/style.css
