/* SPDX-License-Identifier: MIT */
/*
 * CPUID on every logical CPU, read in parallel: one thread per CPU pins
 * itself there and reads the basic, extended and hypervisor leaves into a
 * buffer of its own; after the join the buffers are added to the evidence
 * (which is not thread-safe) in CPU order. Pinning one thread to each CPU
 * in turn waited for every migration one after the other (0.1 to 12 ms
 * each in a paravirtualized guest), and the hypervisor leaves trapped at
 * all 256 bases on every CPU.
 */
#include "linux_live.h"

#include <libcpuid.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../probe/cpuid_decode.h"

/* Threads alive at a time, so that a host with thousands of CPUs does not
 * hit the thread limit; each stack only holds a few frames. */
#define CPUID_MAX_THREADS 256u
#define CPUID_THREAD_STACK (64u * 1024u)
/* libcpuid's arrays: leaves 0..31 and 0x80000000..0x8000001F are kept. */
#define CPUID_BASIC_KEPT MAX_CPUID_LEVEL
#define CPUID_EXT_KEPT MAX_EXT_CPUID_LEVEL
/* Leaves read after each hypervisor range's signature leaf. */
#define CPUID_HV_LEAVES_KEPT 0x10u
/* Room made before the threads start, for the basic and extended leaves
 * and two hypervisor ranges: a thread that allocates gets a malloc arena
 * of its own, which costs more memory than the leaves. */
#define CPUID_LEAVES_HINT (CPUID_BASIC_KEPT + CPUID_EXT_KEPT + 2u * (CPUID_HV_LEAVES_KEPT + 1u))
#define CPUID_HV_BASES ((CPUID_LEAF_HV_LAST - CPUID_LEAF_HV_BASE) / CPUID_HV_STEP + 1u)

/* The hypervisor bases, scanned once by the calling thread while the CPU
 * threads migrate and read their other leaves; they wait for it only
 * before their hypervisor leaves. */
struct hv_scan {
	pthread_mutex_t lock;
	pthread_cond_t done;
	bool scanned;
	bool found[CPUID_HV_BASES];
};

/* One CPU's read, written only by its thread until the join. */
struct cpu_read {
	unsigned id;
	struct hv_scan *scan;
	bool pinned; /* false: the CPU is offline or outside our cpuset */
	bool ok;     /* false: out of memory */
	size_t n, cap;
	struct cpuid_leaf *leaves;
};

static void exec_cpuid(uint32_t leaf, uint32_t *regs)
{
	/* As libcpuid's cpu_exec_cpuid: EBX, ECX and EDX zero on input. */
	memset(regs, 0, 4 * sizeof(*regs));
	regs[EAX] = leaf;
	cpu_exec_cpuid_ext(regs);
}

/* Keep what CPUID `leaf` returned in regs. */
static bool record(struct cpu_read *r, uint32_t leaf, const uint32_t *regs)
{
	if (!array_grow((void **)&r->leaves, &r->cap, r->n, sizeof(*r->leaves),
			EVIDENCE_MAX_LEAVES_PER_CPU))
		return false;
	r->leaves[r->n++] = (struct cpuid_leaf){ leaf, 0, regs[EAX], regs[EBX], regs[ECX], regs[EDX] };
	return true;
}

/* Execute CPUID `leaf` and keep what it returned. */
static bool keep(struct cpu_read *r, uint32_t leaf, uint32_t *regs)
{
	exec_cpuid(leaf, regs);
	return record(r, leaf, regs);
}

/* The leaves libcpuid's cpuid_get_raw_data would hold, up to each range's
 * maximum: beyond it a CPU returns whatever it returns for an invalid leaf. */
static bool read_ranges(struct cpu_read *r)
{
	uint32_t regs[4];
	bool ok = keep(r, 0, regs);
	uint32_t max_basic = regs[EAX];
	for (uint32_t i = 1; ok && i < CPUID_BASIC_KEPT && i <= max_basic; i++)
		ok = keep(r, i, regs);
	exec_cpuid(CPUID_LEAF_EXT_MAX, regs);
	uint32_t max_ext = regs[EAX];
	if (max_ext < CPUID_LEAF_EXT_MAX || max_ext >= CPUID_LEAF_EXT_MAX + 0x10000u)
		return ok; /* no extended range */
	ok = ok && record(r, CPUID_LEAF_EXT_MAX, regs);
	for (uint32_t i = 1; ok && i < CPUID_EXT_KEPT && CPUID_LEAF_EXT_MAX + i <= max_ext; i++)
		ok = keep(r, CPUID_LEAF_EXT_MAX + i, regs);
	return ok;
}

static bool under_hypervisor(void)
{
	uint32_t regs[4];
	exec_cpuid(CPUID_LEAF_FEATURES, regs);
	return regs[ECX] & CPUID_1_ECX_HYPERVISOR; /* bare metal: 0x4000xxxx is junk */
}

/* A range's signature leaf returns its highest leaf in EAX. */
static bool range_max(uint32_t base, const uint32_t *regs)
{
	return regs[EAX] >= base && regs[EAX] <= base + 0xFFu;
}

/* Linux looks for hypervisor signatures at every base from 0x40000000 to
 * 0x4000FF00 in steps of 0x100 (hypervisor_cpuid_base, now in
 * arch/x86/include/asm/cpuid/api.h), once, and uses the base it found on
 * every CPU (arch/x86/kernel/kvm.c kvm_cpuid_base keeps it): a
 * hypervisor presents the same ranges on each of its vCPUs. So the bases
 * are scanned once, not 256 times on each CPU. */
static void scan(struct hv_scan *scan)
{
	uint32_t regs[4];
	bool hit[CPUID_HV_BASES] = { false };
	if (under_hypervisor())
		for (unsigned i = 0; i < CPUID_HV_BASES; i++) {
			uint32_t base = CPUID_LEAF_HV_BASE + i * CPUID_HV_STEP;
			exec_cpuid(base, regs);
			hit[i] = range_max(base, regs);
		}
	pthread_mutex_lock(&scan->lock);
	memcpy(scan->found, hit, sizeof(hit));
	scan->scanned = true;
	pthread_cond_broadcast(&scan->done);
	pthread_mutex_unlock(&scan->lock);
}

static void wait_for_scan(struct hv_scan *scan)
{
	pthread_mutex_lock(&scan->lock);
	while (!scan->scanned)
		pthread_cond_wait(&scan->done, &scan->lock);
	pthread_mutex_unlock(&scan->lock);
}

/* The signature leaf of each range found and what it announces. */
static bool read_hypervisor_leaves(struct cpu_read *r)
{
	uint32_t regs[4];
	if (!under_hypervisor())
		return true;
	for (unsigned i = 0; i < CPUID_HV_BASES; i++) {
		uint32_t base = CPUID_LEAF_HV_BASE + i * CPUID_HV_STEP;
		if (!r->scan->found[i])
			continue;
		exec_cpuid(base, regs);
		if (!range_max(base, regs))
			continue;
		uint32_t max = regs[EAX];
		if (!record(r, base, regs))
			return false;
		for (uint32_t leaf = base + 1; leaf <= max && leaf <= base + CPUID_HV_LEAVES_KEPT; leaf++)
			if (!keep(r, leaf, regs))
				return false;
	}
	return true;
}

static bool pin_to(unsigned cpu)
{
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set) == 0; /* 0: this thread */
}

static void *read_cpu(void *arg)
{
	struct cpu_read *r = arg;
	r->pinned = pin_to(r->id);
	if (!r->pinned) {
		r->ok = true;
		return NULL;
	}
	bool ok = read_ranges(r);
	wait_for_scan(r->scan);
	r->ok = ok && read_hypervisor_leaves(r);
	return NULL;
}

/* CPUs numbered 0..n-1 may exist; CPU_SETSIZE bounds what can be pinned. */
static unsigned cpu_candidates(void)
{
	long n = sysconf(_SC_NPROCESSORS_CONF);
	if (n < 1)
		return 1;
	return n > CPU_SETSIZE ? CPU_SETSIZE : (unsigned)n;
}

/* Read each CPU of the batch on a thread of its own, scanning the
 * hypervisor bases meanwhile if not done yet. A CPU whose thread cannot be
 * created is read by the calling thread after the join; it has then moved
 * (*moved) and the caller restores its affinity. */
static void read_batch(struct cpu_read *reads, unsigned count, struct hv_scan *hv, bool *moved)
{
	pthread_t tid[CPUID_MAX_THREADS];
	bool started[CPUID_MAX_THREADS];
	pthread_attr_t attr;
	bool attr_ok = pthread_attr_init(&attr) == 0;
	if (attr_ok)
		pthread_attr_setstacksize(&attr, CPUID_THREAD_STACK);
	for (unsigned i = 0; i < count; i++)
		started[i] = pthread_create(&tid[i], attr_ok ? &attr : NULL, read_cpu, &reads[i]) == 0;
	if (!hv->scanned)
		scan(hv); /* on the CPU we were started on: see scan() */
	for (unsigned i = 0; i < count; i++) {
		if (started[i]) {
			pthread_join(tid[i], NULL);
		} else {
			read_cpu(&reads[i]);
			*moved = true;
		}
	}
	if (attr_ok)
		pthread_attr_destroy(&attr);
}

/* Add the CPUs read, in order, up to the first that could not be pinned:
 * libcpuid 0.6's cpuid_get_all_raw_data, which this replaces, stopped
 * there too. *stop is set at that CPU. */
static bool merge_batch(struct evidence *ev, struct cpu_read *reads, unsigned count, bool *stop,
			unsigned *added)
{
	for (unsigned i = 0; i < count; i++) {
		if (!reads[i].pinned) {
			*stop = true;
			return true;
		}
		struct cpu_record *cpu = reads[i].ok ? evidence_add_cpu(ev, reads[i].id) : NULL;
		if (!cpu)
			return false;
		(*added)++;
		for (size_t j = 0; j < reads[i].n; j++)
			if (!cpu_record_put(cpu, &reads[i].leaves[j]))
				return false;
	}
	return true;
}

static void free_batch(struct cpu_read *reads, unsigned count)
{
	for (unsigned i = 0; i < count; i++)
		free(reads[i].leaves);
}

bool cpuid_collect_live(struct evidence *ev, struct hv_error *err)
{
	if (!cpuid_present())
		return hv_fail(err, HV_EOS, "this processor has no CPUID instruction");
	struct hv_scan hv = { .lock = PTHREAD_MUTEX_INITIALIZER, .done = PTHREAD_COND_INITIALIZER };
	unsigned total = cpu_candidates();
	struct cpu_read *reads = calloc(total < CPUID_MAX_THREADS ? total : CPUID_MAX_THREADS,
					sizeof(*reads));
	if (!reads)
		return hv_fail(err, HV_ENOMEM, "out of memory while recording CPUID");

	cpu_set_t saved;
	bool restore = sched_getaffinity(0, sizeof(saved), &saved) == 0;
	bool moved = false, stop = false, ok = true;
	unsigned added = 0;
	for (unsigned first = 0; ok && !stop && first < total; first += CPUID_MAX_THREADS) {
		unsigned count = total - first < CPUID_MAX_THREADS ? total - first : CPUID_MAX_THREADS;
		for (unsigned i = 0; i < count; i++) {
			reads[i] = (struct cpu_read){ .id = first + i, .scan = &hv };
			reads[i].leaves = malloc(CPUID_LEAVES_HINT * sizeof(*reads[i].leaves));
			reads[i].cap = reads[i].leaves ? CPUID_LEAVES_HINT : 0;
		}
		read_batch(reads, count, &hv, &moved);
		ok = merge_batch(ev, reads, count, &stop, &added);
		free_batch(reads, count);
	}
	free(reads);
	pthread_mutex_destroy(&hv.lock);
	pthread_cond_destroy(&hv.done);
	if (moved && restore)
		sched_setaffinity(0, sizeof(saved), &saved);
	if (!ok)
		return hv_fail(err, HV_ENOMEM, "out of memory while recording CPUID");
	if (added == 0)
		return hv_fail(err, HV_EOS, "could not run a thread on CPU 0 to read CPUID there");
	return true;
}
