// SPDX-License-Identifier: GPL-2.0
/*
 * scxlive's options. The parser lives in liblive (not in main.c, which
 * needs the BPF skeleton) so tests can drive it. -P may come after -p, so
 * the KEY=VALUE list is kept and checked once the policy is known.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "live/args.h"

const char live_help_fmt[] =
"A sched_ext scheduler whose every decision is taken in user space by a\n"
"policy from policy/ (the same code scxsim replays traces with).\n"
"\n"
"Usage: %s [-P POLICY] [-p KEY=VALUE]... [--stats SECS] [--partial]\n"
"          [--ring-kib N] [-v]\n"
"\n"
"  -P, --policy POLICY   policy to run (default " LIVE_DEFAULT_POLICY ")\n"
"  -p, --param KEY=VALUE set a policy parameter (repeatable)\n"
"  -s, --stats SECS      print a stats line every SECS seconds (default 1,\n"
"                        0 for none; fractions allowed)\n"
"      --partial         schedule only SCHED_EXT tasks (SCX_OPS_SWITCH_PARTIAL)\n"
"      --ring-kib N      size of the kernel -> daemon ring in KiB, a power of\n"
"                        two from 4 (default 1024); when it is full the kernel\n"
"                        queues tasks itself (congested): small rings test that\n"
"  -v, --verbose         show libbpf's messages\n"
"  -l, --list-policies   list policies and their parameters\n"
"  -V, --version         print the version\n"
"  -h, --help            this text\n"
"\n"
"SIGINT/SIGTERM detach cleanly (exit 0); exit 1 when the kernel ejected\n"
"the scheduler, 2 on a usage or environment error.\n";

static const struct option long_opts[] = {
	{ "policy",		required_argument,	NULL, 'P' },
	{ "param",		required_argument,	NULL, 'p' },
	{ "stats",		required_argument,	NULL, 's' },
	{ "partial",		no_argument,		NULL, 'x' },
	{ "ring-kib",		required_argument,	NULL, 'R' },
	{ "verbose",		no_argument,		NULL, 'v' },
	{ "list-policies",	no_argument,		NULL, 'l' },
	{ "version",		no_argument,		NULL, 'V' },
	{ "help",		no_argument,		NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

/* Seconds (a bare number, fractions allowed) or a duration with a unit. */
static int parse_secs(const char *s, unsigned int *ms)
{
	uint64_t ns;

	if (policy_parse_duration(s, 1000000000ull, &ns) ||
	    ns > 86400ull * 1000000000ull)
		return -1;
	*ms = (unsigned int)((ns + 500000) / 1000000);
	if (ns && !*ms)
		*ms = 1;
	return 0;
}

int live_args_parse(struct live_args *a, int argc, char **argv,
		    char *err, size_t errlen)
{
	const char *policy = LIVE_DEFAULT_POLICY;
	struct policy_conf conf;
	int opt;

	memset(a, 0, sizeof(*a));
	a->stats_ms = 1000;
	a->ring_kib = 1024;
	opterr = 0;
	optind = 0;	/* glibc: full reset, so tests may parse repeatedly */
	while ((opt = getopt_long(argc, argv, "+P:p:s:vlVh", long_opts, NULL)) != -1) {
		switch (opt) {
		case 'P':
			policy = optarg;
			break;
		case 'p':
			if (a->nr_kv == LIVE_MAX_KV) {
				snprintf(err, errlen, "too many -p options (at most %d)",
					 LIVE_MAX_KV);
				return -1;
			}
			a->kv[a->nr_kv++] = optarg;
			break;
		case 's':
			if (parse_secs(optarg, &a->stats_ms)) {
				snprintf(err, errlen,
					 "--stats: '%s' is not a number of seconds", optarg);
				return -1;
			}
			break;
		case 'x':
			a->partial = true;
			break;
		case 'R': {
			char *end;
			unsigned long v = strtoul(optarg, &end, 10);

			if (end == optarg || *end || v < 4 || v > (1UL << 20) ||
			    (v & (v - 1))) {
				snprintf(err, errlen, "--ring-kib: '%s' is not a power "
					 "of two from 4 to 1048576", optarg);
				return -1;
			}
			a->ring_kib = (unsigned int)v;
			break;
		}
		case 'v':
			a->verbose = true;
			break;
		case 'l':
			a->list_policies = true;
			break;
		case 'V':
			a->version = true;
			break;
		case 'h':
			a->help = true;
			break;
		default:
			if (optopt && strchr("Pps", optopt))
				snprintf(err, errlen, "option -%c needs an argument", optopt);
			else if (optopt)
				snprintf(err, errlen, "unknown option -%c (see --help)", optopt);
			else
				snprintf(err, errlen, "unknown or incomplete option '%s' (see --help)",
					 argv[optind - 1]);
			return -1;
		}
	}
	if (optind < argc) {
		snprintf(err, errlen, "unexpected argument '%s'", argv[optind]);
		return -1;
	}
	if (a->help || a->version || a->list_policies)
		return 0;
	a->ops = policy_find(policy);
	if (!a->ops) {
		snprintf(err, errlen, "unknown policy '%s' (see --list-policies)", policy);
		return -1;
	}
	policy_conf_defaults(&conf, a->ops, 1, 1);
	return live_args_conf(a, &conf, err, errlen);
}

int live_args_conf(const struct live_args *a, struct policy_conf *conf,
		   char *err, size_t errlen)
{
	for (int i = 0; i < a->nr_kv; i++) {
		const struct policy_param *bad = NULL;
		int ret = policy_conf_set(conf, a->ops, a->kv[i], &bad);

		if (ret) {
			snprintf(err, errlen, "-p %s: %s%s%s (policy %s)", a->kv[i],
				 policy_strerror(ret), bad ? " for " : "",
				 bad ? bad->name : "", a->ops->name);
			return -1;
		}
	}
	return 0;
}
