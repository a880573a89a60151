# Boots L1 (a Debian kernel under QEMU's TCG, which emulates AMD SVM with
# nested paging), runs VMM command lines inside it under real KVM, and
# returns each run's L2 console, stderr and exit status
# (tests/linux/README.md, /work/shared/REAL-LINUX.md).

import json
import os
import shutil
import subprocess
import tempfile
import time

import images

HERE = os.path.dirname(os.path.abspath(__file__))
L1_QEMU = '/usr/bin/qemu-system-x86_64'
L1_BOOT_TIMEOUT = 600       # L1 boot and its own end, beyond the runs'
RUN_MARGIN = 30             # per run: the VMM's start and the copy out


class RunResult:
    def __init__(self, name, job):
        d = os.path.join(job, name)
        self.name = name
        self.console = _read(os.path.join(d, 'console.txt'))
        self.stderr = _read(os.path.join(d, 'stderr.txt'))
        try:
            with open(os.path.join(d, 'result.json')) as f:
                r = json.load(f)
        except (OSError, ValueError):
            r = {}
        self.ran = bool(r)
        self.exit = r.get('exit')
        self.timed_out = r.get('timed_out', False)
        self.userspace_s = r.get('userspace_s')
        self.total_s = r.get('total_s')

    def describe(self):
        if not self.ran:
            return 'did not run (L1 ended first)'
        if self.timed_out:
            return 'timed out after %.0f s' % self.total_s
        return 'exit %s after %.1f s' % (self.exit, self.total_s)


def _read(path):
    try:
        with open(path, 'rb') as f:
            return f.read().decode('utf-8', 'replace')
    except OSError:
        return ''


def host_mhz():
    with open('/proc/cpuinfo') as f:
        for line in f:
            if line.startswith('cpu MHz'):
                return int(float(line.split(':')[1]))
    return 2000


class L1Session:
    """One L1 boot running several VMM runs, one after the other.

    add() queues a run: argv (its paths are the host's: L1 sees the host's
    tree at the same paths), a timeout in seconds, files to copy into the
    run's folder first (a disk the guest writes), the line to answer when
    the guest asks. run() boots L1 and returns {name: RunResult}."""

    def __init__(self, l1, token=None, taps=()):
        self.l1 = l1
        self.token = token
        self.taps = list(taps)
        self.runs = []
        jobs = os.path.join(images.cache_dir(), 'jobs')
        os.makedirs(jobs, exist_ok=True)
        self.job = tempfile.mkdtemp(dir=jobs, prefix='job-')
        self.l1_console = ''
        self.l1_seconds = None

    def path(self, run_name, filename):
        return os.path.join(self.job, run_name, filename)

    def add(self, name, argv, timeout, copies=(), answer=None):
        d = os.path.join(self.job, name)
        os.makedirs(d)
        for src, dst in copies:
            shutil.copyfile(src, os.path.join(d, dst))
        self.runs.append({'name': name, 'argv': argv, 'timeout': timeout,
                          'answer': answer})

    def run(self):
        shutil.copy(os.path.join(HERE, 'l1-runner'), self.job)
        with open(os.path.join(self.job, 'job.json'), 'w') as f:
            json.dump({'runs': self.runs, 'token': self.token,
                       'taps': self.taps}, f)
        console = os.path.join(self.job, 'l1-console.log')
        argv = [L1_QEMU, '-M', 'microvm', '-accel', 'tcg', '-cpu', 'max',
                '-m', '2G', '-smp', '1', '-nodefaults', '-no-user-config',
                '-nographic', '-no-reboot',
                '-kernel', self.l1.vmlinux, '-initrd', self.l1.initramfs,
                # microvm has no port 0x61: PIT calibration fails, so the
                # TSC frequency is given (REAL-LINUX.md)
                '-append', 'console=ttyS0 quiet tsc_early_khz=%d mq.job=%s'
                % (host_mhz() * 1000, self.job),
                '-serial', 'file:' + console,
                '-fsdev', 'local,id=hostroot,path=/,security_model=none,'
                'multidevs=remap,readonly=on',
                '-device', 'virtio-9p-device,fsdev=hostroot,'
                'mount_tag=hostroot',
                '-fsdev', 'local,id=job,path=%s,security_model=none'
                % self.job,
                '-device', 'virtio-9p-device,fsdev=job,mount_tag=job']
        limit = L1_BOOT_TIMEOUT + sum(r['timeout'] + RUN_MARGIN
                                      for r in self.runs)
        t0 = time.monotonic()
        try:
            p = subprocess.run(argv, stdin=subprocess.DEVNULL,
                               capture_output=True, timeout=limit)
            l1_err = p.stderr.decode('utf-8', 'replace')
        except subprocess.TimeoutExpired:
            l1_err = 'L1 killed after %d s' % limit
        self.l1_seconds = time.monotonic() - t0
        self.l1_console = _read(console) + l1_err
        return {r['name']: RunResult(r['name'], self.job) for r in self.runs}

    def cleanup(self):
        shutil.rmtree(self.job, ignore_errors=True)
