/*
 * Notifier lists (include/qemu/notify.h), as QEMU 7.2 util/notify.c.
 */
#include "qemu/osdep.h"
#include "qemu/notify.h"

void notifier_list_add(NotifierList *list, Notifier *notifier)
{
    notifier->next = list->head;
    if (list->head) {
        list->head->pprev = &notifier->next;
    }
    list->head = notifier;
    notifier->pprev = &list->head;
}

void notifier_remove(Notifier *notifier)
{
    if (!notifier->pprev) {
        return;
    }
    if (notifier->next) {
        notifier->next->pprev = notifier->pprev;
    }
    *notifier->pprev = notifier->next;
    notifier->next = NULL;
    notifier->pprev = NULL;
}

void notifier_list_notify(NotifierList *list, void *data)
{
    Notifier *n = list->head;

    while (n) {
        /* read first: the callback may remove n */
        Notifier *next = n->next;

        n->notify(n, data);
        n = next;
    }
}
