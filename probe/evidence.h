/* SPDX-License-Identifier: MIT */
/*
 * The evidence model: every fact hvprobe read, exactly as read, and where
 * it came from. Collectors in platform/ fill it; checks in probe/ read it.
 * Nothing here judges, and nothing here does I/O: this header and its .c
 * file build with the C standard library alone (Windows and UEFI builds
 * reuse them unchanged).
 */
#ifndef HVPROBE_EVIDENCE_H
#define HVPROBE_EVIDENCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A fact that may not be known. Unknown is never folded into "no". */
typedef enum { TRI_UNKNOWN = -1, TRI_NO = 0, TRI_YES = 1 } tri_t;

/* Hard limits that keep a hostile input from exhausting memory. */
#define EVIDENCE_MAX_CPUS 8192
#define EVIDENCE_MAX_LEAVES_PER_CPU 4096
#define EVIDENCE_MAX_MSRS 65536

/* One CPUID result as the CPU returned it. */
struct cpuid_leaf {
	uint32_t leaf, subleaf;
	uint32_t eax, ebx, ecx, edx;
};

/* Every leaf read on one logical CPU; nleaves == 0 means "no data".
 * Records made by evidence_add_cpu keep their leaves sorted by (leaf,
 * subleaf), so lookups bisect; a record filled by hand is searched
 * linearly. */
struct cpu_record {
	unsigned id; /* logical CPU number as the source numbered it */
	size_t nleaves, cap;
	struct cpuid_leaf *leaves;
	bool sorted; /* ascending (leaf, subleaf), no repeats: evidence.c keeps it */
};

/* Model-specific registers that decide hypervisor launch (names as in the
 * Intel SDM vol. 4 and the AMD APM vol. 2). */
#define MSR_IA32_FEATURE_CONTROL 0x0000003Au
#define MSR_IA32_MISC_ENABLE 0x000001A0u
#define MSR_IA32_VMX_PROCBASED_CTLS 0x00000482u
#define MSR_IA32_VMX_PROCBASED_CTLS2 0x0000048Bu
#define MSR_VM_CR 0xC0010114u

enum msr_status {
	MSR_OK,          /* value holds what the CPU returned */
	MSR_NO_DEVICE,   /* no MSR device: module not loaded, or no driver */
	MSR_DENIED,      /* not permitted: needs root / ring 0 */
	MSR_UNSUPPORTED, /* the CPU faulted on the read: MSR does not exist */
	MSR_IO_ERROR,    /* any other failure */
	MSR_NOT_RECORDED, /* offline: no value was given for this MSR */
};

/* cpu == MSR_ALL_CPUS: a recorded value that stands for every CPU. */
#define MSR_ALL_CPUS (-1)

struct msr_reading {
	int cpu;
	uint32_t index;
	enum msr_status status;
	uint64_t value;
};

enum msr_origin { MSR_ORIGIN_NONE, MSR_ORIGIN_LIVE, MSR_ORIGIN_RECORDED };

/* Flags the Linux kernel prints in /proc/cpuinfo that matter here. */
enum kernel_flag {
	KFLAG_VMX,
	KFLAG_SVM,
	KFLAG_NX,
	KFLAG_LM,
	KFLAG_HYPERVISOR,
	KFLAG_EPT,  /* `vmx flags` since 5.8; `flags` before */
	KFLAG_VPID,
	KFLAG_UNRESTRICTED_GUEST,
	KFLAG_NPT,
	KFLAG_COUNT
};

/* Kernel log lines that record a firmware decision or why KVM refused to
 * start; each wording and the releases that print it: docs/checks.md,
 * fw.virt_enabled. */
enum kmsg_fact {
	KMSG_VMX_DISABLED_BY_BIOS,  /* firmware left VT-x off */
	KMSG_SVM_DISABLED_BY_BIOS,  /* firmware set VM_CR.SVMDIS */
	KMSG_KVM_DISABLED_BY_BIOS,  /* "kvm: disabled by bios": the CPU's own kind */
	KMSG_NX_ACTIVE,
	KMSG_NX_MISSING,
	KMSG_VMX_NOT_FULLY_ENABLED, /* the kernel turned VMX off: firmware or its own setup */
	KMSG_KVM_NO_HW_SUPPORT,     /* KVM saw no VT-x/AMD-V in CPUID */
	KMSG_KVM_ENABLE_FAILED,     /* KVM could not turn VT-x/AMD-V on: held by another */
	KMSG_FACT_COUNT
};

#define KMSG_LINE_MAX 200
#define ERRNAME_MAX 32

struct linux_view {
	bool present;               /* any Linux kernel evidence at all */
	char kernel_release[72];    /* uname -r */
	unsigned cpuinfo_cpus;      /* processors in /proc/cpuinfo; 0: not read */
	unsigned flag_cpus[KFLAG_COUNT]; /* how many of them list each flag */
	bool vmx_flags_line;        /* some CPU has a `vmx flags` line */
	char microcode[24];         /* `microcode` of the first CPU ("0xf0"); "" if not listed */
	tri_t kmsg_read;            /* could the kernel log be read? */
	char kmsg[KMSG_FACT_COUNT][KMSG_LINE_MAX]; /* first matching line, "" if none */
};

struct kvm_view {
	bool probed;                  /* a live or bundled /dev/kvm probe exists */
	tri_t device;                 /* /dev/kvm exists */
	char open_error[ERRNAME_MAX]; /* "" when it opened; else the errno name */
	int api_version;              /* KVM_GET_API_VERSION; -1 unknown */
	tri_t vm_created;             /* KVM_CREATE_VM returned a VM */
	char create_error[ERRNAME_MAX];
	char modules[96];             /* KVM modules in /sys/module (loaded or built in) */
	tri_t nested;                 /* vendor module's `nested` parameter */
	/* Read since the fields below exist; a bundle from before has
	 * sysfs_read false and the fields mean nothing (unknown). */
	bool sysfs_read;
	char builtin[96];             /* those of `modules` built into the kernel */
	tri_t misc_device;            /* /sys/class/misc/kvm: KVM registered /dev/kvm */
	tri_t virt_at_load;           /* kvm.enable_virt_at_load (Linux 6.12+), else unknown */
};

struct boot_view {
	bool probed;
	tri_t uefi;        /* /sys/firmware/efi exists */
	tri_t secure_boot; /* SecureBoot variable's last byte */
};

/*
 * A Windows boot configuration (BCD) store as read (docs/checks.md, "The Windows boot configuration"):
 * every object with its type and the registry value of each element,
 * bytes exactly as stored. Decoding, defaults and inheritance are
 * probe/bcd.c's job, so every backend (hivex here, the Windows registry
 * later) fills only this.
 */
#define BCD_MAX_OBJECTS 4096
#define BCD_MAX_ELEMENTS 1024       /* per object */
#define BCD_MAX_VALUE (64u * 1024u) /* bytes of one element value */
#define BCD_ID_MAX 40               /* "{8-4-4-4-12}" and a NUL */

/* Registry value types an element may hold (winnt.h REG_*). */
#define REG_TYPE_SZ 1u
#define REG_TYPE_BINARY 3u
#define REG_TYPE_DWORD 4u
#define REG_TYPE_MULTI_SZ 7u

struct bcd_element {
	uint32_t type;          /* element type, from the key name */
	bool has_value;         /* the key holds an "Element" value */
	uint32_t reg_type;      /* its registry type */
	size_t len;
	unsigned char *data;    /* owned; NULL when len == 0 */
};

struct bcd_object {
	char id[BCD_ID_MAX];    /* key name as stored, normally "{guid}" */
	bool has_type;          /* Description\Type was a REG_DWORD */
	uint32_t type;          /* object type: 0x10200003 OS loader, ... */
	size_t nelements, cap;
	struct bcd_element *elements;
};

enum bcd_origin {
	BCD_ORIGIN_NONE,   /* no store: none given, none found */
	BCD_ORIGIN_GIVEN,  /* --bcd FILE or --esp DIR */
	BCD_ORIGIN_FOUND,  /* found on a mounted partition */
	BCD_ORIGIN_BUNDLE, /* the copy in a bundle */
};

struct bcd_store {
	enum bcd_origin origin;
	bool read;              /* the objects below hold the store */
	char path[512];         /* the store file as named or found */
	char search[400];       /* the live search: where it looked, what it found */
	char unreadable[200];   /* a found store that could not be read: why */
	size_t nobjects, cap;
	struct bcd_object *objects;
	unsigned char *raw;     /* the file as read, kept for bundles; owned */
	size_t raw_len;
};

/*
 * What patches change: Windows update packages (Component Based Servicing,
 * docs/windows.md) and the Linux packages that carry the kernel, the
 * microcode and the hypervisors.
 */
#define INSTALLED_MAX 8192

enum installed_kind { INSTALLED_WINDOWS_UPDATE, INSTALLED_PACKAGE };

/* Where an item was read (docs/windows.md, "Where Windows records
 * updates"); one bit each, an item merged from several has several. */
enum update_source {
	UPDATE_FROM_CBS = 1u << 0,       /* SOFTWARE ...\Component Based Servicing\Packages */
	UPDATE_FROM_WU_EVENT = 1u << 1,  /* System: the Windows Update client's 19, 20 */
	UPDATE_FROM_SERVICING = 1u << 2, /* Setup: Microsoft-Windows-Servicing 2, 4 */
	UPDATE_FROM_DPKG = 1u << 3,      /* dpkg's status */
	UPDATE_SOURCE_BITS = 4
};

struct installed_item {
	enum installed_kind kind;
	char name[96];        /* "KB5008868", or the package name */
	char version[200];    /* the CBS package identity, or the package version */
	char state[24];       /* "installed", "staged", "superseded", ... */
	int64_t installed_at; /* seconds since 1970 UTC; 0 when unknown */
	unsigned sources;     /* enum update_source bits; 0 in bundles that predate them */
};

struct installed_view {
	bool read;          /* a list was read (it may be empty) */
	unsigned unnamed_rollups; /* CBS RollupFix packages whose KB was found nowhere */
	char source[300];   /* where: "dpkg status", "SOFTWARE hive /mnt/c/..." */
	size_t n, cap;
	struct installed_item *items;
};

/*
 * A restart that Windows waits for, as administrators' scripts check it
 * (docs/windows.md): Component Based Servicing's RebootPending key and
 * Windows Update's RebootRequired key in SOFTWARE, and Session Manager's
 * PendingFileRenameOperations in SYSTEM (files replaced at the next boot;
 * installers and antivirus leave these too, so alone they name no update).
 */
struct restart_view {
	tri_t cbs_reboot_pending;   /* TRI_UNKNOWN: SOFTWARE not read */
	tri_t wu_reboot_required;
	tri_t file_renames;         /* TRI_UNKNOWN: SYSTEM not read */
	unsigned file_rename_count; /* pairs of names in PendingFileRenameOperations */
	char software_source[300];  /* where the first two were read */
	char system_source[300];
};

/* A Windows installation: its identity from the SOFTWARE tree (a volume's
 * hive or the live registry) and, on a live host, what Windows reports
 * (docs/windows.md). */
struct windows_view {
	bool read;
	char product[96];   /* ProductName: "Windows Server 2012 R2 Datacenter" */
	char build[32];     /* CurrentBuild.UBR: "9600.20207" */
	bool live;          /* the running Windows: the fields below were asked */
	tri_t pf_virt_firmware_enabled; /* IsProcessorFeaturePresent(21) */
	tri_t pf_nx_enabled;            /* (12) */
	tri_t pf_slat;                  /* (20) */
	char vmms[16];      /* Hyper-V management service: "running", "stopped", "absent" */
	char hvhost[16];    /* HV host service, where Windows has one */
	int64_t boot_time;  /* live: when this boot began, seconds since 1970 UTC; 0 unknown */
};

/*
 * Windows event log records that bear on hypervisor launch
 * (docs/launch-events.md): boot starts, the hypervisor's own launch events,
 * virtual machines refused because none runs, and update installations.
 * Kept as recorded: provider, channel, id, time and the insertion strings
 * with their names. What they mean is probe/launch.c's job.
 */
#define EVENTS_MAX 8192          /* the newest kept; older ones are counted */
#define EVENT_DATA_MAX 16        /* insertion strings kept per record */
#define EVENT_VALUE_MAX 512      /* bytes of one insertion string, cut between characters */
#define EVENT_LOGS_MAX 16        /* logs read in one run */

struct event_record {
	int64_t time;         /* TimeCreated, seconds since 1970 UTC */
	uint64_t record_id;   /* EventRecordID: the order within its log */
	unsigned log;         /* index into events_view.logs */
	uint32_t event_id;
	int32_t qualifiers;   /* -1 when not recorded */
	char provider[72];
	char channel[72];
	/* ndata pairs "name\0value\0" in one allocation; a Data element
	 * without a Name attribute has the name "". Owned. */
	unsigned ndata;
	char *data;
	size_t data_len;
};

struct events_view {
	bool read;                  /* some log was read (it may hold nothing relevant) */
	size_t nlogs;
	char logs[EVENT_LOGS_MAX][160]; /* each log as named: a file, or "live:System" */
	unsigned long records_read; /* every record looked at */
	unsigned long dropped;      /* relevant ones dropped past EVENTS_MAX (the oldest) */
	/* Records of the launch providers that could not be parsed (a damaged
	 * log), and when the newest of them was written; 0 when none. */
	unsigned long unreadable;
	int64_t unreadable_newest;
	size_t n, cap;
	struct event_record *items; /* in read order until events_settle() */
};

/* A Windows installation's boot facts: the SYSTEM tree (services, firmware
 * type) and, live, the boot environment. */
struct windows_boot {
	bool system_read;      /* a SYSTEM tree was read */
	char system_source[300];
	tri_t hyperv_role;     /* a Hyper-V service (hvboot, hvservice, vmms) is installed */
	char hyperv_services[96]; /* the ones found, space separated */
	tri_t uefi;            /* firmware type: PEFirmwareType, or the live OS */
	char uefi_source[64];
	char booted_entry[40]; /* live: the BCD entry this OS booted from ({current}); "" unknown */
};

/*
 * A Linux system's past and next boot (docs/linux-history.md): the boots
 * the systemd journal keeps (the kernel's messages, and hvprobe's own
 * verdict when its unit ran), the package changes dpkg and apt logged,
 * and the kernel the boot loader starts next with the KVM modules each
 * kernel has. Read live, or from a mounted root (--root DIR).
 */
#define JOURNAL_BOOTS_MAX 1024
#define PACKAGE_CHANGES_MAX 65536
#define BOOT_ID_MAX 33            /* 32 hex digits and a NUL */

struct journal_boot {
	char boot_id[BOOT_ID_MAX];    /* _BOOT_ID */
	int64_t first, last;          /* its first and last message read, seconds since 1970 UTC */
	uint64_t seqnum;              /* sequence number of its first entry in the journal; 0 when unknown */
	char kernel[72];              /* release from the "Linux version" line; "" not kept */
	char dmi[KMSG_LINE_MAX];      /* the "DMI:" line after "DMI: ": machine, BIOS version, date */
	char microcode[24];           /* the revision the kernel reported at this boot ("0xf0"); "" */
	char kmsg[KMSG_FACT_COUNT][KMSG_LINE_MAX]; /* first line of each fact, as in linux_view */
	char kvm_up[KMSG_LINE_MAX];   /* a line KVM's vendor module prints only once set up; "" */
	char verdict[KMSG_LINE_MAX];  /* hvprobe's own --syslog line at this boot; "" none */
};

struct journal_view {
	bool read;                    /* a journal was read (it may hold no boot) */
	char source[300];             /* "system journal", or the directory read */
	char unreadable[200];         /* looked for and not read: why; "" otherwise */
	char current_boot[BOOT_ID_MAX]; /* live: this boot's id; "" offline */
	unsigned long entries;        /* messages looked at */
	unsigned long dropped;        /* boots dropped past JOURNAL_BOOTS_MAX (the oldest) */
	bool damaged;                 /* some journal file could not be read to its end */
	size_t n, cap;
	struct journal_boot *boots;   /* oldest first (by seqnum when all have one, else first) */
};

/* One line of dpkg's log (/var/log/dpkg.log) or one package of an apt
 * history entry (/var/log/apt/history.log). */
struct package_change {
	int64_t time;                 /* seconds since 1970 UTC */
	char action[12];              /* "install", "upgrade", "remove", "purge", "downgrade", "reinstall" */
	char name[96];                /* the package, without its ":arch" */
	char from[64], to[64];        /* versions; "" for none */
};

struct package_log_view {
	bool read;                    /* some log was read (it may list nothing) */
	char source[300];             /* the logs read */
	unsigned long skipped;        /* lines not understood */
	size_t n, cap;
	struct package_change *items; /* in time order after package_log_settle() */
};

/* Where a kernel's KVM module is. */
enum module_presence { MODULE_UNKNOWN, MODULE_FILE, MODULE_BUILTIN, MODULE_MISSING };

struct kernel_modules {
	char release[72];             /* the kernel; "" when none is known */
	tri_t tree;                   /* lib/modules/RELEASE exists */
	enum module_presence kvm, kvm_intel, kvm_amd;
};

struct next_boot_view {
	bool probed;                  /* looked for (live Linux or --root) */
	bool read;                    /* the boot loader's choice was read */
	char loader[16];              /* "grub", "systemd-boot", "vmlinuz" */
	char source[300];             /* the file that decided */
	char entry[160];              /* the entry's title as the loader shows it */
	char cmdline[1024];           /* the kernel command line of that entry */
	char problem[200];            /* why the next kernel is not known; "" */
	char named[72];               /* --kernel RELEASE: next is that kernel, not the loader's; "" */
	char loader_next[72];         /* then, the loader's own choice where it differs; "" */
	struct kernel_modules next;   /* the kernel that boots next */
	struct kernel_modules running; /* the running kernel (live) */
	char running_cmdline[1024];   /* /proc/cmdline (live); "" */
	/* lines of modprobe.d (etc/, lib/, usr/lib/) that name a KVM module,
	 * as "file: line", newline separated */
	char modprobe[2048];
};

enum source_kind { SOURCE_LIVE, SOURCE_DUMP, SOURCE_BUNDLE };

struct evidence {
	enum source_kind source;
	char source_path[512]; /* dump file or bundle directory; "" when live */
	char hostname[256];    /* "" when unknown */
	char os[128];          /* "Linux 6.1.0-18-amd64"; "" when unknown */
	/* A stable id of the installation: /etc/machine-id, or "windows:" and
	 * the MachineGuid of an offline Windows volume; "" when unknown. */
	char machine_id[80];

	size_t ncpus, cpus_cap;
	struct cpu_record *cpus;
	char codename[64]; /* libcpuid's name for the core; "" when unknown */

	enum msr_origin msr_origin;
	enum msr_status msr_access; /* why no live MSR values, when none */
	size_t nmsrs, msrs_cap;
	struct msr_reading *msrs;

	struct linux_view linux_;
	char *cpuinfo_text; /* the /proc/cpuinfo read, kept for bundles; owned */
	size_t cpuinfo_len;
	struct kvm_view kvm;
	struct boot_view boot;
	struct bcd_store bcd;
	struct installed_view installed;
	struct windows_view windows;
	struct windows_boot winboot;
	struct restart_view restart;
	struct events_view events;
	char root[512];        /* --root DIR: the mounted Linux root read; "" live or none */
	struct journal_view journal;
	struct package_log_view package_log;
	struct next_boot_view next_boot;
};

/* Grow *array (cap elements of `size` bytes) to hold element number count;
 * false on allocation failure or at `limit` elements. */
bool array_grow(void **array, size_t *cap, size_t count, size_t size, size_t limit);
/* Equal in any ASCII case (strcasecmp is POSIX, not C11): GUIDs, names. */
bool ascii_equal_nocase(const char *a, const char *b);
/* part occurs in s, ASCII letters in any case. */
bool ascii_contains_nocase(const char *s, const char *part);

void evidence_init(struct evidence *ev);
void evidence_free(struct evidence *ev);

/* Append a CPU; returns NULL on allocation failure or past the limit. */
struct cpu_record *evidence_add_cpu(struct evidence *ev, unsigned id);
/* Record a leaf, replacing an earlier one with the same leaf and subleaf.
 * Out of order it moves the later leaves: for the few dozen leaves of a
 * live read; bulk input goes through cpu_record_append. */
bool cpu_record_put(struct cpu_record *cpu, const struct cpuid_leaf *leaf);
/* Bulk input (a dump): append, with repeats and in any order, without a
 * lookup; then cpu_record_settle once after the last leaf, which sorts and
 * keeps the last of repeated leaves. False on allocation failure or with
 * more than EVIDENCE_MAX_LEAVES_PER_CPU distinct leaves (which append
 * may notice only at twice that many leaves). */
bool cpu_record_append(struct cpu_record *cpu, const struct cpuid_leaf *leaf);
bool cpu_record_settle(struct cpu_record *cpu);
/* The leaf exactly as recorded, or NULL; no range rules applied. */
const struct cpuid_leaf *cpu_record_find(const struct cpu_record *cpu,
					 uint32_t leaf, uint32_t subleaf);

bool evidence_add_msr(struct evidence *ev, const struct msr_reading *r);
/* The reading of MSR `index` for `cpu`, falling back to a recorded value
 * for all CPUs; NULL when there is none. */
const struct msr_reading *evidence_msr(const struct evidence *ev, int cpu,
				       uint32_t index);

/* Append an object (id truncated to BCD_ID_MAX - 1) or an element with a
 * copy of its bytes; NULL / false on allocation failure or past a limit. */
struct bcd_object *bcd_add_object(struct bcd_store *s, const char *id);
bool bcd_object_add_element(struct bcd_object *o, uint32_t type, bool has_value,
			    uint32_t reg_type, const void *data, size_t len);
void bcd_store_clear(struct bcd_store *s); /* frees objects and raw bytes */

/* Add an item, or merge it into the one of the same kind and name (a
 * Windows update spans several CBS packages): "installed" or "permanent"
 * wins over other states and the latest time is kept. False on allocation failure or past
 * INSTALLED_MAX. */
bool installed_add(struct installed_view *v, const struct installed_item *item);
const char *installed_kind_name(enum installed_kind k); /* "windows-update", "package" */
/* One enum update_source bit's name ("cbs", "windows-update-event",
 * "servicing-event", "dpkg"), NULL for anything else; and back from the
 * n bytes of a name, 0 when unknown. */
const char *update_source_name(unsigned bit);
unsigned update_source_find(const char *name, size_t n);
/* Installed or permanent: in effect at this boot. */
bool installed_in_effect(const char *state);
/* Installed, permanent, or installed at the next restart (install-pending,
 * partially-installed): an update that will be running after the reboot. */
bool installed_is_active(const char *state);

/* Add a record with a copy of its names and values (n of each; names may
 * be NULL for nameless Data). Past EVENTS_MAX the oldest records of the
 * view are dropped (counted in dropped), so memory stays bounded. False on
 * allocation failure. */
bool events_add(struct events_view *v, const struct event_record *head, const char *const *names,
		const char *const *values, unsigned n);
/* Sort by log, then record id (the order the log wrote them), and keep
 * the newest EVENTS_MAX. Call once all logs are read. */
void events_settle(struct events_view *v);
/* The index of a log name, added when new; -1 past EVENT_LOGS_MAX. */
int events_log(struct events_view *v, const char *name);
/* The value of the insertion string called name (any case), or NULL. */
const char *event_value(const struct event_record *e, const char *name);
/* The i-th insertion string; *name gets its name. NULL past ndata. */
const char *event_value_at(const struct event_record *e, unsigned i, const char **name);
void events_clear(struct events_view *v);

/* A new boot at the end of the view; past JOURNAL_BOOTS_MAX the oldest is
 * dropped (counted). NULL on allocation failure. */
struct journal_boot *journal_add_boot(struct journal_view *v, const char *boot_id);
/* Order the boots oldest first: by seqnum when every boot has one, else
 * by their first message. */
void journal_settle(struct journal_view *v);
void journal_clear(struct journal_view *v);

/* Add a change; false on allocation failure or past PACKAGE_CHANGES_MAX. */
bool package_log_add(struct package_log_view *v, const struct package_change *c);
/* Order by time (stable), and drop an apt history change that dpkg's log
 * also has (same package, action and version, within a minute). */
void package_log_settle(struct package_log_view *v);
void package_log_clear(struct package_log_view *v);
const char *module_presence_name(enum module_presence p); /* "file" "builtin" "missing" "unknown" */
/* KVM's module files as Linux's arch/x86/kvm/Makefile names them:
 * kvm_module_file(0..KVM_MODULE_FILES-1) is "kvm.ko", "kvm-intel.ko",
 * "kvm-amd.ko"; kvm_module_slot() is where m keeps that file's presence. */
#define KVM_MODULE_FILES 3u
/* Where m has the vendor module of an AMD (amd) or Intel CPU. */
enum module_presence kernel_modules_vendor(const struct kernel_modules *m, bool amd);
const char *kvm_module_file(size_t i);
enum module_presence *kvm_module_slot(struct kernel_modules *m, size_t i);

/* Names used in reports and bundles. */
const char *tri_name(tri_t t);           /* "yes" "no" "unknown" */
const char *msr_status_name(enum msr_status s);
const char *kernel_flag_name(enum kernel_flag f);
const char *source_kind_name(enum source_kind k);

#endif
