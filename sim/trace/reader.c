// SPDX-License-Identifier: GPL-2.0
/*
 * What every reader shares below trace.c: the one way to fail, a message
 * in r->err, and a child process to try what a library may crash on. Kept
 * apart so trace.c (which opens the readers) stands above them and no
 * reader calls back up into it.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sim/trace/reader.h"

int rerr(struct trace_reader *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->err, sizeof(r->err), fmt, ap);
	va_end(ap);
	return -1;
}

int reader_probe(int (*try)(void *arg), void *arg)
{
	pid_t pid = fork();
	int st;

	if (pid < 0)
		return 0;	/* cannot probe: let the real call decide */
	if (!pid) {
		int null = open("/dev/null", O_WRONLY);

		/* it prints on its way down; the parent reports in one line */
		if (null >= 0)
			dup2(null, 2);
		/* die quietly: no sanitizer or fuzzer crash report for it */
		signal(SIGSEGV, SIG_DFL);
		signal(SIGBUS, SIG_DFL);
		signal(SIGFPE, SIG_DFL);
		_exit(try(arg) ? 1 : 0);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return 0;
	if (WIFSIGNALED(st))
		return -2;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}
