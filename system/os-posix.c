/*
 * The host process side of the command line: daemonizing, the PID file,
 * -runas, -chroot and memory locking. Source of truth: QEMU 7.2
 * os-posix.c (os_parse_cmd_args, os_daemonize, os_setup_post,
 * change_root, change_process_uid, os_mlock), util/oslib-posix.c
 * (qemu_write_pidfile) and softmmu/vl.c (qemu_maybe_daemonize).
 */
#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "system/os-posix.h"

#include <grp.h>
#include <pwd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <glib-unix.h>

static bool daemonize;
static int daemon_pipe = -1;
static const char *chroot_dir;
static struct passwd *user_pwd;         /* -runas USER */
static uid_t user_uid = (uid_t)-1;      /* -runas UID:GID */
static gid_t user_gid = (gid_t)-1;
static char *pid_file_realpath;

bool os_setup_stdio(void)
{
    for (int fd = 0; fd <= 2; fd++) {
        int null;

        if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF) {
            continue;
        }
        /* the lowest free descriptor is fd itself */
        null = open("/dev/null", O_RDWR);
        if (null < 0) {
            return false;
        }
        if (null != fd) {
            if (dup2(null, fd) < 0) {
                close(null);
                return false;
            }
            close(null);
        }
    }
    return true;
}

/* QEMU's os_parse_runas_uid_gid(): both numbers, neither -1. */
static bool os_parse_runas_uid_gid(const char *arg)
{
    unsigned long lv;
    const char *ep;
    uid_t uid;
    gid_t gid;

    if (qemu_strtoul(arg, &ep, 0, &lv) < 0 || *ep != ':') {
        return false;
    }
    uid = lv;
    if (uid != lv || uid == (uid_t)-1) {
        return false;
    }
    if (qemu_strtoul(ep + 1, NULL, 0, &lv) < 0) {
        return false;
    }
    gid = lv;
    if (gid != lv || gid == (gid_t)-1) {
        return false;
    }
    user_pwd = NULL;
    user_uid = uid;
    user_gid = gid;
    return true;
}

bool os_set_runas(const char *arg, Error **errp)
{
    struct passwd *pwd = getpwnam(arg);

    if (pwd) {
        /* getpwnam's buffer is static: keep our own copy */
        user_pwd = g_new0(struct passwd, 1);
        user_pwd->pw_name = g_strdup(pwd->pw_name);
        user_pwd->pw_uid = pwd->pw_uid;
        user_pwd->pw_gid = pwd->pw_gid;
        user_uid = (uid_t)-1;
        user_gid = (gid_t)-1;
        return true;
    }
    if (!os_parse_runas_uid_gid(arg)) {
        error_setg(errp, "User \"%s\" doesn't exist (and is not <uid>:<gid>)",
                   arg);
        return false;
    }
    return true;
}

void os_set_chroot(const char *dir)
{
    chroot_dir = dir;
}

void os_set_daemonize(bool d)
{
    daemonize = d;
}

bool is_daemonized(void)
{
    return daemonize;
}

void os_daemonize(void)
{
    int fds[2];
    pid_t pid;

    if (!daemonize) {
        return;
    }
    if (!g_unix_open_pipe(fds, FD_CLOEXEC, NULL)) {
        exit(1);
    }
    pid = fork();
    if (pid > 0) {
        uint8_t status;
        ssize_t len;

        close(fds[1]);
        do {
            len = read(fds[0], &status, 1);
        } while (len < 0 && errno == EINTR);
        /* success only if the child said so after its initialisation */
        exit(len == 1 && status == 0 ? 0 : 1);
    } else if (pid < 0) {
        exit(1);
    }
    close(fds[0]);
    daemon_pipe = fds[1];
    setsid();

    /* the session leader leaves: the daemon can never get a terminal */
    pid = fork();
    if (pid > 0) {
        exit(0);
    } else if (pid < 0) {
        exit(1);
    }
    umask(027);
    signal(SIGTSTP, SIG_IGN);
    signal(SIGTTOU, SIG_IGN);
    signal(SIGTTIN, SIG_IGN);
}

static void os_unlink_pidfile(void)
{
    if (pid_file_realpath) {
        unlink(pid_file_realpath);
    }
}

bool os_write_pidfile(const char *path, Error **errp)
{
    g_autofree char *pidstr = NULL;
    struct stat a, b;
    int fd;

    for (;;) {
        struct flock lock = {
            .l_type = F_WRLCK,
            .l_whence = SEEK_SET,
            .l_len = 0,
        };

        fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, S_IRUSR | S_IWUSR);
        if (fd < 0) {
            error_setg_errno(errp, errno, "Could not create '%s'", path);
            return false;
        }
        if (fstat(fd, &b) < 0) {
            error_setg_errno(errp, errno, "Cannot stat file");
            close(fd);
            return false;
        }
        if (fcntl(fd, F_SETLK, &lock)) {
            error_setg_errno(errp, errno, "Cannot lock pid file");
            close(fd);
            return false;
        }
        /*
         * Another instance may have removed or replaced the file between
         * our open and our lock: only the file still at path counts.
         */
        if (stat(path, &a) == 0 && a.st_ino == b.st_ino) {
            break;
        }
        close(fd);
    }
    pidstr = g_strdup_printf("%d\n", (int)getpid());
    if (ftruncate(fd, 0) < 0) {
        error_setg_errno(errp, errno, "Failed to truncate pid file");
        goto fail;
    }
    if (write(fd, pidstr, strlen(pidstr)) != (ssize_t)strlen(pidstr)) {
        error_setg(errp, "Failed to write pid file");
        goto fail;
    }
    /* fd stays open: closing it would drop the lock */
    pid_file_realpath = realpath(path, NULL);
    if (!pid_file_realpath) {
        error_setg(errp, "cannot resolve PID file path: %s: %s", path,
                   strerror(errno));
        unlink(path);
        return false;
    }
    atexit(os_unlink_pidfile);
    return true;

fail:
    unlink(path);
    close(fd);
    return false;
}

bool os_mlock(Error **errp)
{
    if (mlockall(MCL_CURRENT | MCL_FUTURE) < 0) {
        error_report("mlockall: %s", strerror(errno));
        error_setg(errp, "locking memory failed");
        return false;
    }
    return true;
}

static void change_root(void)
{
    if (!chroot_dir) {
        return;
    }
    if (chroot(chroot_dir) < 0) {
        error_report("chroot failed");
        exit(1);
    }
    if (chdir("/")) {
        error_report("not able to chdir to /: %s", strerror(errno));
        exit(1);
    }
}

static void change_process_uid(void)
{
    gid_t gid = user_pwd ? user_pwd->pw_gid : user_gid;
    uid_t uid = user_pwd ? user_pwd->pw_uid : user_uid;

    if (!user_pwd && user_uid == (uid_t)-1) {
        return;
    }
    if (setgid(gid) < 0) {
        error_report("Failed to setgid(%d)", gid);
        exit(1);
    }
    if (user_pwd) {
        if (initgroups(user_pwd->pw_name, user_pwd->pw_gid) < 0) {
            error_report("Failed to initgroups(\"%s\", %d)",
                         user_pwd->pw_name, user_pwd->pw_gid);
            exit(1);
        }
    } else if (setgroups(1, &user_gid) < 0) {
        error_report("Failed to setgroups(1, [%d])", user_gid);
        exit(1);
    }
    if (setuid(uid) < 0) {
        error_report("Failed to setuid(%d)", uid);
        exit(1);
    }
    /* getting root back must be impossible now */
    if (setuid(0) != -1) {
        error_report("Dropping privileges failed");
        exit(1);
    }
}

void os_setup_post(bool keep_stderr)
{
    uint8_t status = 0;
    ssize_t len;
    int fd = -1;

    if (daemonize) {
        if (chdir("/")) {
            error_report("not able to chdir to /: %s", strerror(errno));
            exit(1);
        }
        fd = open("/dev/null", O_RDWR);
        if (fd < 0) {
            exit(1);
        }
    }
    change_root();
    change_process_uid();
    if (!daemonize) {
        return;
    }
    dup2(fd, 0);
    dup2(fd, 1);
    if (!keep_stderr) {
        dup2(fd, 2);
    }
    close(fd);
    do {
        len = write(daemon_pipe, &status, 1);
    } while (len < 0 && errno == EINTR);
    if (len != 1) {
        exit(1);
    }
    close(daemon_pipe);
    daemon_pipe = -1;
}
