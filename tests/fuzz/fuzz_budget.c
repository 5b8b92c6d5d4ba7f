// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the policy budget reader (tests/policy/budget.c). The
 * input is a .budget file; a file that does not parse must be refused with
 * one message, never half-read, overflowed or leaked.
 */
#include <sys/mman.h>

#include "tests/fuzz/fuzz.h"
#include "tests/policy/budget.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct budget_file bf;
	char path[64], err[512];
	int fd = memfd_create("budget", MFD_CLOEXEC);

	if (fd < 0)
		return 0;
	if (size && write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	memset(&bf, 0, sizeof(bf));
	if (budget_read(path, &bf, err, sizeof(err)) == 0)
		budget_free(&bf);
	else if (!err[0])
		__builtin_trap();	/* refused without saying why */
	close(fd);
	return 0;
}
