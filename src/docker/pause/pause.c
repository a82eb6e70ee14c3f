/* pause: the per-run network sandbox's process (like Kubernetes' pause container).
 * Sleeps until SIGTERM or SIGINT, then exits 0. Built static (-static -Os) so the image
 * needs nothing but this file; its bytes are embedded into kfrun_docker at build time. */
#include <signal.h>
#include <string.h>
#include <unistd.h>

static void on_stop(int signal_number) {
    (void)signal_number;
    _exit(0);
}

int main(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_stop;
    sigemptyset(&action.sa_mask);
    if (sigaction(SIGTERM, &action, NULL) != 0 || sigaction(SIGINT, &action, NULL) != 0) {
        return 1;
    }
    for (;;) {
        pause();
    }
}
