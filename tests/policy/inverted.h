/* SPDX-License-Identifier: GPL-2.0 */
/* The deliberately broken policy of the budget tests (tests/policy/inverted.c). */
#ifndef SCX_TESTS_POLICY_INVERTED_H
#define SCX_TESTS_POLICY_INVERTED_H

#include "policy/policy.h"

extern const struct policy_ops policy_inverted_ops;

#endif
