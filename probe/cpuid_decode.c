/* SPDX-License-Identifier: MIT */
#include "cpuid_decode.h"

#include <string.h>

#define KVM_NESTED_FIX \
	"on the KVM host: load kvm_intel or kvm_amd with nested=1 and give the " \
	"guest the host CPU (-cpu host, or <cpu mode='host-passthrough'/> in libvirt)"
#define PARALLELS_NESTED_FIX \
	"in Parallels, with the VM off: Hardware > CPU > Advanced > enable nested virtualization"

/*
 * Each signature as its source spells it (docs/checks.md, hv.running):
 * systemd src/basic/virt.c (vm_table), Linux (KVM_SIGNATURE in
 * arch/x86/include/uapi/asm/kvm_para.h, arch/x86/kernel/cpu/acrn.c,
 * arch/x86/kernel/jailhouse.c), the TLFS, and for Parallels pafish cpu.c
 * ("prl hyperv  ") and libcpuid cpuid_main.c.
 * Signatures are compared trimmed of trailing NULs and blanks.
 */
static const struct hypervisor_info hypervisors[] = {
	{ "Microsoft Hv", "Microsoft Hyper-V",
	  "on the Hyper-V host, with the VM off: Set-VMProcessor -VMName <vm> "
	  "-ExposeVirtualizationExtensions $true",
	  /* "Run Hyper-V in a Virtual Machine with Nested Virtualization" */
	  "on AMD the Hyper-V host must run Windows Server 2022 or Windows 11 (build 22000) "
	  "or later and the VM needs configuration version 9.3 or higher (Update-VMVersion "
	  "<vm>): older Hyper-V hosts cannot expose AMD-V" },
	{ "KVMKVMKVM", "KVM", KVM_NESTED_FIX, NULL },
	{ "Linux KVM Hv", "KVM (with Hyper-V enlightenments)", KVM_NESTED_FIX, NULL },
	{ "VMwareVMware", "VMware",
	  "in the VM's settings on the VMware host, with the VM off: enable "
	  "\"Expose hardware assisted virtualization to the guest OS\" (vhv.enable = \"TRUE\")",
	  NULL },
	{ "XenVMMXenVMM", "Xen",
	  "in the guest's Xen configuration: nestedhvm=1 (and hap=1), then restart the guest", NULL },
	{ "TCGTCGTCGTCG", "QEMU TCG (software emulation)",
	  "QEMU's TCG does not emulate VT-x: use an AMD model with SVM (-cpu EPYC) or run "
	  "the outer QEMU with KVM (-accel kvm -cpu host) on a host with nested virtualization",
	  NULL },
	{ "VBoxVBoxVBox", "VirtualBox",
	  "on the VirtualBox host, with the VM off: VBoxManage modifyvm <vm> --nested-hw-virt on",
	  NULL },
	{ "bhyve bhyve", "bhyve",
	  "bhyve does not expose VMX/SVM to its guests: run the hypervisor on the bare-metal host",
	  NULL },
	{ "ACRNACRNACRN", "ACRN",
	  "ACRN does not expose VMX to its guests: run the hypervisor on the bare-metal host", NULL },
	{ "QNXQVMBSQG", "QNX hypervisor",
	  "the QNX hypervisor does not expose VMX to its guests: run on bare metal", NULL },
	{ "SRESRESRESRE", "Lockheed Martin SRE",
	  "hvprobe knows no SRE setting that exposes VT-x to a guest: run the hypervisor on "
	  "the bare-metal host", NULL },
	{ "Apple VZ", "Apple Virtualization framework",
	  "Apple documents nested virtualization only for Macs with the M3 chip or later "
	  "(macOS 15, VZGenericPlatformConfiguration.isNestedVirtualizationEnabled), which run "
	  "ARM guests: on an Intel Mac run the hypervisor on bare metal", NULL },
	{ "prl hyperv", "Parallels", PARALLELS_NESTED_FIX, NULL },
	/* the same bytes with each register reversed, as some tools report it */
	{ " lrpepyh  vr", "Parallels", PARALLELS_NESTED_FIX, NULL },
	{ "lrpepyh vr", "Parallels", PARALLELS_NESTED_FIX, NULL },
	{ "Jailhouse", "Jailhouse",
	  "Jailhouse cells cannot run a hypervisor: run it in the root cell on bare metal", NULL },
};
#undef KVM_NESTED_FIX
#undef PARALLELS_NESTED_FIX

const struct hypervisor_info *hypervisor_lookup(const char *signature)
{
	for (size_t i = 0; i < sizeof(hypervisors) / sizeof(hypervisors[0]); i++)
		if (strcmp(hypervisors[i].signature, signature) == 0)
			return &hypervisors[i];
	return NULL;
}

/* The range a leaf belongs to is bounded by EAX of the range's first leaf.
 * The hypervisor range is bounded per base by the signature leaf. */
static uint32_t range_base(uint32_t leaf)
{
	if (leaf >= CPUID_LEAF_HV_BASE && leaf <= CPUID_LEAF_HV_LAST + 0xFFu)
		return leaf & ~0xFFu;
	return leaf & 0xFFFF0000u;
}

const struct cpuid_leaf *cpuid_leaf_in_range(const struct cpu_record *cpu,
					     uint32_t leaf, uint32_t subleaf)
{
	uint32_t base = range_base(leaf);
	const struct cpuid_leaf *head = cpu_record_find(cpu, base, 0);
	if (!head)
		return NULL;
	if (leaf != base) {
		/* A range's maximum must lie in the range itself; junk such as
		 * a copy of a basic leaf in 0x80000000 fails this. */
		if (range_base(head->eax) != base || head->eax < leaf)
			return NULL;
	}
	return cpu_record_find(cpu, leaf, subleaf);
}

static void copy_regs_text(char *dst, const uint32_t *regs, size_t nregs)
{
	for (size_t r = 0; r < nregs; r++)
		for (int b = 0; b < 4; b++)
			dst[r * 4 + (size_t)b] = (char)((regs[r] >> (8 * b)) & 0xFF);
	dst[nregs * 4] = '\0';
}

/* Trim trailing NUL bytes and spaces, and leading spaces of a brand. */
static void trim(char *s, size_t len, bool leading)
{
	size_t end = len;
	while (end > 0 && (s[end - 1] == '\0' || s[end - 1] == ' '))
		end--;
	s[end] = '\0';
	if (leading) {
		size_t start = 0;
		while (s[start] == ' ')
			start++;
		memmove(s, s + start, end - start + 1);
	}
}

static enum virt_family family_of(const char *vendor)
{
	static const struct {
		const char *vendor;
		enum virt_family family;
	} table[] = {
		{ "GenuineIntel", VIRT_FAMILY_VMX },
		{ "CentaurHauls", VIRT_FAMILY_VMX },
		{ "  Shanghai  ", VIRT_FAMILY_VMX },
		{ "AuthenticAMD", VIRT_FAMILY_SVM },
		{ "HygonGenuine", VIRT_FAMILY_SVM },
	};
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (strcmp(table[i].vendor, vendor) == 0)
			return table[i].family;
	return VIRT_FAMILY_NONE;
}

bool cpu_has_xd_disable_msr(const struct cpu_decoded *d)
{
	return strcmp(d->vendor, "GenuineIntel") == 0;
}

static tri_t bit(const struct cpuid_leaf *l, uint32_t reg, uint32_t mask)
{
	if (!l)
		return TRI_UNKNOWN;
	return (reg & mask) ? TRI_YES : TRI_NO;
}

/*
 * Before SSE3, leaf 1 ECX was reserved, and some CPUs (the VIA Samuel) do
 * not write EBX and ECX at all: the registers keep whatever the caller had,
 * so leaf 1 and leaf 0x80000000 return the same EBX and ECX. Such ECX bits
 * are junk, not a hypervisor bit.
 */
static bool leaf1_ecx_is_junk(const struct cpu_record *cpu, const struct cpuid_leaf *l1)
{
	const struct cpuid_leaf *e0 = cpu_record_find(cpu, CPUID_LEAF_EXT_MAX, 0);
	return e0 && l1->ecx != 0 && e0->ebx == l1->ebx && e0->ecx == l1->ecx;
}

static void decode_brand(const struct cpu_record *cpu, struct cpu_decoded *d)
{
	uint32_t regs[12];
	for (uint32_t i = 0; i < 3; i++) {
		const struct cpuid_leaf *l = cpuid_leaf_in_range(cpu, CPUID_LEAF_EXT_BRAND + i, 0);
		if (!l)
			return;
		regs[i * 4 + 0] = l->eax;
		regs[i * 4 + 1] = l->ebx;
		regs[i * 4 + 2] = l->ecx;
		regs[i * 4 + 3] = l->edx;
	}
	copy_regs_text(d->brand, regs, 12);
	d->brand[48] = '\0';
	trim(d->brand, strlen(d->brand), true);
}

/* The Microsoft hypervisor's own leaves: are we its root partition, does
 * it run nested, does it use SLAT (TLFS, "Feature Discovery"). */
static void decode_microsoft(const struct cpu_record *cpu, uint32_t base, struct cpu_decoded *d)
{
	const struct cpuid_leaf *feat = cpuid_leaf_in_range(cpu, base + CPUID_HV_OFF_FEATURES, 0);
	const struct cpuid_leaf *enl = cpuid_leaf_in_range(cpu, base + CPUID_HV_OFF_ENLIGHTENMENTS, 0);
	const struct cpuid_leaf *hw = cpuid_leaf_in_range(cpu, base + CPUID_HV_OFF_HW_FEATURES, 0);

	d->hv_root_partition = bit(feat, feat ? feat->ebx : 0, CPUID_HV_FEATURES_EBX_CREATE_PARTITIONS);
	d->hv_nested = bit(enl, enl ? enl->eax : 0, CPUID_HV_ENLIGHTENMENTS_EAX_NESTED);
	d->hv_slat_in_use = bit(hw, hw ? hw->eax : 0, CPUID_HV_HW_FEATURES_EAX_SLAT_IN_USE);
}

/* The hypervisor's signature. KVM and Xen that offer Hyper-V
 * enlightenments put "Microsoft Hv" at 0x40000000 and their own signature
 * at 0x40000100: a later non-Microsoft signature names the real one. */
static const struct cpuid_leaf *find_signature(const struct cpu_record *cpu, char *sig)
{
	const struct cpuid_leaf *found = NULL;
	for (uint32_t base = CPUID_LEAF_HV_BASE; base <= CPUID_LEAF_HV_LAST; base += CPUID_HV_STEP) {
		const struct cpuid_leaf *l = cpu_record_find(cpu, base, 0);
		if (!l)
			continue;
		uint32_t regs[3] = { l->ebx, l->ecx, l->edx };
		char text[13];
		copy_regs_text(text, regs, 3);
		trim(text, 12, false);
		if (text[0] == '\0')
			continue;
		bool microsoft = strcmp(text, "Microsoft Hv") == 0;
		if (!found || !microsoft) {
			found = l;
			memcpy(sig, text, sizeof(text));
		}
		if (!microsoft)
			break;
	}
	return found;
}

static void decode_hypervisor(const struct cpu_record *cpu, struct cpu_decoded *d)
{
	d->hv_vendor_known = TRI_UNKNOWN;
	d->hv_microsoft = TRI_UNKNOWN;
	d->hv_root_partition = TRI_UNKNOWN;
	if (d->hv_bit == TRI_NO) {
		d->hv_vendor_known = TRI_NO;
		d->hv_microsoft = TRI_NO;
		d->hv_root_partition = TRI_NO;
		return;
	}
	const struct cpuid_leaf *l = find_signature(cpu, d->hv_vendor);
	if (!l)
		return; /* the bit says a hypervisor is there, but no signature was recorded */
	uint32_t base = l->leaf;
	d->hv_vendor_known = TRI_YES;
	d->hv_base = base;
	const struct cpuid_leaf *iface = cpuid_leaf_in_range(cpu, base + 1, 0);
	d->hv_microsoft = iface ? (iface->eax == CPUID_HV_INTERFACE_HV1 ? TRI_YES : TRI_NO)
				: TRI_UNKNOWN;
	if (strcmp(d->hv_vendor, "Microsoft Hv") != 0)
		d->hv_microsoft = TRI_NO;
	if (d->hv_microsoft == TRI_YES)
		decode_microsoft(cpu, base, d);
	else if (d->hv_microsoft == TRI_NO)
		d->hv_root_partition = TRI_NO;
}

/* Family and model from leaf 1 EAX, the way Linux reads them
 * (arch/x86/lib/cpu.c, x86_family() and x86_model()). */
static unsigned signature_family(uint32_t sig)
{
	unsigned family = (sig >> 8) & 0xF;
	if (family == 0xF)
		family += (sig >> 20) & 0xFF;
	return family;
}

static unsigned signature_model(uint32_t sig)
{
	unsigned model = (sig >> 4) & 0xF;
	if (signature_family(sig) >= 6)
		model += ((sig >> 16) & 0xF) << 4;
	return model;
}

/*
 * The first processor of each vendor with CPUID leaves 8000xxxxH. Intel
 * SDM vol. 2A, CPUID, "Highest CPUID Source Operand for Intel 64 and IA-32
 * Processors": Pentium Pro, Pentium II, Celeron and Pentium III implement
 * none; Pentium 4 (family 0FH) and Pentium M (family 6, model 9) do.
 */
static const struct {
	const char *vendor;
	unsigned family, model;
} first_with_extended_leaves[] = {
	{ "GenuineIntel", 6, 0x9 },
};

static bool predates_extended_leaves(const struct cpu_decoded *d)
{
	size_t n = sizeof(first_with_extended_leaves) / sizeof(first_with_extended_leaves[0]);
	for (size_t i = 0; i < n; i++) {
		if (strcmp(first_with_extended_leaves[i].vendor, d->vendor) != 0)
			continue;
		unsigned f = first_with_extended_leaves[i].family;
		return d->cpu_family < f ||
		       (d->cpu_family == f && d->cpu_model < first_with_extended_leaves[i].model);
	}
	return false; /* not known: a missing leaf stays unrecorded, not absent */
}

/* No leaf 80000001H: NX, long mode and SVM all live there. */
static void no_extended_leaves(struct cpu_decoded *d, const char *source)
{
	d->nx = d->long_mode = d->svm = TRI_NO;
	d->no_ext_leaves = true;
	d->ext_leaves_source = source;
}

void cpu_decode(const struct cpu_record *cpu, struct cpu_decoded *d)
{
	memset(d, 0, sizeof(*d));
	d->vmx = d->svm = d->nx = d->long_mode = d->npt = d->hv_bit = TRI_UNKNOWN;
	d->hv_vendor_known = d->hv_microsoft = d->hv_root_partition = TRI_UNKNOWN;
	d->hv_nested = d->hv_slat_in_use = TRI_UNKNOWN;

	const struct cpuid_leaf *l0 = cpu_record_find(cpu, CPUID_LEAF_VENDOR, 0);
	if (!l0)
		return;
	d->has_data = true;
	d->max_basic = l0->eax;
	uint32_t vregs[3] = { l0->ebx, l0->edx, l0->ecx };
	copy_regs_text(d->vendor, vregs, 3);
	d->family = family_of(d->vendor);

	const struct cpuid_leaf *l1 = cpuid_leaf_in_range(cpu, CPUID_LEAF_FEATURES, 0);
	if (l1) {
		uint32_t ecx = leaf1_ecx_is_junk(cpu, l1) ? 0 : l1->ecx;
		d->signature = l1->eax;
		d->cpu_family = signature_family(l1->eax);
		d->cpu_model = signature_model(l1->eax);
		d->hv_bit = bit(l1, ecx, CPUID_1_ECX_HYPERVISOR);
		d->vmx = d->family == VIRT_FAMILY_VMX ? bit(l1, ecx, CPUID_1_ECX_VMX) : TRI_NO;
	} else if (d->max_basic < CPUID_LEAF_FEATURES) {
		d->hv_bit = TRI_NO;
		d->vmx = TRI_NO;
	}

	const struct cpuid_leaf *e0 = cpu_record_find(cpu, CPUID_LEAF_EXT_MAX, 0);
	if (e0 && range_base(e0->eax) == CPUID_LEAF_EXT_MAX)
		d->max_ext = e0->eax;
	const struct cpuid_leaf *e1 = cpuid_leaf_in_range(cpu, CPUID_LEAF_EXT_FEATURES, 0);
	if (e1) {
		d->nx = bit(e1, e1->edx, CPUID_80000001_EDX_NX);
		d->long_mode = bit(e1, e1->edx, CPUID_80000001_EDX_LM);
		d->svm = d->family == VIRT_FAMILY_SVM ? bit(e1, e1->ecx, CPUID_80000001_ECX_SVM)
						      : TRI_NO;
	} else if (e0 && d->max_ext < CPUID_LEAF_EXT_FEATURES) {
		/* Older CPUs answer 80000000H with their highest basic leaf
		 * (Intel SDM vol. 2A, CPUID): no extended range at all. */
		no_extended_leaves(d, "CPUID 80000000H:EAX (maximum extended leaf)");
	} else if (!e0 && l1 && predates_extended_leaves(d)) {
		/* A dump tool records no 80000000H leaf the CPU does not have. */
		no_extended_leaves(d, "CPU family/model: Intel SDM vol. 2A, CPUID (no extended leaves "
				      "before Pentium M)");
	}
	if (d->family != VIRT_FAMILY_SVM && d->svm == TRI_UNKNOWN)
		d->svm = TRI_NO;

	if (d->svm == TRI_YES) {
		const struct cpuid_leaf *a = cpuid_leaf_in_range(cpu, CPUID_LEAF_SVM_FEATURES, 0);
		if (a)
			d->npt = bit(a, a->edx, CPUID_8000000A_EDX_NP);
		else if (d->max_ext && d->max_ext < CPUID_LEAF_SVM_FEATURES)
			d->npt = TRI_NO;
	} else if (d->svm == TRI_NO) {
		d->npt = TRI_NO;
	}

	decode_brand(cpu, d);
	decode_hypervisor(cpu, d);
}
