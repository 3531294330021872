/* SPDX-License-Identifier: MIT */
/*
 * The boot configuration, resolved the way the Windows boot manager does
 * (docs/checks.md, "The Windows boot configuration"): {bootmgr}'s default names the OS loader entry,
 * and an entry inherits the elements of the objects in its inherit list,
 * depth first, its own elements winning. Pure: it reads the store model in
 * evidence.h and does no I/O.
 */
#ifndef HVPROBE_BCD_H
#define HVPROBE_BCD_H

#include "evidence.h"

/* Object types (BCD WMI provider: BcdObject.Type). */
#define BCD_OBJECT_BOOTMGR 0x10100002u
#define BCD_OBJECT_OSLOADER 0x10200003u

/* Element types, named as in BcdLibraryElementTypes,
 * BcdBootMgrElementTypes and BcdOSLoaderElementTypes. Bits 24-27 are the
 * format, so one id means different things in different objects:
 * 0x23000003 is {bootmgr}'s default and an OS loader's resume object. */
#define BCD_FORMAT(type) (((type) >> 24) & 0xFu)
#define BCD_FORMAT_STRING 2u
#define BCD_FORMAT_OBJECT 3u
#define BCD_FORMAT_OBJECT_LIST 4u
#define BCD_FORMAT_INTEGER 5u
#define BCD_FORMAT_BOOLEAN 6u

#define BcdLibraryString_ApplicationPath 0x12000002u
#define BcdLibraryString_Description 0x12000004u
#define BcdLibraryObjectList_InheritedObjects 0x14000006u
#define BcdBootMgrObjectList_BootSequence 0x24000002u
#define BcdBootMgrObject_DefaultObject 0x23000003u
#define BcdOSLoaderString_SystemRoot 0x22000002u
#define BcdOSLoaderInteger_NxPolicy 0x25000020u
#define BcdOSLoaderBoolean_WinPEMode 0x26000022u
#define BcdOSLoaderInteger_HypervisorLaunchType 0x250000F0u
#define BcdOSLoaderBoolean_HypervisorDebuggerEnabled 0x260000F2u
#define BcdOSLoaderInteger_HypervisorDebuggerType 0x250000F3u
#define BcdOSLoaderInteger_HypervisorDebuggerPortNumber 0x250000F4u
#define BcdOSLoaderInteger_HypervisorDebuggerBaudrate 0x250000F5u
#define BcdOSLoaderBoolean_HypervisorSlatDisabled 0x260000F8u
#define BcdOSLoaderInteger_HypervisorNumProc 0x250000FAu
#define BcdOSLoaderInteger_HypervisorIommuPolicy 0x25000115u

/* Values of the integer elements above. */
#define HYPERVISOR_LAUNCH_OFF 0u
#define HYPERVISOR_LAUNCH_AUTO 1u
#define NX_OPT_IN 0u
#define NX_OPT_OUT 1u
#define NX_ALWAYS_OFF 2u
#define NX_ALWAYS_ON 3u

#define BCD_BOOTMGR_ID "{9dea862c-5cdd-4e70-acc1-f32b344d4795}"

/* Inheritance deeper than this is treated as broken, like a cycle. */
#define BCD_MAX_DEPTH 32
#define BCD_MAX_INHERITED 32
/* The one-time boot sequence ids kept for the report; later ones are
 * counted, and still looked through for the entry that boots. */
#define BCD_MAX_SEQUENCE 8

enum bcd_value_state {
	BCD_VALUE_ABSENT,  /* neither the entry nor anything it inherits sets it */
	BCD_VALUE_SET,
	BCD_VALUE_INVALID, /* set, but of the wrong registry type or size */
};

/* One integer or boolean element, resolved. */
struct bcd_setting {
	enum bcd_value_state state;
	uint64_t number;
	char from[BCD_ID_MAX]; /* the object that set it */
	char problem[160];     /* INVALID: what is wrong with it */
};

enum bcd_setting_index {
	BCD_SET_LAUNCH_TYPE,
	BCD_SET_NX,
	BCD_SET_HV_DEBUG,
	BCD_SET_HV_SLAT_DISABLED,
	BCD_SET_HV_NUM_PROC,
	BCD_SET_HV_IOMMU_POLICY,
	BCD_SET_WINPE,
	BCD_SET_HV_DEBUG_TYPE,
	BCD_SET_HV_DEBUG_PORT,
	BCD_SET_HV_BAUDRATE,
	BCD_SET_COUNT
};

/* The settings read from every OS loader entry: element, bcdedit name. */
struct bcd_setting_def {
	uint32_t element;
	const char *name;
};
extern const struct bcd_setting_def bcd_setting_table[BCD_SET_COUNT];

/* One entry, resolved with its inheritance. */
struct bcd_entry {
	char id[BCD_ID_MAX];  /* lower case, with braces */
	char description[256]; /* UTF-8 */
	char loader_path[256]; /* application path, such as \Windows\system32\winload.efi */
	char system_root[128];
	size_t ninherited;     /* objects inherited from, depth first */
	char inherited[BCD_MAX_INHERITED][BCD_ID_MAX];
	char problem[300];     /* "" or why the entry cannot be judged */
	struct bcd_setting setting[BCD_SET_COUNT];
};

enum bcd_state {
	BCD_STATE_NONE,       /* no store was read */
	BCD_STATE_RESOLVED,   /* entry holds the judged entry */
	BCD_STATE_UNRESOLVED, /* the store was read but names no usable entry */
};

/* {bootmgr}'s one-time boot sequence (element 0x24000002): the boot
 * manager runs these before the default, once (docs/checks.md, "The
 * Windows boot configuration"). */
struct bcd_sequence {
	size_t count;                       /* ids in the list; 0: not set */
	char ids[BCD_MAX_SEQUENCE][BCD_ID_MAX]; /* the first ones, lower case */
	char passed[320];  /* "" or the entries that run before the Windows judged, in words */
};

struct bcd_view {
	enum bcd_state state;
	char problem[300];      /* UNRESOLVED: why */
	bool is_default;        /* the entry is {bootmgr}'s default */
	bool by_sequence;       /* the entry comes first in the one-time boot sequence */
	char default_id[BCD_ID_MAX]; /* {bootmgr}'s default, lower case; "" if none */
	struct bcd_sequence sequence;
	bool list_all;          /* --bcd-entry all */
	struct bcd_entry entry;
	size_t nloaders;        /* list_all: every OS loader entry in the store */
	struct bcd_entry *loaders;
};

/* Is the --bcd-entry argument well formed: "default", "all", a GUID with
 * or without braces, or a well-known name such as {bootmgr}? */
bool bcd_request_valid(const char *request);

/* Resolve the entry `request` names. NULL or "all": the entry the next
 * boot starts Windows from (the one-time boot sequence before the
 * default); "default", "{default}", "{current}": the default. False only
 * when memory runs out. */
bool bcd_resolve(const struct bcd_store *s, const char *request, struct bcd_view *v);
void bcd_view_free(struct bcd_view *v);

/* "{bootmgr}" for a well-known GUID (any case), or NULL. */
const char *bcd_well_known_name(const char *id);

/* A Windows PE entry (winpe set): the recovery environment or setup,
 * not an installed Windows. */
bool bcd_entry_is_winpe(const struct bcd_entry *e);

/* bcdedit's words for the values, or NULL for a value it has no word for. */
const char *bcd_launch_type_name(uint64_t v);
const char *bcd_nx_name(uint64_t v);
const char *bcd_iommu_policy_name(uint64_t v);
const char *bcd_object_type_name(uint32_t type);

#endif
