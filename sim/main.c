// SPDX-License-Identifier: GPL-2.0
/* scxsim: replay a scheduler trace under policies; the work is in sim/cli.c. */
#include "sim/cli.h"

int main(int argc, char **argv)
{
	return scxsim_main(argc, argv, NULL);
}
