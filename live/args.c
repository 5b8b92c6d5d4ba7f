// SPDX-License-Identifier: GPL-2.0
/*
 * scxlive's options. The parser lives in liblive (not in main.c, which
 * needs the BPF skeleton) so tests can drive it. -P may come after -p, so
 * the KEY=VALUE list is kept and checked once the policy is known.
 *
 * -p @FILE reads the parameter file format policy_param_next() defines,
 * the one scxsim -p @FILE reads too: its items join the list where the
 * option stood, each remembering its file and line for the error message.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "live/args.h"

const char live_help_fmt[] =
"A sched_ext scheduler whose every decision is taken in user space by a\n"
"policy from policy/ (the same code scxsim replays traces with).\n"
"\n"
"Usage: %s [-P POLICY] [-p KEY=VALUE|@FILE]... [--stats SECS] [--partial]\n"
"          [--ring-kib N] [-v]\n"
"\n"
"  -P, --policy POLICY   policy to run (default " LIVE_DEFAULT_POLICY ")\n"
"  -p, --param KEY=VALUE set a policy parameter (repeatable; POLICY.KEY=VALUE\n"
"                        too, for the policy that runs)\n"
"  -p @FILE              the same, one a line from FILE ('#' lines: comments)\n"
"  -s, --stats SECS      print a stats line every SECS seconds (default 1,\n"
"                        0 for none; fractions allowed)\n"
"      --stats-socket PATH  serve scx_stats' JSON protocol there (default\n"
"                        " LIVE_STATS_SOCKET "; '' for none)\n"
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
	{ "stats-socket",	required_argument,	NULL, 'S' },
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

static int add_kv(struct live_args *a, const char *text, const char *file,
		  unsigned int line, char *err, size_t errlen)
{
	if (a->nr_kv == LIVE_MAX_KV) {
		snprintf(err, errlen, "too many -p items (at most %d)", LIVE_MAX_KV);
		return -1;
	}
	a->kv[a->nr_kv++] = (struct live_kv){ .text = text, .file = file,
					      .line = line };
	return 0;
}

/* Slurp FILE (bounded) into buf; its length, or -1 with err filled. */
static long slurp(const char *path, char *buf, size_t size, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f) {
		snprintf(err, errlen, "-p @%s: %s", path, strerror(errno));
		return -1;
	}
	n = fread(buf, 1, size, f);
	if (ferror(f) || n == size) {
		snprintf(err, errlen, "-p @%s: %s", path, ferror(f) ?
			 "read error" : "too large for a parameter file");
		fclose(f);
		return -1;
	}
	fclose(f);
	if (memchr(buf, '\0', n)) {
		snprintf(err, errlen, "-p @%s: not a text file (holds a NUL byte)", path);
		return -1;
	}
	return (long)n;
}

/* Each item of the file, copied NUL-ended into a->kv_text. */
static int read_param_file(struct live_args *a, const char *path,
			   char *err, size_t errlen)
{
	static char buf[LIVE_KV_FILE_MAX];
	long len = slurp(path, buf, sizeof(buf), err, errlen);
	const char *item;
	unsigned int line = 0;
	size_t pos = 0, n;

	if (len < 0)
		return -1;
	while ((n = policy_param_next(buf, (size_t)len, &pos, &line, &item))) {
		char *dst = a->kv_text + a->kv_used;

		if (a->kv_used + n + 1 > sizeof(a->kv_text)) {
			snprintf(err, errlen, "%s:%u: too many parameters in -p files",
				 path, line);
			return -1;
		}
		memcpy(dst, item, n);
		dst[n] = '\0';
		a->kv_used += n + 1;
		if (add_kv(a, dst, path, line, err, errlen))
			return -1;
	}
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
	a->stats_socket = LIVE_STATS_SOCKET;
	a->ring_kib = 1024;
	opterr = 0;
	optind = 0;	/* glibc: full reset, so tests may parse repeatedly */
	while ((opt = getopt_long(argc, argv, "+P:p:s:vlVh", long_opts, NULL)) != -1) {
		switch (opt) {
		case 'P':
			policy = optarg;
			break;
		case 'p':
			if (optarg[0] == '@' ? read_param_file(a, optarg + 1, err, errlen) :
			    add_kv(a, optarg, NULL, 0, err, errlen))
				return -1;
			break;
		case 'S':
			a->stats_socket = optarg;
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
			if (optopt && strchr("PpsS", optopt))
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

/*
 * POLICY.KEY=VALUE names the policy it is meant for: only the one that runs
 * takes it, so a file tuned for another policy fails loudly, as it does in
 * scxsim. Returns the KEY=VALUE part, or NULL with err filled.
 */
static const char *own_item(const struct live_args *a, const char *text,
			    char *err, size_t errlen)
{
	const char *eq = strchr(text, '='), *dot = strchr(text, '.');
	size_t len;

	if (!dot || (eq && dot > eq))
		return text;
	len = (size_t)(dot - text);
	if (strlen(a->ops->name) == len && !strncmp(a->ops->name, text, len))
		return dot + 1;
	snprintf(err, errlen, "%s: policy '%.*s' is not the one that runs "
		 "(-P %s)", text, (int)len, text, a->ops->name);
	return NULL;
}

int live_args_conf(const struct live_args *a, struct policy_conf *conf,
		   char *err, size_t errlen)
{
	for (int i = 0; i < a->nr_kv; i++) {
		const struct live_kv *kv = &a->kv[i];
		const struct policy_param *bad = NULL;
		char where[160] = "-p ", why[200];
		const char *item;
		int ret = 0;

		if (kv->file)
			snprintf(where, sizeof(where), "%s:%u: ", kv->file, kv->line);
		item = own_item(a, kv->text, why, sizeof(why));
		if (item)
			ret = policy_conf_set(conf, a->ops, item, &bad);
		if (item && !ret)
			continue;
		if (item)
			snprintf(why, sizeof(why), "%s: %s%s%s (policy %s)", kv->text,
				 policy_strerror(ret), bad ? " for " : "",
				 bad ? bad->name : "", a->ops->name);
		snprintf(err, errlen, "%s%s", where, why);
		return -1;
	}
	return 0;
}
