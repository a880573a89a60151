/*
 * vCPU threads and the KVM_RUN exit loop (which carries out what
 * kvm_exit_decide() in kvm-exit.c chose).
 * Source of truth: QEMU 7.2 accel/kvm/kvm-all.c kvm_cpu_exec() (exit
 * handling, "KVM internal error. Suberror: %d", "emulation failure",
 * the register dump), kvm_init() (vCPU count warnings) and
 * accel/kvm/kvm-accel-ops.c (one "CPU n/KVM" thread per vCPU; SIGIPI
 * kicks a vCPU out of KVM_RUN, blocked outside it); with the split
 * irqchip, target/i386/kvm/kvm.c kvm_arch_pre_run() (the PIC's interrupt
 * injected with KVM_INTERRUPT, else an interrupt window requested) and
 * kvm_arch_handle_exit() (KVM_EXIT_IOAPIC_EOI to the board's IOAPICs).
 */
#include "qemu/osdep.h"
#include "accel/kvm-internal.h"
#include "qemu/thread.h"
#include "system/main-loop.h"
#include "system/runstate.h"
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#define SIG_IPI SIGUSR1

static GPtrArray *vcpus;            /* of CPUState */

/* Pause protocol: everything below is guarded by run_lock (but the
 * waiter count, atomic: read on every exit without the lock). */
static QemuMutex run_lock = QEMU_MUTEX_INITIALIZER;
/* vCPUs wait for resume here */
static QemuCond run_cond = QEMU_COND_INITIALIZER;
/* cpus_pause_all waits here */
static QemuCond parked_cond = QEMU_COND_INITIALIZER;
static bool pause_requested;
static bool stop_requested;
static unsigned nr_parked;
static unsigned nr_exit_waiters;    /* in kvm_cpus_wait_exit_count */

static CPUState *vcpu_get(unsigned i)
{
    return g_ptr_array_index(vcpus, i);
}

/* Caller holds run_lock (the vCPU list does not change under it). */
static uint64_t exit_count_sum(uint32_t reason)
{
    uint64_t n = 0;

    for (guint i = 0; vcpus && i < vcpus->len; i++) {
        n += __atomic_load_n(&vcpu_get(i)->exit_counts[reason],
                             __ATOMIC_SEQ_CST);
    }
    return n;
}

uint64_t kvm_cpus_exit_count(uint32_t reason)
{
    uint64_t n;

    if (reason >= CPU_EXIT_REASONS) {
        return 0;
    }
    qemu_mutex_lock(&run_lock);
    n = exit_count_sum(reason);
    qemu_mutex_unlock(&run_lock);
    return n;
}

void kvm_cpus_wait_exit_count(uint32_t reason, uint64_t n)
{
    assert(reason < CPU_EXIT_REASONS);
    qemu_mutex_lock(&run_lock);
    /*
     * Sequentially consistent with vcpu_count_exit's store and load: the
     * vCPU sees this waiter, or this waiter sees the vCPU's count (no
     * fence: GCC's ThreadSanitizer does not support them).
     */
    __atomic_add_fetch(&nr_exit_waiters, 1, __ATOMIC_SEQ_CST);
    while (exit_count_sum(reason) < n) {
        qemu_cond_wait(&parked_cond, &run_lock);
    }
    __atomic_sub_fetch(&nr_exit_waiters, 1, __ATOMIC_SEQ_CST);
    qemu_mutex_unlock(&run_lock);
}

/*
 * On every exit: the vCPU's own counter, no lock. Only when a test waits
 * for a count (a futex syscall per exit otherwise) is run_lock taken to
 * wake it; the waiter re-checks under that lock, so no wake-up is lost.
 */
static void vcpu_count_exit(CPUState *cpu, uint32_t reason)
{
    if (reason >= CPU_EXIT_REASONS) {
        return;
    }
    /* only this thread writes it: a store, not a read-modify-write */
    __atomic_store_n(&cpu->exit_counts[reason], cpu->exit_counts[reason] + 1,
                     __ATOMIC_SEQ_CST);
    if (__atomic_load_n(&nr_exit_waiters, __ATOMIC_SEQ_CST)) {
        qemu_mutex_lock(&run_lock);
        qemu_cond_broadcast(&parked_cond);
        qemu_mutex_unlock(&run_lock);
    }
}

/* The userspace PIC's INT line (split irqchip), read by vCPU 0. */
static int extint_level;
static int (*pic_ack)(void *opaque);
static void *pic_ack_opaque;

void kvm_cpus_set_pic(int (*ack)(void *opaque), void *opaque)
{
    pic_ack = ack;
    pic_ack_opaque = opaque;
}

static void sig_ipi_handler(int sig)
{
}

bool kvm_check_vcpu_limits(unsigned smp, unsigned max, Error **errp)
{
    int soft = kvm_check_extension(KVM_CAP_NR_VCPUS);
    int hard = kvm_check_extension(KVM_CAP_MAX_VCPUS);
    const struct {
        const char *name;
        unsigned num;
    } nc[] = { { "SMP", smp }, { "hotpluggable", max } };

    soft = soft ? soft : 4;
    hard = hard ? hard : soft;
    for (size_t i = 0; i < ARRAY_SIZE(nc); i++) {
        if (nc[i].num <= (unsigned)soft) {
            continue;
        }
        warn_report("Number of %s cpus requested (%u) exceeds the "
                    "recommended cpus supported by KVM (%d)", nc[i].name,
                    nc[i].num, soft);
        if (nc[i].num > (unsigned)hard) {
            error_setg(errp, "Number of %s cpus requested (%u) exceeds the "
                       "maximum cpus supported by KVM (%d)", nc[i].name,
                       nc[i].num, hard);
            return false;
        }
    }
    return true;
}

bool kvm_init_vcpu(CPUState *cpu, Error **errp)
{
    int fd;

    /* Listed first: cpus_stop_all() frees it even if the rest fails. */
    if (!vcpus) {
        vcpus = g_ptr_array_new();
    }
    g_ptr_array_add(vcpus, cpu);
    cpu->fd = -1;
    fd = ioctl(kvm_vm_fd(), KVM_CREATE_VCPU, cpu->vcpu_id);
    if (fd < 0) {
        error_setg_errno(errp, errno, "kvm_init_vcpu: kvm_get_vcpu failed "
                         "(%lu)", cpu->vcpu_id);
        return false;
    }
    cpu->fd = fd;
    cpu->run = mmap(NULL, kvm_vcpu_mmap_size(), PROT_READ | PROT_WRITE,
                    MAP_SHARED, fd, 0);
    if (cpu->run == MAP_FAILED) {
        cpu->run = NULL;
        error_setg_errno(errp, errno, "kvm_init_vcpu: mmap'ing vcpu state "
                         "failed (%lu)", cpu->vcpu_id);
        return false;
    }
    return kvm_arch_init_vcpu(cpu, errp);
}

void kvm_cpus_set_extint(int level)
{
    int old = g_atomic_int_get(&extint_level);

    g_atomic_int_set(&extint_level, !!level);
    /* vCPU 0 may sit in an in-kernel HLT: make it look at the line. */
    if (level && !old && vcpus && vcpus->len) {
        CPUState *cpu = g_ptr_array_index(vcpus, 0);

        if (cpu->thread_started) {
            pthread_kill(cpu->thread, SIG_IPI);
        }
    }
}

/*
 * Before KVM_RUN on vCPU 0: an interrupt acknowledge cycle on the PIC and
 * KVM_INTERRUPT when KVM can take an external interrupt now, else ask
 * for an exit as soon as it can.
 */
static void vcpu_pre_run(CPUState *cpu)
{
    struct kvm_run *run = cpu->run;

    if (cpu->cpu_index != 0 || !g_atomic_int_get(&extint_level)) {
        run->request_interrupt_window = 0;
        return;
    }
    bql_lock();
    if (g_atomic_int_get(&extint_level) && pic_ack &&
        run->ready_for_interrupt_injection) {
        struct kvm_interrupt intr = { .irq = pic_ack(pic_ack_opaque) };

        if (ioctl(cpu->fd, KVM_INTERRUPT, &intr) < 0) {
            error_report("KVM_INTERRUPT failed: %s", strerror(errno));
        }
    }
    run->request_interrupt_window = g_atomic_int_get(&extint_level);
    bql_unlock();
}

/* ---- The exit loop ------------------------------------------------------ */

bool kvm_handle_io_exit(struct kvm_run *run, size_t run_size)
{
    uint8_t *data;
    unsigned size = run->io.size;

    if (size != 1 && size != 2 && size != 4) {
        qemu_log_mask(LOG_GUEST_ERROR, "KVM: bad port access size %u\n",
                      size);
        return false;
    }
    /*
     * A string I/O exit (count > 1, INS/OUTS) carries count * size bytes
     * at data_offset. The kernel keeps them inside the vCPU's mapping;
     * checked anyway, so a bad exit can never make us touch memory
     * beyond it.
     */
    if (run->io.data_offset > run_size ||
        (uint64_t)run->io.count * size > run_size - run->io.data_offset) {
        qemu_log_mask(LOG_GUEST_ERROR, "KVM: port I/O data (offset 0x%"
                      PRIx64 ", %u x %u bytes) outside kvm_run\n",
                      (uint64_t)run->io.data_offset, run->io.count, size);
        return false;
    }
    data = (uint8_t *)run + run->io.data_offset;
    bql_lock();
    for (uint32_t i = 0; i < run->io.count; i++, data += size) {
        uint64_t v = 0;

        if (run->io.direction == KVM_EXIT_IO_OUT) {
            memcpy(&v, data, size);
            address_space_write(&address_space_io, run->io.port, v, size);
        } else {
            address_space_read(&address_space_io, run->io.port, &v, size);
            memcpy(data, &v, size);
        }
    }
    bql_unlock();
    return true;
}

static void vcpu_handle_mmio(CPUState *cpu)
{
    struct kvm_run *run = cpu->run;
    uint64_t addr = run->mmio.phys_addr;
    unsigned len = run->mmio.len;
    uint64_t v = 0;

    if (len == 0 || len > 8) {
        qemu_log_mask(LOG_GUEST_ERROR, "KVM: bad MMIO length %u\n", len);
        return;
    }
    /* Any length 1-8 (an emulated 3-byte access too), cut into pieces by
     * the dispatcher as QEMU's address_space_rw() does. */
    bql_lock();
    if (run->mmio.is_write) {
        memcpy(&v, run->mmio.data, len);
        address_space_write(&address_space_memory, addr, v, len);
    } else {
        address_space_read(&address_space_memory, addr, &v, len);
        memcpy(run->mmio.data, &v, len);
    }
    bql_unlock();
}

static void vcpu_report_internal_error(CPUState *cpu)
{
    struct kvm_run *run = cpu->run;

    fprintf(stderr, "KVM internal error. Suberror: %d\n",
            run->internal.suberror);
    if (kvm_check_extension(KVM_CAP_INTERNAL_ERROR_DATA) > 0) {
        for (uint32_t i = 0; i < run->internal.ndata && i < 16; i++) {
            fprintf(stderr, "extra data[%u]: 0x%016" PRIx64 "\n", i,
                    (uint64_t)run->internal.data[i]);
        }
    }
    if (run->internal.suberror == KVM_INTERNAL_ERROR_EMULATION) {
        fprintf(stderr, "emulation failure\n");
    }
    kvm_arch_dump_state(cpu, stderr);
}

/* Waits while paused or parked by the guest; false when told to stop. */
static bool vcpu_wait_runnable(CPUState *cpu)
{
    bool run;

    qemu_mutex_lock(&run_lock);
    while (!stop_requested && (pause_requested || cpu->stopped_by_guest)) {
        if (!cpu->parked) {
            cpu->parked = true;
            nr_parked++;
            qemu_cond_broadcast(&parked_cond);
        }
        qemu_cond_wait(&run_cond, &run_lock);
    }
    if (cpu->parked) {
        cpu->parked = false;
        nr_parked--;
    }
    /* Read under the lock: cpus_stop_all() writes it (TSan saw it). */
    run = !stop_requested;
    qemu_mutex_unlock(&run_lock);
    return run;
}

static void vcpu_park_by_guest(CPUState *cpu)
{
    qemu_mutex_lock(&run_lock);
    cpu->stopped_by_guest = true;
    qemu_mutex_unlock(&run_lock);
}

/* Drops a kick that arrived outside KVM_RUN, so the next run is clean. */
static void vcpu_eat_signals(void)
{
    sigset_t set;
    struct timespec zero = { 0, 0 };

    sigemptyset(&set);
    sigaddset(&set, SIG_IPI);
    while (sigtimedwait(&set, NULL, &zero) > 0) {
        /* keep draining */
    }
}

static bool vcpu_setup_signals(CPUState *cpu)
{
    sigset_t block, run_mask;
    struct {
        struct kvm_signal_mask hdr;
        uint8_t set[8];
    } km = { .hdr.len = 8 };

    sigemptyset(&block);
    sigaddset(&block, SIG_IPI);
    pthread_sigmask(SIG_BLOCK, &block, NULL);
    pthread_sigmask(SIG_BLOCK, NULL, &run_mask);
    sigdelset(&run_mask, SIG_IPI);
    memcpy(km.set, &run_mask, sizeof(km.set));
    return ioctl(cpu->fd, KVM_SET_SIGNAL_MASK, &km.hdr) == 0;
}

/* Carries out what kvm_exit_decide() chose for this exit. */
static void vcpu_exec_action(CPUState *cpu, KVMExitAction action, int err)
{
    struct kvm_run *run = cpu->run;

    switch (action) {
    case KVM_EXIT_ACTION_REENTER:
        break;
    case KVM_EXIT_ACTION_KICKED:
        vcpu_eat_signals();
        break;
    case KVM_EXIT_ACTION_IO:
        kvm_handle_io_exit(run, kvm_vcpu_mmap_size());
        break;
    case KVM_EXIT_ACTION_MMIO:
        vcpu_handle_mmio(cpu);
        break;
    case KVM_EXIT_ACTION_IOAPIC_EOI:
        bql_lock();
        kvm_ioapic_eoi(run->eoi.vector);
        bql_unlock();
        break;
    case KVM_EXIT_ACTION_GUEST_RESET:
        /* Triple fault: the main loop resets (or ends, -no-reboot). */
        vcpu_park_by_guest(cpu);
        qemu_system_reset_request(SHUTDOWN_CAUSE_GUEST_RESET);
        break;
    case KVM_EXIT_ACTION_PARK:
        vcpu_park_by_guest(cpu);
        break;
    case KVM_EXIT_ACTION_INTERNAL_ERROR:
        vcpu_report_internal_error(cpu);
        vcpu_park_by_guest(cpu);
        qemu_system_vmstop_request(RUN_STATE_INTERNAL_ERROR);
        break;
    case KVM_EXIT_ACTION_RUN_FAILED:
        error_report("error: kvm run failed %s", strerror(err));
        kvm_arch_dump_state(cpu, stderr);
        vcpu_park_by_guest(cpu);
        qemu_system_vmstop_request(RUN_STATE_INTERNAL_ERROR);
        break;
    case KVM_EXIT_ACTION_UNHANDLED:
        fprintf(stderr, "KVM: unhandled exit reason %u\n", run->exit_reason);
        kvm_arch_dump_state(cpu, stderr);
        vcpu_park_by_guest(cpu);
        qemu_system_vmstop_request(RUN_STATE_INTERNAL_ERROR);
        break;
    }
}

static void *vcpu_thread_fn(void *opaque)
{
    CPUState *cpu = opaque;

    if (!vcpu_setup_signals(cpu)) {
        error_report("kvm_init_vcpu: KVM_SET_SIGNAL_MASK failed: %s",
                     strerror(errno));
        qemu_system_exit_request(1);
        return NULL;
    }
    while (vcpu_wait_runnable(cpu)) {
        int err;

        vcpu_pre_run(cpu);
        err = ioctl(cpu->fd, KVM_RUN, 0) < 0 ? errno : 0;
        vcpu_exec_action(cpu, kvm_exit_decide(cpu->run, err,
                                              kvm_irqchip_mode()), err);
        if (!err) {
            vcpu_count_exit(cpu, cpu->run->exit_reason);
        }
    }
    return NULL;
}

bool cpus_start(bool start_paused, Error **errp)
{
    struct sigaction sa = { .sa_handler = sig_ipi_handler };

    if (!vcpus) {
        return true;
    }
    sigaction(SIG_IPI, &sa, NULL);
    /* Every thread exists (and is named) before any vCPU runs. */
    qemu_mutex_lock(&run_lock);
    pause_requested = true;
    stop_requested = false;
    qemu_mutex_unlock(&run_lock);
    for (guint i = 0; i < vcpus->len; i++) {
        CPUState *cpu = vcpu_get(i);
        g_autofree char *name = g_strdup_printf("CPU %u/KVM", i);
        int r = pthread_create(&cpu->thread, NULL, vcpu_thread_fn, cpu);

        if (r) {
            error_setg_errno(errp, r, "failed to create vCPU thread");
            return false;
        }
        pthread_setname_np(cpu->thread, name);
        cpu->thread_started = true;
    }
    qemu_mutex_lock(&run_lock);
    pause_requested = start_paused;
    qemu_cond_broadcast(&run_cond);
    qemu_mutex_unlock(&run_lock);
    return true;
}

static void cpus_kick_all(void)
{
    for (guint i = 0; vcpus && i < vcpus->len; i++) {
        CPUState *cpu = vcpu_get(i);

        if (cpu->thread_started) {
            pthread_kill(cpu->thread, SIG_IPI);
        }
    }
}

static unsigned cpus_running_threads(void)
{
    unsigned n = 0;

    for (guint i = 0; vcpus && i < vcpus->len; i++) {
        n += vcpu_get(i)->thread_started;
    }
    return n;
}

void cpus_pause_all(void)
{
    unsigned want = cpus_running_threads();
    bool had_bql;

    qemu_mutex_lock(&run_lock);
    pause_requested = true;
    qemu_mutex_unlock(&run_lock);
    /* A kick that lands outside KVM_RUN stays pending until the next one. */
    cpus_kick_all();
    /*
     * A vCPU may be waiting for the BQL to finish an exit before it can
     * park: let it go meanwhile, as QEMU's pause_all_vcpus() waits on
     * qemu_pause_cond with the BQL.
     */
    had_bql = bql_locked();
    if (had_bql) {
        bql_unlock();
    }
    qemu_mutex_lock(&run_lock);
    while (nr_parked < want && !stop_requested) {
        qemu_cond_wait(&parked_cond, &run_lock);
    }
    qemu_mutex_unlock(&run_lock);
    if (had_bql) {
        bql_lock();
    }
}

void cpus_resume_all(void)
{
    qemu_mutex_lock(&run_lock);
    pause_requested = false;
    for (guint i = 0; vcpus && i < vcpus->len; i++) {
        vcpu_get(i)->stopped_by_guest = false;
    }
    qemu_cond_broadcast(&run_cond);
    qemu_mutex_unlock(&run_lock);
}

void cpus_reset_all(void)
{
    for (guint i = 0; vcpus && i < vcpus->len; i++) {
        Error *err = NULL;

        if (!kvm_arch_reset_vcpu(vcpu_get(i), &err)) {
            error_report_err(err);
            qemu_system_exit_request(1);
            return;
        }
    }
}

void cpus_stop_all(void)
{
    bool had_bql;

    if (!vcpus) {
        return;
    }
    qemu_mutex_lock(&run_lock);
    stop_requested = true;
    qemu_cond_broadcast(&run_cond);
    qemu_cond_broadcast(&parked_cond);
    qemu_mutex_unlock(&run_lock);
    cpus_kick_all();
    /* as in cpus_pause_all: a vCPU may need the BQL to reach its exit */
    had_bql = bql_locked();
    if (had_bql) {
        bql_unlock();
    }
    for (guint i = 0; i < vcpus->len; i++) {
        CPUState *cpu = vcpu_get(i);

        if (cpu->thread_started) {
            pthread_join(cpu->thread, NULL);
            cpu->thread_started = false;
        }
    }
    if (had_bql) {
        bql_lock();
    }
    for (guint i = 0; i < vcpus->len; i++) {
        CPUState *cpu = vcpu_get(i);

        if (cpu->run) {
            munmap(cpu->run, kvm_vcpu_mmap_size());
        }
        if (cpu->fd >= 0) {
            close(cpu->fd);
        }
        kvm_arch_destroy_vcpu(cpu);
    }
    g_ptr_array_free(vcpus, true);
    vcpus = NULL;
    nr_parked = 0;
    g_atomic_int_set(&extint_level, 0);
    pic_ack = NULL;
}
