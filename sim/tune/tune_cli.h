/* SPDX-License-Identifier: GPL-2.0 */
/*
 * scxsim --tune and --sweep as the command line hands them over: the
 * options already checked (sim/options.c), the traces still to read.
 */
#ifndef SCX_SIM_TUNE_TUNE_CLI_H
#define SCX_SIM_TUNE_TUNE_CLI_H

#include "sim/options.h"

/* Exit status (0, 1, 2); the one line of complaint is printed. */
int cli_tune(struct cli *c);
int cli_sweep(struct cli *c);

#endif /* SCX_SIM_TUNE_TUNE_CLI_H */
