#!/usr/bin/env bash
# Installs what microqemu needs to build and test on Debian 12: the
# toolchain (gcc-multilib for the 32-bit probe guests), GLib, libfdt,
# libslirp (-netdev user), and
# Debian's QEMU 7.2 (its firmware, and the reference for differential tests),
# acpica-tools (iasl -d checks the ACPI tables);
# for the real-Linux suite (tests/linux): e2fsprogs (mke2fs -d, debugfs),
# iproute2 (L1's tap), and what builds a kernel from linux-source.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
    build-essential gcc-multilib meson ninja-build pkg-config python3 \
    libglib2.0-dev libfdt-dev libslirp-dev \
    clang libclang-rt-14-dev \
    qemu-system-x86 seabios acpica-tools \
    e2fsprogs iproute2 flex bison bc libelf-dev \
    >/dev/null
