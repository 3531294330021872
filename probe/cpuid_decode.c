/* SPDX-License-Identifier: MIT */
#include "cpuid_decode.h"

#include <string.h>

static const struct hypervisor_info hypervisors[] = {
	{ "Microsoft Hv", "Microsoft Hyper-V",
	  "on the Hyper-V host, with the VM off: Set-VMProcessor -VMName <vm> "
	  "-ExposeVirtualizationExtensions $true" },
	{ "KVMKVMKVM", "KVM",
	  "on the KVM host: load kvm_intel or kvm_amd with nested=1 and give the "
	  "guest the host CPU (-cpu host, or <cpu mode='host-passthrough'/> in libvirt)" },
	{ "Linux KVM Hv", "KVM (with Hyper-V enlightenments)",
	  "on the KVM host: load kvm_intel or kvm_amd with nested=1 and give the "
	  "guest the host CPU (-cpu host, or <cpu mode='host-passthrough'/> in libvirt)" },
	{ "VMwareVMware", "VMware",
	  "in the VM's settings on the VMware host, with the VM off: enable "
	  "\"Expose hardware assisted virtualization to the guest OS\" (vhv.enable = \"TRUE\")" },
	{ "XenVMMXenVMM", "Xen",
	  "in the guest's Xen configuration: nestedhvm=1 (and hap=1), then restart the guest" },
	{ "TCGTCGTCGTCG", "QEMU TCG (software emulation)",
	  "QEMU's TCG does not emulate VT-x: use an AMD model with SVM (-cpu EPYC) or run "
	  "the outer QEMU with KVM (-accel kvm -cpu host) on a host with nested virtualization" },
	{ "VBoxVBoxVBox", "VirtualBox",
	  "on the VirtualBox host, with the VM off: VBoxManage modifyvm <vm> --nested-hw-virt on" },
	{ "bhyve bhyve", "bhyve",
	  "bhyve does not expose VMX/SVM to its guests: run the hypervisor on the bare-metal host" },
	{ "ACRNACRNACRN", "ACRN",
	  "ACRN does not expose VMX to its guests: run the hypervisor on the bare-metal host" },
	{ "QNXQVMBSQG", "QNX hypervisor",
	  "the QNX hypervisor does not expose VMX to its guests: run on bare metal" },
	{ " lrpepyh  vr", "Parallels",
	  "in Parallels, with the VM off: Hardware > CPU > Advanced > enable nested virtualization" },
	{ "Jailhouse", "Jailhouse",
	  "Jailhouse cells cannot run a hypervisor: run it in the root cell on bare metal" },
};

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
	if (d->hv_microsoft == TRI_YES) {
		const struct cpuid_leaf *feat = cpuid_leaf_in_range(cpu, base + 3, 0);
		d->hv_root_partition =
			bit(feat, feat ? feat->ebx : 0, CPUID_HV_FEATURES_EBX_CREATE_PARTITIONS);
	} else if (d->hv_microsoft == TRI_NO) {
		d->hv_root_partition = TRI_NO;
	}
}

void cpu_decode(const struct cpu_record *cpu, struct cpu_decoded *d)
{
	memset(d, 0, sizeof(*d));
	d->vmx = d->svm = d->nx = d->long_mode = d->npt = d->hv_bit = TRI_UNKNOWN;
	d->hv_vendor_known = d->hv_microsoft = d->hv_root_partition = TRI_UNKNOWN;

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
		/* The CPU has no extended feature leaf at all: no NX, no x86-64. */
		d->nx = d->long_mode = TRI_NO;
		d->svm = TRI_NO;
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
