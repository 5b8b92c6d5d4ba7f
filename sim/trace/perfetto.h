/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Field numbers of the Perfetto trace protos that scxsim writes and reads,
 * copied from google/perfetto (protos/perfetto/trace/trace.proto,
 * trace_packet.proto, ftrace/ftrace_event_bundle.proto,
 * ftrace/ftrace_event.proto, ftrace/sched.proto, common/system_info.proto).
 * Field numbers never change in a proto, so a file written with these
 * opens in any ui.perfetto.dev and decodes with `protoc --decode_raw`.
 */
#ifndef SCX_SIM_TRACE_PERFETTO_H
#define SCX_SIM_TRACE_PERFETTO_H

/* Trace */
#define PF_TRACE_PACKET			1

/* TracePacket */
#define PF_PACKET_FTRACE_EVENTS		1	/* FtraceEventBundle */
#define PF_PACKET_TIMESTAMP		8
#define PF_PACKET_SEQUENCE_ID		10	/* trusted_packet_sequence_id */
#define PF_PACKET_SYSTEM_INFO		45
#define PF_PACKET_TRACE_CONFIG		33

/* TraceConfig.data_sources -> DataSource.config -> DataSourceConfig */
#define PF_CONFIG_DATA_SOURCES		2
#define PF_DATA_SOURCE_CONFIG		1
#define PF_DS_CONFIG_NAME		1
#define PF_DS_CONFIG_FTRACE		100
#define PF_FTRACE_CONFIG_EVENTS		1	/* "sched/sched_waking", ... */

/* SystemInfo, Utsname */
#define PF_SYSINFO_UTSNAME		1
#define PF_SYSINFO_NUM_CPUS		8
#define PF_UTSNAME_SYSNAME		1
#define PF_UTSNAME_RELEASE		3

/* FtraceEventBundle */
#define PF_BUNDLE_CPU			1
#define PF_BUNDLE_EVENT			2
#define PF_BUNDLE_LOST_EVENTS		3
#define PF_BUNDLE_COMPACT_SCHED		4

/* FtraceEvent: common fields, then the oneof of event payloads */
#define PF_EV_TIMESTAMP			1
#define PF_EV_PID			2	/* current task (common_pid) */
#define PF_EV_COMMON_FLAGS		5
#define PF_EV_SCHED_SWITCH		4
#define PF_EV_SCHED_WAKEUP		17
#define PF_EV_SCHED_WAKING		20
#define PF_EV_SCHED_WAKEUP_NEW		114
#define PF_EV_SCHED_PROCESS_EXEC	237
#define PF_EV_SCHED_PROCESS_EXIT	238
#define PF_EV_SCHED_PROCESS_FORK	239
#define PF_EV_SCHED_MIGRATE_TASK	491

/* SchedSwitchFtraceEvent */
#define PF_SWITCH_PREV_COMM		1
#define PF_SWITCH_PREV_PID		2
#define PF_SWITCH_PREV_PRIO		3
#define PF_SWITCH_PREV_STATE		4
#define PF_SWITCH_NEXT_COMM		5
#define PF_SWITCH_NEXT_PID		6
#define PF_SWITCH_NEXT_PRIO		7

/* SchedWaking/SchedWakeup/SchedWakeupNewFtraceEvent (same layout) */
#define PF_WAKE_COMM			1
#define PF_WAKE_PID			2
#define PF_WAKE_PRIO			3
#define PF_WAKE_SUCCESS			4
#define PF_WAKE_TARGET_CPU		5

/* SchedProcessForkFtraceEvent */
#define PF_FORK_PARENT_COMM		1
#define PF_FORK_PARENT_PID		2
#define PF_FORK_CHILD_COMM		3
#define PF_FORK_CHILD_PID		4

/* SchedProcessExitFtraceEvent */
#define PF_EXIT_COMM			1
#define PF_EXIT_PID			2
#define PF_EXIT_PRIO			4

/* SchedProcessExecFtraceEvent */
#define PF_EXEC_FILENAME		1
#define PF_EXEC_PID			2
#define PF_EXEC_OLD_PID			3

/* SchedMigrateTaskFtraceEvent */
#define PF_MIGRATE_COMM			1
#define PF_MIGRATE_PID			2
#define PF_MIGRATE_PRIO			3
#define PF_MIGRATE_ORIG_CPU		4
#define PF_MIGRATE_DEST_CPU		5

/* The kernel's common_flags bits (trace_flag_type) for irq context. */
#define PF_FLAG_HARDIRQ			0x08
#define PF_FLAG_SOFTIRQ			0x10
#define PF_FLAG_NMI			0x40

/* sched_switch prev_state as the kernel reports it (TASK_REPORT bits). */
#define PF_STATE_EXIT_DEAD		0x10
#define PF_STATE_MASK			0xff

#endif /* SCX_SIM_TRACE_PERFETTO_H */
