# Convenience targets over meson (run ./configure first).
-include config.mak
BUILDDIR ?= build

all:
	ninja -C $(BUILDDIR)

check: all
	meson test -C $(BUILDDIR) --print-errorlogs

# Only the real-Linux suite (tests/linux/README.md): minutes, not seconds.
check-linux: all
	meson test -C $(BUILDDIR) --print-errorlogs --suite linux

install: all
	meson install -C $(BUILDDIR)

clean:
	ninja -C $(BUILDDIR) clean

.PHONY: all check check-linux install clean
