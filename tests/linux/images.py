# Builds what the nested real-Linux harness boots, from Debian packages,
# into a cache directory (docs: tests/linux/README.md):
#   - the L1 kernel (Debian's generic flavour: it has 9p and kvm_amd) as
#     the decompressed ELF, booted through its PVH entry, and an initramfs
#     with busybox, its modules and tests/linux/l1-init;
#   - the L2 kernel (Debian's cloud flavour: LZ4, quick to boot) as bzImage
#     and as PVH vmlinux, an initramfs with busybox, its virtio modules and
#     tests/linux/l2-init, and an ext4 root file system with the same init
#     (mke2fs -d: no loop mount, no root needed);
#   - optionally a kernel built from linux-source with tests/linux/
#     microvm.config (the configuration microvm users' kernels have).
# Everything is keyed by package version and the hash of the inputs, so a
# cached artefact is reused only while what made it is unchanged.

import contextlib
import fcntl
import hashlib
import lzma
import os
import re
import shutil
import stat
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


class Skip(Exception):
    """The harness cannot run here (packages or tools missing)."""


def cache_dir():
    d = os.environ.get('MICROQEMU_LINUX_CACHE')
    if not d:
        base = os.environ.get('XDG_CACHE_HOME') or \
            os.path.join(os.path.expanduser('~'), '.cache')
        d = os.path.join(base, 'microqemu-linux')
    os.makedirs(d, exist_ok=True)
    return d


@contextlib.contextmanager
def build_lock():
    """Held while images are built: meson runs cases in parallel, each
    building (or finding) the same cached images."""
    with open(os.path.join(cache_dir(), 'build.lock'), 'w') as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def log(msg):
    print('linux-harness: ' + msg, flush=True)


def _hash(*parts):
    h = hashlib.sha256()
    for p in parts:
        h.update(p if isinstance(p, bytes) else str(p).encode())
        h.update(b'\0')
    return h.hexdigest()[:16]


def _file_bytes(name):
    with open(os.path.join(HERE, name), 'rb') as f:
        return f.read()


# ---- Debian packages ------------------------------------------------------

def _apt_depends(meta):
    """The kernel package a Debian meta-package points at today."""
    try:
        out = subprocess.run(['apt-cache', 'depends', meta],
                             capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise Skip('apt-cache unusable: %s' % e)
    for line in out.stdout.splitlines():
        m = re.match(r'\s*Depends:\s*(linux-image-\S+)', line)
        if m:
            return m.group(1)
    raise Skip('apt-cache knows no %s (run apt-get update?)' % meta)


def _apt_version(pkg):
    out = subprocess.run(['apt-cache', 'policy', pkg],
                         capture_output=True, text=True, timeout=120)
    m = re.search(r'Candidate:\s*(\S+)', out.stdout)
    if not m or m.group(1) == '(none)':
        raise Skip('apt-cache has no candidate for %s' % pkg)
    return m.group(1)


def unpack_package(pkg):
    """apt-get download + dpkg-deb -x into the cache; returns the tree.
    Keyed by the package's candidate version."""
    ver = _apt_version(pkg)
    key = '%s_%s' % (pkg, ver.replace(':', '%3a'))
    tree = os.path.join(cache_dir(), 'pkg', key)
    if os.path.isfile(os.path.join(tree, '.done')):
        return tree
    dl = tempfile.mkdtemp(dir=cache_dir(), prefix='dl-')
    try:
        log('downloading %s %s' % (pkg, ver))
        r = subprocess.run(['apt-get', 'download', '-q', '%s=%s' % (pkg, ver)],
                           cwd=dl, capture_output=True, text=True,
                           timeout=900)
        debs = [f for f in os.listdir(dl) if f.endswith('.deb')]
        if r.returncode != 0 or len(debs) != 1:
            raise Skip('apt-get download %s failed: %s' %
                       (pkg, r.stderr.strip()[-300:]))
        shutil.rmtree(tree, ignore_errors=True)
        os.makedirs(tree)
        subprocess.run(['dpkg-deb', '-x', os.path.join(dl, debs[0]), tree],
                       check=True, timeout=900)
        open(os.path.join(tree, '.done'), 'w').close()
    finally:
        shutil.rmtree(dl, ignore_errors=True)
    return tree


# ---- kernel images ------------------------------------------------------

def _lz4_legacy_decompress(data):
    """The LZ4 legacy frame (magic 0x184C2102, what the kernel's bzImage
    carries): blocks of <le32 size><LZ4 block>. Stops at the first size
    that cannot be a block (the kernel appends its own size)."""
    out = bytearray()
    pos = 4
    while pos + 4 <= len(data):
        size = int.from_bytes(data[pos:pos + 4], 'little')
        pos += 4
        if size == 0x184C2102:       # a concatenated frame
            continue
        if size == 0 or size > 8 << 20 or pos + size > len(data):
            break
        _lz4_block(data, pos, pos + size, out)
        pos += size
    return bytes(out)


def _lz4_block(src, i, end, out):
    while i < end:
        token = src[i]
        i += 1
        n = token >> 4
        if n == 15:
            while True:
                b = src[i]
                i += 1
                n += b
                if b != 255:
                    break
        out += src[i:i + n]
        i += n
        if i >= end:
            break
        off = src[i] | (src[i + 1] << 8)
        i += 2
        m = token & 15
        if m == 15:
            while True:
                b = src[i]
                i += 1
                m += b
                if b != 255:
                    break
        m += 4
        start = len(out) - off
        if off >= m:
            out += out[start:start + m]
        else:                       # overlapping copy: repeat the pattern
            pat = out[start:]
            out += (pat * (m // off + 1))[:m]


def extract_vmlinux(bzimage, dest):
    """The ELF inside a bzImage, as scripts/extract-vmlinux finds it: try
    each compressed-stream magic until one decompresses to an ELF."""
    with open(bzimage, 'rb') as f:
        data = f.read()
    found = None
    for m in re.finditer(re.escape(b'\xfd7zXZ\x00'), data):
        try:
            d = lzma.LZMADecompressor().decompress(data[m.start():])
        except lzma.LZMAError:
            continue
        if d[:4] == b'\x7fELF':
            found = d
            break
    if found is None:
        for m in re.finditer(re.escape(b'\x02\x21\x4c\x18'), data):
            try:
                d = _lz4_legacy_decompress(data[m.start():])
            except IndexError:
                continue
            if d[:4] == b'\x7fELF':
                found = d
                break
    if found is None:
        raise Skip('no xz or LZ4 ELF payload found in %s' % bzimage)
    tmp = dest + '.tmp'
    with open(tmp, 'wb') as f:
        f.write(found)
    os.replace(tmp, dest)


# ---- cpio (newc), written by script: device nodes need no root ----------

class Cpio:
    def __init__(self):
        self.entries = []
        self.ino = 1000

    def _add(self, name, mode, data=b'', rdev=(0, 0)):
        self.entries.append((name, mode, data, rdev))

    def dir(self, name):
        self._add(name, stat.S_IFDIR | 0o755)

    def file(self, name, data, mode=0o644):
        self._add(name, stat.S_IFREG | mode, data)

    def symlink(self, name, target):
        self._add(name, stat.S_IFLNK | 0o777, target.encode())

    def chardev(self, name, major, minor):
        self._add(name, stat.S_IFCHR | 0o600, b'', (major, minor))

    def write(self, path):
        out = bytearray()
        for name, mode, data, rdev in self.entries + [('TRAILER!!!', 0,
                                                       b'', (0, 0))]:
            self.ino += 1
            nb = name.encode() + b'\0'
            hdr = '070701' + ''.join('%08X' % v for v in (
                self.ino, mode, 0, 0, 1, 0, len(data), 0, 0,
                rdev[0], rdev[1], len(nb), 0))
            out += hdr.encode() + nb
            out += b'\0' * (-len(out) % 4)
            out += data
            out += b'\0' * (-len(out) % 4)
        out += b'\0' * (-len(out) % 512)
        tmp = path + '.tmp'
        with open(tmp, 'wb') as f:
            f.write(out)
        os.replace(tmp, path)


def _module_closure(moddir, wanted):
    """Module files (relative to moddir) for the wanted module names, each
    after its dependencies, built-ins left out. The package has no
    modules.dep (depmod makes it at install): each module's .modinfo
    names what it depends on."""
    byname = {}
    for root, _, files in os.walk(os.path.join(moddir, 'kernel')):
        for f in files:
            if f.endswith('.ko'):
                byname[f[:-3].replace('-', '_')] = \
                    os.path.relpath(os.path.join(root, f), moddir)
    builtin = set()
    bpath = os.path.join(moddir, 'modules.builtin')
    if os.path.exists(bpath):
        with open(bpath) as f:
            for line in f:
                builtin.add(os.path.basename(line.strip()).split('.ko')[0]
                            .replace('-', '_'))
    order = []

    def deps(path):
        with open(os.path.join(moddir, path), 'rb') as f:
            m = re.search(rb'\0depends=([^\0]*)\0', f.read())
        return [d for d in (m.group(1).decode().split(',') if m else []) if d]

    def visit(name):
        name = name.replace('-', '_')
        if name in byname:
            path = byname[name]
            if path in order:
                return
            for d in deps(path):
                visit(d)
            order.append(path)
        elif name not in builtin:
            raise Skip('module %s not found in %s' % (name, moddir))

    for w in wanted:
        visit(w)
    return order


def _busybox():
    tree = unpack_package('busybox-static')
    return os.path.join(tree, 'bin', 'busybox'), os.path.basename(tree)


def _initramfs(path, kernel_tree, kver, modules, init_name):
    """busybox + init + the modules' files in load order (/modules.order)."""
    bb, _ = _busybox()
    c = Cpio()
    for d in ('bin', 'dev', 'proc', 'sys', 'mnt', 'tmp', 'run', 'lib',
              'lib/modules', 'sbin', 'etc', 'root', 'www'):
        c.dir(d)
    c.chardev('dev/console', 5, 1)
    c.chardev('dev/null', 1, 3)
    with open(bb, 'rb') as f:
        c.file('bin/busybox', f.read(), 0o755)
    c.symlink('bin/sh', 'busybox')
    c.file('init', _file_bytes(init_name), 0o755)
    order = []
    if modules:
        moddir = os.path.join(kernel_tree, 'lib', 'modules', kver)
        for rel in _module_closure(moddir, modules):
            name = os.path.basename(rel)
            with open(os.path.join(moddir, rel), 'rb') as f:
                c.file('lib/modules/' + name, f.read())
            order.append(name)
    c.file('modules.order', ('\n'.join(order) + '\n').encode())
    c.write(path)


# Modules each level loads (with their dependencies).
L1_MODULES = ['virtio_mmio', 'virtio_console', '9pnet_virtio', '9p',
              'kvm_amd', 'tun']
L2_MODULES = ['virtio_mmio', 'virtio_blk', 'virtio_net', 'virtio_console',
              'virtio_rng', 'ext4', 'virtiofs']


def _debian_kernel(meta):
    pkg = _apt_depends(meta)
    tree = unpack_package(pkg)
    kver = pkg[len('linux-image-'):]
    return tree, kver, os.path.join(tree, 'boot', 'vmlinuz-' + kver)


class Images:
    """Paths of everything one harness run boots."""


def _prune(keep):
    """Older builds of the same artefact (other keys) are removed."""
    parent, name = os.path.split(keep)
    prefix = name.rsplit('-', 1)[0] + '-'
    for other in os.listdir(parent):
        if other.startswith(prefix) and other != name and \
                len(other) == len(name):
            shutil.rmtree(os.path.join(parent, other), ignore_errors=True)


def _vmlinux(tree, kver, bz):
    """The kernel's ELF, kept per kernel package (it depends on nothing
    else)."""
    d = os.path.join(cache_dir(), 'vmlinux-' + os.path.basename(tree))
    path = os.path.join(d, 'vmlinux')
    if not os.path.isfile(path):
        os.makedirs(d, exist_ok=True)
        extract_vmlinux(bz, path)
    return path


def build_l1():
    tree, kver, bz = _debian_kernel('linux-image-amd64')
    _, bbkey = _busybox()
    key = _hash(kver, os.path.basename(tree), bbkey, L1_MODULES,
                _file_bytes('l1-init'), _hash_py())
    d = os.path.join(cache_dir(), 'l1-' + kver + '-' + key)
    img = Images()
    img.vmlinux = _vmlinux(tree, kver, bz)
    img.initramfs = os.path.join(d, 'initramfs.cpio')
    img.kver = kver
    if os.path.isfile(os.path.join(d, '.done')):
        return img
    log('building L1 images in %s' % d)
    os.makedirs(d, exist_ok=True)
    _initramfs(img.initramfs, tree, kver, L1_MODULES, 'l1-init')
    open(os.path.join(d, '.done'), 'w').close()
    _prune(d)
    return img


def _rootfs(path, init_name, size_mb=64):
    """ext4 image made by mke2fs -d from a directory (no mount, no root)."""
    bb, _ = _busybox()
    src = tempfile.mkdtemp(dir=cache_dir(), prefix='rootfs-')
    try:
        for d in ('bin', 'sbin', 'dev', 'proc', 'sys', 'mnt', 'tmp', 'run',
                  'etc', 'root', 'www', 'lib', 'lib/modules'):
            os.makedirs(os.path.join(src, d))
        shutil.copy(bb, os.path.join(src, 'bin', 'busybox'))
        os.symlink('busybox', os.path.join(src, 'bin', 'sh'))
        with open(os.path.join(src, 'sbin', 'init'), 'wb') as f:
            f.write(_file_bytes(init_name))
        os.chmod(os.path.join(src, 'sbin', 'init'), 0o755)
        os.symlink('sbin/init', os.path.join(src, 'init'))
        open(os.path.join(src, 'modules.order'), 'w').close()
        if os.path.exists(path):
            os.unlink(path)
        r = subprocess.run(['mke2fs', '-q', '-F', '-t', 'ext4', '-L', 'mqroot',
                            '-E', 'root_owner=0:0', '-d', src, path,
                            '%dM' % size_mb],
                           capture_output=True, text=True, timeout=300)
        if r.returncode != 0:
            raise Skip('mke2fs -d failed (e2fsprogs too old?): %s' %
                       r.stderr.strip())
    finally:
        shutil.rmtree(src, ignore_errors=True)


def build_l2():
    """The L2 images from Debian's cloud kernel."""
    tree, kver, bz = _debian_kernel('linux-image-cloud-amd64')
    _, bbkey = _busybox()
    key = _hash(kver, os.path.basename(tree), bbkey, L2_MODULES,
                _file_bytes('l2-init'), _hash_py())
    d = os.path.join(cache_dir(), 'l2-' + kver + '-' + key)
    img = Images()
    img.bzimage = bz
    img.vmlinux = _vmlinux(tree, kver, bz)
    img.initramfs = os.path.join(d, 'initramfs.cpio')
    img.rootfs = os.path.join(d, 'rootfs.ext4')
    img.kver = kver
    if os.path.isfile(os.path.join(d, '.done')):
        return img
    log('building L2 images in %s' % d)
    os.makedirs(d, exist_ok=True)
    _initramfs(img.initramfs, tree, kver, L2_MODULES, 'l2-init')
    _rootfs(img.rootfs, 'l2-init')
    open(os.path.join(d, '.done'), 'w').close()
    _prune(d)
    return img


def _hash_py():
    """This file's own text: a change in how images are made rebuilds."""
    with open(os.path.abspath(__file__), 'rb') as f:
        return f.read()
