/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the perf.data reader: its state and the four parts that share it.
 * perf.c streams the data section and releases records in order,
 * perf_header.c reads the attrs and feature sections (the tracepoint
 * formats), perf_record.c decodes one record, perf_order.c restores the
 * global time order perf's per-CPU buffers lose, perf_comm.c remembers
 * each tid's comm for fork inheritance.
 */
#ifndef SCX_SIM_TRACE_PERF_H
#define SCX_SIM_TRACE_PERF_H

#include <string.h>

#include "sim/trace/reader.h"

#define PERF_HEADER_SIZE	104
#define PERF_TYPE_TRACEPOINT	2

#define PERF_RECORD_LOST	2
#define PERF_RECORD_COMM	3
#define PERF_RECORD_FORK	7
#define PERF_RECORD_SAMPLE	9
#define PERF_RECORD_LOST_SAMPLES 13
#define PERF_RECORD_FINISHED_ROUND 68
#define PERF_RECORD_AUXTRACE	71
#define PERF_RECORD_COMPRESSED	81
#define PERF_RECORD_COMPRESSED2	83

#define S_IP		(1ull << 0)
#define S_TID		(1ull << 1)
#define S_TIME		(1ull << 2)
#define S_ADDR		(1ull << 3)
#define S_READ		(1ull << 4)
#define S_CALLCHAIN	(1ull << 5)
#define S_ID		(1ull << 6)
#define S_CPU		(1ull << 7)
#define S_PERIOD	(1ull << 8)
#define S_STREAM_ID	(1ull << 9)
#define S_RAW		(1ull << 10)
#define S_IDENTIFIER	(1ull << 16)

#define F_TOTAL_TIME_ENABLED	(1ull << 0)
#define F_TOTAL_TIME_RUNNING	(1ull << 1)
#define F_ID			(1ull << 2)
#define F_GROUP			(1ull << 3)
#define F_LOST			(1ull << 4)

#define FEAT_TRACING_DATA	1
#define FEAT_OSRELEASE		4
#define FEAT_NRCPUS		7
#define FEAT_BITS		256

/* Internal queue type: a fork whose child inherits comm when released. */
#define SEV_PERF_FORK		0x7fff

#define MAX_ATTRS		4096
#define MAX_IDS			(1u << 20)
#define MAX_TRACING_DATA	(256u << 20)

struct attr {
	uint32_t type;
	uint64_t sample_type, read_format;
	/*
	 * Without READ and CALLCHAIN every field of its samples lies at a
	 * fixed offset: where TIME, CPU and the RAW size are (raw_off -1:
	 * walk the fields instead). Set by attr_layout().
	 */
	int32_t time_off, cpu_off, raw_off;
};

/* perf_record.c: attr's fixed offsets, from its sample_type. */
void attr_layout(struct attr *a);

struct id_map {
	uint64_t id;
	uint32_t attr;
};

struct qev {
	struct sched_event ev;
	uint64_t seq;
};

struct cpuq {
	struct qev *v;
	size_t head, tail, cap;
	uint64_t last_ts;
};

#define MAX_QUEUES	4096

/*
 * perf_order.c: per-CPU FIFOs (each already in time order) merged, plus a
 * spill heap for records out of order on their CPU.
 */
struct perf_order {
	struct cpuq *qs;
	uint32_t nqs;
	size_t pending, pending_peak;
	struct qev *heap;
	size_t nheap, capheap;
	uint64_t seq, max_ts, next_flush, release_limit;
	bool draining;		/* end of data: release everything */
	/*
	 * The last release found no record due (none at or before
	 * release_limit), and none has been queued or become due since:
	 * the next release would find the same, so it is not tried. A
	 * release is tried once per record read otherwise, and between two
	 * rounds almost every record read is newer than the limit.
	 */
	bool none_due;
};

/* Queue a record; -1 out of memory. */
int order_push(struct perf_order *o, const struct sched_event *ev);
/* The least pending record: its queue (NULL: the spill heap), or none. */
const struct qev *order_peek(struct perf_order *o, struct cpuq **from);
void order_pop(struct perf_order *o, struct cpuq *from, struct sched_event *ev);
void order_free(struct perf_order *o);

/* perf_comm.c: tid -> comm, sorted by tid. */
struct comm_slot {
	int32_t tid;
	char comm[TRACE_COMM_LEN];
};

struct perf_comms {
	struct comm_slot *v;
	size_t n, cap;
};

/* The slot of tid (added empty if add; NULL if absent or out of memory). */
struct comm_slot *comm_find(struct perf_comms *t, int32_t tid, bool add);
void comm_free(struct perf_comms *t);

/* Sample ids recently looked up (perf record -e 'sched:*' has dozens). */
#define ID_CACHE	64

struct perf {
	struct attr *attrs;
	uint32_t nattrs;
	bool same_type;		/* every attr has the same sample_type */
	bool sample_id_all;
	struct id_map *ids;
	size_t nids;
	struct id_map id_cache[ID_CACHE];	/* by id % ID_CACHE; attr
						   UINT32_MAX: empty */
	uint64_t data_off, data_end;
	struct tep_handle *tep;
	struct sched_decoder dec;
	struct perf_order ord;
	/* comm of every tid seen in COMM records, for fork inheritance */
	struct perf_comms comms;
	int32_t max_cpu;
};

static inline uint64_t rd64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

static inline uint32_t rd32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

/* perf_header.c: 0, or -1 with r->err set. */
int perf_read_attrs(struct trace_reader *r, struct perf *p,
		    const unsigned char *hdr);
int perf_read_features(struct trace_reader *r, struct perf *p,
		       const unsigned char *hdr);
/* qsort/bsearch order of struct id_map. */
int perf_cmp_id(const void *a, const void *b);

/* perf_record.c: decode one record (b[0..n) after its header), queueing
 * what it yields; 0, or -1 with r->err set. */
int perf_do_record(struct trace_reader *r, struct perf *p, uint32_t type,
		   const unsigned char *b, size_t n);

#endif /* SCX_SIM_TRACE_PERF_H */
