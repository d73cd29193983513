/*
 * Unit tests of lib/measure/kernel_log.c: where kernel reports begin,
 * and what the console and kmsg readers cut.
 */
#include <errno.h>

#include "measure/kernel_log.h"
#include "tap.h"

/* The last report a reader passed on, and how many it did. */
static struct klog_report klog_seen;
static int klog_nseen;

static void klog_keep(const struct klog_report *r, void *arg)
{
	(void)arg;
	klog_seen = *r;
	klog_nseen++;
}

/* WARN(cond, fmt) prints fmt between "cut here" and its WARNING line. */
static void klog_cut_message(void)
{
	static const char *const warn[] = {
		"------------[ cut here ]------------",
		"tlbbench test: a dirty file PTE was zapped",
		"WARNING: CPU: 0 PID: 60 at mm/memory.c:1497 unmap_page_range",
		"CPU: 0 UID: 0 PID: 60 Comm: tlbbench",
	};
	static const char *const plain[] = {
		"------------[ cut here ]------------",
		"WARNING: CPU: 0 PID: 113 at fs/ext4/inode.c:3586 ext4_dirty",
		"CPU: 0 UID: 0 PID: 113 Comm: tlbbench",
	};
	static const char *const stray[] = {
		"Run /init as init process",
		"WARNING: CPU: 1 PID: 1 at x",
	};
	struct klog_parser p;

	klog_init(&p, klog_keep, NULL);
	for (size_t i = 0; i < sizeof(warn) / sizeof(*warn); i++)
		klog_feed(&p, warn[i]);
	klog_finish(&p);
	ok(klog_nseen == 1 && klog_seen.ntext == 3 &&
	   !strcmp(klog_seen.text[0], warn[2]) &&
	   !strcmp(klog_seen.text[1], warn[1]) &&
	   !strcmp(klog_seen.text[2], warn[3]),
	   "a WARN's own message is its second line (%d lines)",
	   klog_seen.ntext);
	klog_nseen = 0;
	klog_init(&p, klog_keep, NULL);
	for (size_t i = 0; i < sizeof(plain) / sizeof(*plain); i++)
		klog_feed(&p, plain[i]);
	klog_finish(&p);
	ok(klog_nseen == 1 && klog_seen.ntext == 2 &&
	   !strcmp(klog_seen.text[1], plain[2]),
	   "a WARN without a message: the lines after it");
	klog_nseen = 0;
	klog_init(&p, klog_keep, NULL);
	for (size_t i = 0; i < sizeof(stray) / sizeof(*stray); i++)
		klog_feed(&p, stray[i]);
	klog_finish(&p);
	ok(klog_nseen == 1 && klog_seen.ntext == 1,
	   "a line before a report without \"cut here\" is not its message");
}

static void test_kernel_log(void)
{
	static const struct {
		const char *msg;
		const char *kind;	/* NULL: begins no report */
	} kinds[] = {
		{ "WARNING: CPU: 1 PID: 97 at mm/memory.c:1453", "WARNING" },
		{ "WARNING: possible circular locking dependency detected",
		  "WARNING" },
		{ "BUG: KASAN: use-after-free in folio_mark_dirty", "KASAN" },
		{ "BUG: Bad page state in process tlbbench  pfn:10a2b",
		  "Bad page state" },
		{ "BUG: Bad page map in process tlbbench  pte:8000000104a2b867",
		  "Bad page map" },
		{ "BUG: soft lockup - CPU#1 stuck for 22s!", "BUG" },
		{ "kernel BUG at mm/memory.c:1453!", "BUG" },
		{ "Oops: 0000 [#1] PREEMPT SMP NOPTI", "Oops" },
		{ "general protection fault, probably for non-canonical",
		  "general protection fault" },
		{ "UBSAN: shift-out-of-bounds in mm/memory.c:12:3", "UBSAN" },
		{ "Kernel panic - not syncing: Fatal exception",
		  "Kernel panic" },
		{ "INFO: task tlbbench:97 blocked for more than 120 seconds.",
		  "hung task" },
		{ "rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:",
		  "RCU stall" },
		{ "INFO: rcu_sched detected stalls on CPUs/tasks:",
		  "RCU stall" },
		{ "list_add corruption. prev->next should be next (ffff9a4b)",
		  "list corruption" },
		{ "list_del corruption, ffff9a4b41d2a008->next is LIST_POISON1",
		  "list corruption" },
		{ "BTRFS error (device vda): root 5 ino 257 folio 2093056 is "
		  "marked dirty without notifying the fs", "filesystem error" },
		{ "BTRFS critical (device vda): corrupt leaf",
		  "filesystem error" },
		{ "EXT4-fs error (device vda): ext4_map_blocks:604",
		  "filesystem error" },
		{ "XFS (vda): Corruption detected. Unmount and run xfs_repair",
		  "filesystem error" },
		{ "XFS (vda): page discard on page 00000000a1b2c3d4, inode 0x83",
		  "filesystem error" },
		{ "Page cache invalidation failure on direct I/O.  Possible "
		  "data corruption due to collision with buffered I/O!",
		  "filesystem error" },
		{ "XFS (vda): Mounting V5 Filesystem", NULL },
		{ "BTRFS info (device vda): first mount of filesystem", NULL },
		{ "EXT4-fs (vda): mounted filesystem with ordered data mode",
		  NULL },
		{ "------------[ cut here ]------------", NULL },
		{ "tlbbench: warning: 1 of 3 repetitions disturbed", NULL },
		{ "INFO: task tlbbench:97 exited", NULL },
		{ "Run /init as init process", NULL },
	};
	static const struct {
		const char *line, *msg;
	} stamps[] = {
		{ "[   14.201845] WARNING: CPU: 1", "WARNING: CPU: 1" },
		{ "[12345.000001] Oops: 0000", "Oops: 0000" },
		{ "[   14.201845][    T1] BUG: x", "BUG: x" },
		{ "[    0.000000][    C0] Linux", "Linux" },
		{ "[   15.100000] ", "" },
		{ "WARNING: as is", "WARNING: as is" },
		{ "[ 14.2 WARNING", "[ 14.2 WARNING" },
		{ "[x] WARNING", "[x] WARNING" },
	};
	char rec[] = "4,1234,56789012,-,caller=T97;"
		     "WARNING: CPU: 0 PID: 1 at x\n SUBSYSTEM=foo\n";
	char bad[] = "4;no sequence number";
	unsigned long long seq = 0;
	const char *msg = NULL, *args = NULL;
	int n = 0;

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		const char *k = klog_kind(kinds[i].msg);

		if (kinds[i].kind)
			is_str(k, kinds[i].kind, "'%.40s' is %s", kinds[i].msg,
			       kinds[i].kind);
		else
			ok(!k, "'%.40s' begins no report (got %s)",
			   kinds[i].msg, k ? k : "none");
	}
	for (size_t i = 0; i < sizeof(stamps) / sizeof(stamps[0]); i++)
		is_str(klog_strip_timestamp(stamps[i].line), stamps[i].msg,
		       "timestamp of '%s'", stamps[i].line);
	is_int(klog_marker("tlbbench guest: line 12: munmap --size 4M", &n,
			   &args), KLOG_LINE_BEGIN, "a line's start marker");
	is_int(n, 12, "names its config line");
	is_str(args, "munmap --size 4M", "and its run");
	is_int(klog_marker("tlbbench guest: line 7 done", &n, &args),
	       KLOG_LINE_DONE, "a line's end marker");
	is_int(n, 7, "names its config line");
	ok(klog_marker("tlbbench guest: insmod ext4.ko failed", &n, &args) ==
	   KLOG_NO_MARKER && klog_marker("tlbbench guest: line 0: x", &n,
					 &args) == KLOG_NO_MARKER &&
	   klog_marker("tlbbench guest: line 3 donex", &n, &args) ==
	   KLOG_NO_MARKER, "other guest lines are no markers");
	n = klog_kmsg_parse(rec, &seq, &msg);
	ok(!n && seq == 1234 && !strcmp(msg, "WARNING: CPU: 0 PID: 1 at x"),
	   "a kmsg record: its sequence number and first line (%llu)", seq);
	ok(klog_kmsg_parse(bad, &seq, &msg) == -EINVAL,
	   "a record without a sequence number is refused");
	klog_cut_message();
}

int main(void)
{
	test_kernel_log();
	return tap_done();
}
