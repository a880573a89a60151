/*
 * Run states (system/runstate.c): QEMU 7.2's names and transition table,
 * runstate_set() refusing what QEMU refuses, vm_start/vm_stop and the
 * order of their handlers, notifier lists, and the main loop carrying out
 * powerdown, shutdown (-no-shutdown, -no-reboot, signals), reset and
 * internal-error requests. No vCPUs: the pause/resume calls have nothing
 * to wait for.
 */
#include "qemu/osdep.h"
#include "system/main-loop.h"
#include "system/runstate.h"
#include <signal.h>

/* ---- names and transitions ---------------------------------------------- */

static void test_names(void)
{
    static const char *const states[] = {
        "debug", "inmigrate", "internal-error", "io-error", "paused",
        "postmigrate", "prelaunch", "finish-migrate", "restore-vm",
        "running", "save-vm", "shutdown", "suspended", "watchdog",
        "guest-panicked", "colo",
    };
    static const char *const causes[] = {
        "none", "host-error", "host-qmp-quit", "host-qmp-system-reset",
        "host-signal", "host-ui", "guest-shutdown", "guest-reset",
        "guest-panic", "subsystem-reset", "snapshot-load",
    };

    g_assert_cmpuint(ARRAY_SIZE(states), ==, RUN_STATE__MAX);
    for (int i = 0; i < RUN_STATE__MAX; i++) {
        g_assert_cmpstr(RunState_str(i), ==, states[i]);
    }
    g_assert_cmpuint(ARRAY_SIZE(causes), ==, SHUTDOWN_CAUSE__MAX);
    for (int i = 0; i < SHUTDOWN_CAUSE__MAX; i++) {
        g_assert_cmpstr(ShutdownCause_str(i), ==, causes[i]);
    }
    g_assert_cmpstr(ShutdownCause_str(SHUTDOWN_CAUSE_GUEST_RESET), ==,
                    "guest-reset");
}

typedef struct Transition {
    RunState from, to;
    bool allowed;
} Transition;

static const Transition transitions[] = {
    /* what this program does */
    { RUN_STATE_PRELAUNCH, RUN_STATE_RUNNING, true },       /* vm_start */
    { RUN_STATE_RUNNING, RUN_STATE_PAUSED, true },          /* stop */
    { RUN_STATE_PAUSED, RUN_STATE_RUNNING, true },          /* cont */
    { RUN_STATE_RUNNING, RUN_STATE_SHUTDOWN, true },        /* -no-shutdown */
    { RUN_STATE_SHUTDOWN, RUN_STATE_PRELAUNCH, true },      /* then reset */
    { RUN_STATE_RUNNING, RUN_STATE_INTERNAL_ERROR, true },
    { RUN_STATE_INTERNAL_ERROR, RUN_STATE_PRELAUNCH, true },
    { RUN_STATE_INTERNAL_ERROR, RUN_STATE_PAUSED, true },
    { RUN_STATE_RUNNING, RUN_STATE_GUEST_PANICKED, true },
    { RUN_STATE_GUEST_PANICKED, RUN_STATE_RUNNING, true },
    { RUN_STATE_RUNNING, RUN_STATE_SUSPENDED, true },
    { RUN_STATE_SUSPENDED, RUN_STATE_RUNNING, true },
    { RUN_STATE_DEBUG, RUN_STATE_SUSPENDED, true },
    { RUN_STATE_IO_ERROR, RUN_STATE_RUNNING, true },
    { RUN_STATE_COLO, RUN_STATE_SHUTDOWN, true },
    { RUN_STATE_SAVE_VM, RUN_STATE_RUNNING, true },
    /* what QEMU refuses */
    { RUN_STATE_PRELAUNCH, RUN_STATE_PAUSED, false },
    { RUN_STATE_PRELAUNCH, RUN_STATE_SHUTDOWN, false },
    { RUN_STATE_PRELAUNCH, RUN_STATE_INTERNAL_ERROR, false },
    { RUN_STATE_INTERNAL_ERROR, RUN_STATE_RUNNING, false },
    { RUN_STATE_SHUTDOWN, RUN_STATE_RUNNING, false },
    { RUN_STATE_PAUSED, RUN_STATE_SHUTDOWN, false },
    { RUN_STATE_GUEST_PANICKED, RUN_STATE_PAUSED, false },
    { RUN_STATE_SAVE_VM, RUN_STATE_PAUSED, false },
    { RUN_STATE_RUNNING, RUN_STATE_PRELAUNCH, false },
    { RUN_STATE_RUNNING, RUN_STATE_INMIGRATE, false },
    { RUN_STATE_SUSPENDED, RUN_STATE_PAUSED, false },
    { RUN_STATE_DEBUG, RUN_STATE_PAUSED, false },
};

static void test_transition_table(void)
{
    unsigned allowed = 0;

    for (size_t i = 0; i < ARRAY_SIZE(transitions); i++) {
        const Transition *t = &transitions[i];

        if (runstate_is_valid_transition(t->from, t->to) != t->allowed) {
            g_error("%s -> %s: want %s", RunState_str(t->from),
                    RunState_str(t->to), t->allowed ? "allowed" : "refused");
        }
    }
    /* QEMU 7.2 runstate_transitions_def: 72 entries, 71 distinct pairs */
    for (int f = 0; f < RUN_STATE__MAX; f++) {
        for (int t = 0; t < RUN_STATE__MAX; t++) {
            allowed += runstate_is_valid_transition(f, t);
        }
        /* no state may be entered from itself through the table */
        g_assert_false(runstate_is_valid_transition(f, f));
    }
    g_assert_cmpuint(allowed, ==, 71);
}

/* ---- handlers and notifiers ---------------------------------------------- */

static GString *calls;

static void record(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
static void record(const char *fmt, ...)
{
    va_list ap;

    if (calls->len) {
        g_string_append_c(calls, ' ');
    }
    va_start(ap, fmt);
    g_string_append_vprintf(calls, fmt, ap);
    va_end(ap);
}

static char *calls_take(void)
{
    char *s = g_strdup(calls->str);

    g_string_truncate(calls, 0);
    return s;
}

#define assert_calls(want) do { \
        g_autofree char *got_ = calls_take(); \
        g_assert_cmpstr(got_, ==, want); \
    } while (0)

static void vm_change(void *opaque, bool running, RunState state)
{
    record("%s:%s:%s", (const char *)opaque, running ? "run" : "stop",
           RunState_str(state));
}

static void test_runstate_set_and_vm_start_stop(void)
{
    VMChangeStateEntry *a, *b, *c;
    Error *err = NULL;

    g_assert_true(runstate_check(RUN_STATE_PRELAUNCH));
    g_assert_false(runstate_is_running());

    /* refused: the state stays, the error is QEMU's text */
    g_assert_false(runstate_set(RUN_STATE_SHUTDOWN, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "invalid runstate transition: 'prelaunch' -> "
                    "'shutdown'");
    g_clear_pointer(&err, error_free);
    g_assert_true(runstate_check(RUN_STATE_PRELAUNCH));
    /* the same state again is no transition */
    g_assert_true(runstate_set(RUN_STATE_PRELAUNCH, &err));

    a = qemu_add_vm_change_state_handler(vm_change, "a");
    b = qemu_add_vm_change_state_handler(vm_change, "b");
    c = qemu_add_vm_change_state_handler(vm_change, "c");
    /* stop when not running: nothing at all */
    vm_stop(RUN_STATE_PAUSED);
    assert_calls("");
    g_assert_true(runstate_check(RUN_STATE_PRELAUNCH));

    /* start: registration order; stop: reverse order, with the state */
    vm_start();
    g_assert_true(runstate_is_running());
    assert_calls("a:run:running b:run:running c:run:running");
    vm_start();
    assert_calls("");
    vm_stop(RUN_STATE_PAUSED);
    g_assert_true(runstate_check(RUN_STATE_PAUSED));
    assert_calls("c:stop:paused b:stop:paused a:stop:paused");
    qemu_del_vm_change_state_handler(b);
    vm_start();
    assert_calls("a:run:running c:run:running");
    g_assert_false(runstate_set(RUN_STATE_PRELAUNCH, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "invalid runstate transition: 'running' -> "
                    "'prelaunch'");
    g_clear_pointer(&err, error_free);
    g_assert_true(runstate_is_running());
    qemu_del_vm_change_state_handler(a);
    qemu_del_vm_change_state_handler(c);
    vm_stop(RUN_STATE_PAUSED);
    assert_calls("");
    vm_start();
    g_assert_true(runstate_is_running());
}

typedef struct Listener {
    Notifier n;
    const char *name;
    bool remove_self;
} Listener;

static void listener_notify(Notifier *n, void *data)
{
    Listener *l = container_of(n, Listener, n);

    if (data) {
        record("%s:%s", l->name, ShutdownCause_str(*(ShutdownCause *)data));
    } else {
        record("%s", l->name);
    }
    if (l->remove_self) {
        notifier_remove(n);
    }
}

static void test_notifier_list(void)
{
    NotifierList list = NOTIFIER_LIST_INITIALIZER;
    Listener l1 = { { listener_notify }, "one", false };
    Listener l2 = { { listener_notify }, "two", true };
    Listener l3 = { { listener_notify }, "three", false };

    notifier_list_add(&list, &l1.n);
    notifier_list_add(&list, &l2.n);
    notifier_list_add(&list, &l3.n);
    /* newest first, as QEMU's QLIST_INSERT_HEAD; "two" leaves while called */
    notifier_list_notify(&list, NULL);
    assert_calls("three two one");
    notifier_list_notify(&list, NULL);
    assert_calls("three one");
    notifier_remove(&l3.n);
    notifier_remove(&l3.n);
    notifier_list_notify(&list, NULL);
    assert_calls("one");
    notifier_remove(&l1.n);
    notifier_list_notify(&list, NULL);
    assert_calls("");
}

/* ---- the main loop ------------------------------------------------------ */

/* set: the next reset posts a request and iterates the loop, as a
 * reset's blk_drain does */
static bool reset_iterates;

static void machine_reset(void)
{
    record("machine-reset");
    if (reset_iterates) {
        reset_iterates = false;
        qemu_system_powerdown_request();
        main_loop_wait(true);
        record("reset-done");
    }
}

/* Ends the main loop from inside it, once the request was handled. */
static void exit_after(void *opaque, bool running, RunState state)
{
    record("vm:%s:%s", running ? "run" : "stop", RunState_str(state));
    qemu_system_exit_request(GPOINTER_TO_INT(opaque));
}

static void powerdown_exit(Notifier *n, void *data)
{
    record("powerdown");
    qemu_system_exit_request(5);
}

static gpointer post_internal_error(gpointer unused)
{
    /* as a vCPU thread does on KVM_EXIT_INTERNAL_ERROR */
    qemu_system_vmstop_request(RUN_STATE_INTERNAL_ERROR);
    return NULL;
}

static void test_main_loop(void)
{
    Listener shutdown = { { listener_notify }, "shutdown", false };
    Listener reset = { { listener_notify }, "reset", false };
    Notifier powerdown = { powerdown_exit };
    VMChangeStateEntry *e;
    GThread *t;

    qemu_init_signals();
    /* as qemu_main: the main thread holds the BQL, the loop drops it to poll */
    qemu_init_main_loop();
    bql_lock();
    qemu_register_machine_reset(machine_reset);
    qemu_register_shutdown_notifier(&shutdown.n);
    qemu_register_reset_notifier(&reset.n);
    qemu_register_powerdown_notifier(&powerdown);
    vm_start();
    g_assert_true(runstate_is_running());

    /* a powerdown request reaches its notifier, the VM keeps running */
    qemu_system_powerdown_request();
    g_assert_cmpint(qemu_main_loop(), ==, 5);
    assert_calls("powerdown");
    g_assert_true(runstate_is_running());

    /* a guest reset: the board, then the reset notifiers; still running */
    qemu_system_reset_request(SHUTDOWN_CAUSE_GUEST_RESET);
    qemu_system_exit_request(0);
    g_assert_cmpint(qemu_main_loop(), ==, 0);
    assert_calls("");       /* the exit request goes first */
    qemu_system_reset_request(SHUTDOWN_CAUSE_GUEST_RESET);
    qemu_system_powerdown_request();
    g_assert_cmpint(qemu_main_loop(), ==, 5);
    assert_calls("machine-reset reset:guest-reset powerdown");
    g_assert_true(runstate_is_running());

    /* -no-shutdown: the notifiers, then stopped in state shutdown */
    shutdown_action = SHUTDOWN_ACTION_PAUSE;
    e = qemu_add_vm_change_state_handler(exit_after, GINT_TO_POINTER(3));
    qemu_system_shutdown_request(SHUTDOWN_CAUSE_GUEST_SHUTDOWN);
    g_assert_cmpint(qemu_main_loop(), ==, 3);
    qemu_del_vm_change_state_handler(e);
    assert_calls("shutdown:guest-shutdown vm:stop:shutdown");
    g_assert_true(runstate_check(RUN_STATE_SHUTDOWN));

    /* a reset of a stopped VM leaves it in prelaunch, not running */
    qemu_system_reset_request(SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET);
    qemu_system_powerdown_request();
    g_assert_cmpint(qemu_main_loop(), ==, 5);
    assert_calls("machine-reset reset:host-qmp-system-reset powerdown");
    g_assert_true(runstate_check(RUN_STATE_PRELAUNCH));

    /* a signal ends the program even with -no-shutdown; no powerdown */
    vm_start();
    qemu_system_killed(SIGTERM, 0);
    g_assert_cmpint(qemu_main_loop(), ==, 0);
    assert_calls("shutdown:host-signal");
    g_assert_true(runstate_is_running());

    /*
     * ... even when the guest's triple fault (-no-reboot: a shutdown)
     * overwrites the cause before the loop handles the signal: not a
     * pause (the stop would end the loop with 7 here; the run, never)
     */
    shutdown_action = SHUTDOWN_ACTION_PAUSE;
    reboot_action = REBOOT_ACTION_SHUTDOWN;
    e = qemu_add_vm_change_state_handler(exit_after, GINT_TO_POINTER(7));
    qemu_system_killed(SIGTERM, 0);
    qemu_system_reset_request(SHUTDOWN_CAUSE_GUEST_RESET);
    g_assert_cmpint(qemu_main_loop(), ==, 0);
    qemu_del_vm_change_state_handler(e);
    assert_calls("shutdown:guest-reset");
    g_assert_true(runstate_is_running());
    reboot_action = REBOOT_ACTION_RESET;

    /* the mux's Ctrl-A x (QEMU's qmp_quit): ends even with -no-shutdown */
    qemu_system_quit_request();
    g_assert_cmpint(qemu_main_loop(), ==, 0);
    assert_calls("shutdown:host-qmp-quit");
    g_assert_true(shutdown_action == SHUTDOWN_ACTION_POWEROFF);

    /* -no-reboot: a guest reset is a shutdown; a subsystem reset is not */
    reboot_action = REBOOT_ACTION_SHUTDOWN;
    qemu_system_reset_request(SHUTDOWN_CAUSE_GUEST_RESET);
    g_assert_cmpint(qemu_main_loop(), ==, 0);
    assert_calls("shutdown:guest-reset");
    qemu_system_reset_request(SHUTDOWN_CAUSE_SUBSYSTEM_RESET);
    qemu_system_powerdown_request();
    g_assert_cmpint(qemu_main_loop(), ==, 5);
    assert_calls("machine-reset reset:subsystem-reset powerdown");
    reboot_action = REBOOT_ACTION_RESET;

    /* a request posted while one is handled (its handler iterating the
     * loop) is handled after it */
    reset_iterates = true;
    qemu_system_reset_request(SHUTDOWN_CAUSE_GUEST_RESET);
    g_assert_cmpint(qemu_main_loop(), ==, 5);
    assert_calls("machine-reset reset-done reset:guest-reset powerdown");
    g_assert_true(runstate_is_running());

    /* a vCPU's internal error: stopped in internal-error, then exit 1 */
    e = qemu_add_vm_change_state_handler(vm_change, "vm");
    t = g_thread_new("vcpu", post_internal_error, NULL);
    g_thread_join(t);
    g_assert_cmpint(qemu_main_loop(), ==, 1);
    assert_calls("vm:stop:internal-error");
    g_assert_true(runstate_check(RUN_STATE_INTERNAL_ERROR));
    qemu_del_vm_change_state_handler(e);

    notifier_remove(&shutdown.n);
    notifier_remove(&reset.n);
    notifier_remove(&powerdown);
    bql_unlock();
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    calls = g_string_new("");
    g_test_add_func("/runstate/names", test_names);
    g_test_add_func("/runstate/transition-table", test_transition_table);
    g_test_add_func("/runstate/notifier-list", test_notifier_list);
    /* in this order: they share the one run state */
    g_test_add_func("/runstate/set-and-vm-start-stop",
                    test_runstate_set_and_vm_start_stop);
    g_test_add_func("/runstate/main-loop", test_main_loop);
    return g_test_run();
}
