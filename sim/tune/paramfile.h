/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Parameter files, the form --tune writes its winner in and `-p @FILE`
 * reads: one POLICY.KEY=VALUE per line, as -p takes it, blank lines and
 * lines whose first non-blank is # ignored, surrounding blanks trimmed (a
 * # after an item is part of it). scxlive -p @FILE walks the lines the
 * same way (policy_param_next), so a tuned configuration moves from the
 * replay to the live scheduler unchanged.
 */
#ifndef SCX_SIM_TUNE_PARAMFILE_H
#define SCX_SIM_TUNE_PARAMFILE_H

#include <stddef.h>

/*
 * The file's settings, in order: *n strings in one allocation (free the
 * returned pointer). NULL on error with a one-line reason in err
 * ("line 3: ..."), *n untouched.
 */
char **paramfile_load(const char *path, size_t *n, char *err, size_t errlen);

/*
 * A small text file whole (at most 1 MB, no NUL), NUL-ended, its length in
 * *len: what parameter files and sweep specs are read with. NULL with a
 * reason in err.
 */
char *paramfile_slurp(const char *path, size_t *len, char *err,
		      size_t errlen);

#endif /* SCX_SIM_TUNE_PARAMFILE_H */
