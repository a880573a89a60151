# Convenience targets over meson (run ./configure first).
-include config.mak
BUILDDIR ?= build

all:
	ninja -C $(BUILDDIR)

check: all
	meson test -C $(BUILDDIR) --print-errorlogs

install: all
	meson install -C $(BUILDDIR)

clean:
	ninja -C $(BUILDDIR) clean

.PHONY: all check install clean
