# The second L2 kernel: built from Debian's linux-source package with
# tests/linux/microvm.config merged onto tinyconfig by the kernel's own
# scripts/kconfig/merge_config.sh. It has what microvm users' kernels have
# and Debian's lacks: virtio-mmio devices from the command line
# (CONFIG_VIRTIO_MMIO_CMDLINE_DEVICES, found with acpi=off), PVH, the
# virtio drivers and ext4 built in. Cached by source version and the
# fragment's hash: rebuilt only when one of them changes.

import os
import shutil
import subprocess
import tarfile
import time

import images

FRAGMENT = os.path.join(images.HERE, 'microvm.config')
TOOLS = ['make', 'gcc', 'flex', 'bison', 'bc']


def _source():
    """The unpacked kernel tree of linux-source-6.1 (done once per
    version)."""
    tree = images.unpack_package('linux-source-6.1')
    src_root = os.path.join(images.cache_dir(), 'src-' +
                            os.path.basename(tree))
    src = os.path.join(src_root, 'linux')
    if os.path.isfile(os.path.join(src_root, '.done')):
        return src, os.path.basename(tree)
    tars = [f for f in os.listdir(os.path.join(tree, 'usr', 'src'))
            if f.endswith('.tar.xz')]
    if len(tars) != 1:
        raise images.Skip('linux-source-6.1 has no single source tarball')
    images.log('unpacking %s' % tars[0])
    shutil.rmtree(src_root, ignore_errors=True)
    os.makedirs(src_root)
    with tarfile.open(os.path.join(tree, 'usr', 'src', tars[0])) as t:
        t.extractall(src_root)
    top = [d for d in os.listdir(src_root) if d.startswith('linux')]
    os.rename(os.path.join(src_root, top[0]), src)
    open(os.path.join(src_root, '.done'), 'w').close()
    return src, os.path.basename(tree)


def _cached_source_key():
    """The linux-source package key, from apt's candidate version, without
    downloading anything."""
    ver = images._apt_version('linux-source-6.1')
    return 'linux-source-6.1_%s' % ver.replace(':', '%3a')


def _wanted():
    """(option, value) pairs of the fragment; value None for 'is not
    set'."""
    out = []
    with open(FRAGMENT) as f:
        for line in f:
            line = line.strip()
            if line.startswith('CONFIG_'):
                k, v = line.split('=', 1)
                out.append((k, v))
            elif line.startswith('# CONFIG_') and line.endswith(' is not set'):
                out.append((line.split()[1], None))
    return out


def build_custom(allow_build):
    """The custom kernel's images; built only when allow_build (it takes
    many minutes on 2 cores), else a Skip unless already cached."""
    for t in TOOLS:
        if not shutil.which(t):
            raise images.Skip('%s is not installed: the custom L2 kernel '
                              'cannot be built (scripts/install-deps.sh)' % t)
    tree = images.unpack_package('linux-source-6.1') if allow_build else None
    srckey = os.path.basename(tree) if tree else _cached_source_key()
    with open(FRAGMENT, 'rb') as f:
        frag = f.read()
    key = images._hash(srckey, frag)
    d = os.path.join(images.cache_dir(), 'kernel-%s-%s' % (
        srckey.split('_', 1)[1], key))
    img = images.Images()
    img.bzimage = os.path.join(d, 'bzImage')
    img.vmlinux = os.path.join(d, 'vmlinux')
    if os.path.isfile(os.path.join(d, '.done')):
        return img
    if not allow_build:
        raise images.Skip('the custom L2 kernel (tests/linux/microvm.config)'
                          ' is not built; build it with MICROQEMU_LINUX_'
                          'BUILD_KERNEL=1 (tens of minutes on 2 cores)')
    src, srckey = _source()
    out = os.path.join(images.cache_dir(), 'kbuild')
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    logf = os.path.join(out, 'build.log')
    images.log('building the custom L2 kernel (tests/linux/microvm.config) '
               'in %s, log %s' % (out, logf))
    t0 = time.monotonic()
    env = dict(os.environ, KCONFIG_CONFIG='.config')
    jobs = str(os.cpu_count() or 1)
    steps = [['make', '-C', src, 'O=' + out, 'tinyconfig'],
             [os.path.join(src, 'scripts', 'kconfig', 'merge_config.sh'),
              '-m', '-O', out, os.path.join(out, '.config'), FRAGMENT],
             ['make', '-C', src, 'O=' + out, 'olddefconfig'],
             ['make', '-C', src, 'O=' + out, '-j' + jobs, 'bzImage']]
    with open(logf, 'w') as log:
        for cmd in steps:
            r = subprocess.run(cmd, cwd=out, stdout=log,
                               stderr=subprocess.STDOUT, env=env,
                               timeout=7200)
            if r.returncode != 0:
                raise RuntimeError('custom kernel: %s failed, see %s' %
                                   (' '.join(cmd), logf))
    config = {}
    with open(os.path.join(out, '.config')) as f:
        for line in f:
            if line.startswith('CONFIG_'):
                k, v = line.strip().split('=', 1)
                config[k] = v
    missing = [k for k, v in _wanted() if config.get(k) != v]
    if missing:
        raise RuntimeError('custom kernel: the configuration lacks %s '
                           '(a dependency of the fragment is off)' %
                           ' '.join(missing))
    os.makedirs(d, exist_ok=True)
    shutil.copy(os.path.join(out, 'arch', 'x86', 'boot', 'bzImage'),
                img.bzimage)
    shutil.copy(os.path.join(out, 'vmlinux'), img.vmlinux)
    shutil.copy(os.path.join(out, '.config'), os.path.join(d, 'config'))
    open(os.path.join(d, '.done'), 'w').close()
    images.log('custom L2 kernel built in %.0f s' % (time.monotonic() - t0))
    shutil.rmtree(out, ignore_errors=True)
    return img
