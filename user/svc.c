/*
 * svc: shows and controls the services the supervisor (svcmgr) runs.
 *
 *   svc list            each service: name, pid, state, restarts, uptime, why it last ended
 *   svc start NAME      start a stopped or failed service
 *   svc stop NAME       end it and leave it down
 *   svc restart NAME    end it and start it again at once
 *   svc crash NAME      fault injection: the driver faults on its next request
 *   svc hang NAME       hang injection: the driver stops answering (the ping notices)
 */
#include <ember.h>
#include <service.h>
#include <stdio.h>
#include <string.h>

static const struct {
    const char *word;
    uint32_t op;
} commands[] = {
    { "start", SVCMGR_START }, { "stop", SVCMGR_STOP }, { "restart", SVCMGR_RESTART },
    { "crash", SVCMGR_CRASH }, { "hang", SVCMGR_HANG },
};

static int usage(void)
{
    printf("usage: svc list | svc start|stop|restart|crash|hang NAME\n");
    return 2;
}

int main(int argc, char **argv)
{
    static char text[SVC_DATA_MAX + 1];
    struct svc_conn mgr = { SVCMGR_PORT_NAME, 0 };
    long r;

    if (argc == 2 && strcmp(argv[1], "list") == 0) {
        r = svc_call(&mgr, SVCMGR_LIST, NULL, 0, 0, text, SVC_DATA_MAX);
        if (r >= 0)
            printf("NAME      PID STATE    RST  UPTIME(s) LAST END\n%s", text);
    } else if (argc == 3) {
        size_t i = 0;
        while (i < sizeof commands / sizeof commands[0] && strcmp(commands[i].word, argv[1]) != 0)
            i++;
        if (i == sizeof commands / sizeof commands[0])
            return usage();
        r = svc_call(&mgr, commands[i].op, argv[2], (uint32_t)strlen(argv[2]), 0, NULL, 0);
    } else {
        return usage();
    }
    if (r < 0)
        printf("svc: %s\n", r == E_NOTFOUND && argc == 3 ? "no such service (or no svcmgr)" : errstr(r));
    return r < 0 ? 1 : 0;
}
