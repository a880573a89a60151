/*
 * Notifier lists: callbacks a subsystem fires on an event (reset,
 * shutdown, powerdown), registered by whoever cares.
 * As QEMU 7.2 include/qemu/notify.h: the notifier is embedded in its
 * user's state, a list runs its newest notifier first (QLIST_INSERT_HEAD),
 * and a notifier may remove itself while being called.
 */
#ifndef QEMU_NOTIFY_H
#define QEMU_NOTIFY_H

typedef struct Notifier Notifier;

struct Notifier {
    void (*notify)(Notifier *notifier, void *data);
    Notifier *next;             /* private to the list */
    Notifier **pprev;           /* private: the link pointing at us */
};

typedef struct NotifierList {
    Notifier *head;
} NotifierList;

#define NOTIFIER_LIST_INITIALIZER { NULL }

void notifier_list_add(NotifierList *list, Notifier *notifier);
/* Unlinks notifier from whatever list holds it (no-op when in none). */
void notifier_remove(Notifier *notifier);
void notifier_list_notify(NotifierList *list, void *data);

#endif
