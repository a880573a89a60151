# Boots L1 (a Debian kernel under QEMU's TCG, which emulates AMD SVM with
# nested paging), runs VMM command lines inside it under real KVM, and
# returns each run's L2 console, stderr and exit status
# (tests/linux/README.md, /work/shared/REAL-LINUX.md).

import json
import os
import shutil
import socket
import subprocess
import tempfile
import time

import images

HERE = os.path.dirname(os.path.abspath(__file__))
L1_QEMU = '/usr/bin/qemu-system-x86_64'
L1_BOOT_TIMEOUT = 600       # L1 boot and its own end, beyond the runs'
RUN_MARGIN = 30             # per run: the VMM's start and the copy out
L1_STALL_LIMIT = 90         # no heartbeat (every 10 s of L1's time) for
                            # this long: L1 froze, boot it again for the
                            # runs it had not finished
L1_ATTEMPTS = 4


class RunResult:
    def __init__(self, name, job):
        d = os.path.join(job, name)
        self.name = name
        self.console = _read(os.path.join(d, 'console.txt'))
        # the second guest of a two-guest run (l1-runner start_peer)
        self.peer_console = _read(os.path.join(d, 'peer-console.txt'))
        self.peer_stderr = _read(os.path.join(d, 'peer-stderr.txt'))
        self.stderr = _read(os.path.join(d, 'stderr.txt'))
        try:
            with open(os.path.join(d, 'result.json')) as f:
                r = json.load(f)
        except (OSError, ValueError):
            r = {}
        self.not_run = r.get('not_run')
        self.ran = bool(r) and not self.not_run
        self.exit = r.get('exit')
        self.timed_out = r.get('timed_out', False)
        self.userspace_s = r.get('userspace_s')
        self.total_s = r.get('total_s')
        self.peer_exit = r.get('peer_exit')

    def describe(self):
        if self.not_run:
            return 'not run (%s)' % self.not_run
        if not self.ran:
            return 'did not run (L1 ended first)'
        if self.timed_out:
            return 'timed out after %.0f s' % self.total_s
        return 'exit %s after %.1f s' % (self.exit, self.total_s)


def _qmp(path, commands):
    """Sends (command, arguments) pairs to a QMP socket; returns the
    replies' 'return' values (None for an error reply), ended by a line
    saying why when the socket failed."""
    out = []
    try:
        with socket.socket(socket.AF_UNIX) as s:
            s.settimeout(10)
            s.connect(path)
            f = s.makefile('rw')
            f.readline()                    # the greeting
            for cmd, args in [('qmp_capabilities', {})] + list(commands):
                f.write(json.dumps({'execute': cmd, 'arguments': args}) +
                        '\n')
                f.flush()
                while True:
                    r = json.loads(f.readline())
                    if 'event' not in r:
                        break
                out.append(r.get('return'))
    except (OSError, ValueError) as e:
        out.append('QMP failed: %s' % e)
    return out[1:]


def _l1_cpu_state(replies):
    """The instruction pointer, flags and halted state from 'info
    registers'."""
    text = replies[0] if replies and isinstance(replies[0], str) else ''
    for line in text.splitlines():
        if 'IP=' in line and 'HLT=' in line:
            return line.strip()
    return repr(replies)[:200]


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
    the guest asks, the earlier run that must have exited 0 for this
    one to be worth running, a peer daemon to start first (l1-runner
    start_daemon), the host port a hostfwd= rule forwards to the
    guest's service (fetched when the guest says MQ-HOSTFWD), and a
    second VMM wired to this one ({'argv', 'listen_port'}). run() boots L1 and returns {name: RunResult}."""

    def __init__(self, l1, token=None, taps=()):
        self.l1 = l1
        self.token = token
        self.taps = list(taps)
        self.runs = []
        jobs = os.path.join(images.cache_dir(), 'jobs')
        os.makedirs(jobs, exist_ok=True)
        self.job = tempfile.mkdtemp(dir=jobs, prefix='job-')
        self.copies = {}
        self.l1_console = ''
        self.l1_seconds = None
        self.l1_stalls = 0

    def path(self, run_name, filename):
        return os.path.join(self.job, run_name, filename)

    def add(self, name, argv, timeout, copies=(), answer=None,
            only_if_ok=None, daemon=None, hostfwd=None, peer=None):
        d = os.path.join(self.job, name)
        os.makedirs(d)
        self.copies[name] = list(copies)
        self.runs.append({'name': name, 'argv': argv, 'timeout': timeout,
                          'answer': answer, 'only_if_ok': only_if_ok,
                          'daemon': daemon, 'hostfwd': hostfwd,
                          'peer': peer})

    def _finished(self, run_name):
        """Whether the run wrote its whole result (result.json comes last)
        in an L1 boot that froze later."""
        try:
            with open(self.path(run_name, 'result.json')) as f:
                json.load(f)
            return True
        except (OSError, ValueError):
            return False

    def _prepare_runs(self):
        """Each run not yet finished as before any run: its copies fresh,
        no result. Runs an earlier L1 boot finished before it froze are
        kept: l1-runner skips them, so a freeze costs only what was left."""
        for r in self.runs:
            if self._finished(r['name']):
                continue
            d = os.path.join(self.job, r['name'])
            for f in ('console.txt', 'stderr.txt', 'result.json'):
                if os.path.exists(os.path.join(d, f)):
                    os.unlink(os.path.join(d, f))
            for src, dst in self.copies[r['name']]:
                shutil.copyfile(src, os.path.join(d, dst))

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
        for attempt in range(1, L1_ATTEMPTS + 1):
            self._prepare_runs()
            l1_err, stalled = self._boot_l1(argv, console, limit)
            if not stalled:
                break
            self.l1_stalls += 1
            images.log('L1 froze (no heartbeat for %d s, attempt %d of %d)'
                       '%s' % (L1_STALL_LIMIT, attempt, L1_ATTEMPTS,
                               ': booting it again'
                               if attempt < L1_ATTEMPTS else ''))
        self.l1_seconds = time.monotonic() - t0
        self.l1_console = ''.join(
            line for line in _read(console).splitlines(True)
            if line.strip() != 'MQ-L1-TICK') + l1_err
        return {r['name']: RunResult(r['name'], self.job) for r in self.runs}

    def _boot_l1(self, argv, console, limit):
        """Runs L1 to its end, or kills it after `limit` s or when its
        heartbeat (l1-init) stops; returns (its stderr, whether it
        froze)."""
        err_path = os.path.join(self.job, 'l1-stderr.log')
        # (a short path: a unix socket's is limited to 107 bytes)
        qmp_dir = tempfile.mkdtemp(prefix='mq-l1-')
        qmp_path = os.path.join(qmp_dir, 'qmp.sock')
        argv = argv + ['-qmp', 'unix:%s,server=on,wait=off' % qmp_path]
        with open(console, 'wb'), open(err_path, 'wb') as err:
            p = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                                 stdout=subprocess.DEVNULL, stderr=err)
        t0 = last_beat = time.monotonic()
        beats = 0
        note = ''
        stalled = False
        while True:
            try:
                p.wait(timeout=5)
                break
            except subprocess.TimeoutExpired:
                pass
            now = time.monotonic()
            n = _read(console).count('MQ-L1-TICK')
            if n != beats:
                beats, last_beat = n, now
            if now - t0 > limit:
                note = 'L1 killed after %d s' % limit
            elif now - last_beat > L1_STALL_LIMIT:
                # where L1's vCPU is: the freeze's cause is not known
                # (tests/linux/README.md)
                regs = _qmp(qmp_path, [('human-monitor-command',
                                        {'command-line': 'info registers'})])
                images.log('L1 silent for %d s, its vCPU: %s' %
                           (L1_STALL_LIMIT, _l1_cpu_state(regs)))
                note = 'L1 killed: no heartbeat for %d s' % L1_STALL_LIMIT
                stalled = True
            if note:
                p.kill()
                p.wait()
                break
        shutil.rmtree(qmp_dir, ignore_errors=True)
        return _read(err_path) + note, stalled

    def cleanup(self):
        shutil.rmtree(self.job, ignore_errors=True)
