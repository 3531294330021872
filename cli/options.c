/* SPDX-License-Identifier: MIT */
#include "options.h"

#include <ctype.h>
#include <getopt.h>
#include <stdarg.h>
#include <string.h>

#include "../probe/bcd.h"
#include "../probe/target.h"

void options_usage(FILE *out)
{
	fputs("usage: hvprobe [check] [OPTIONS]         judge whether a hypervisor can launch\n"
	      "       hvprobe collect -o DIR [OPTIONS]  save the evidence as a bundle\n"
	      "       hvprobe snapshot [-o FILE] [OPTIONS]\n"
	      "                                         save the judgement and facts (JSON) as a baseline\n"
	      "       hvprobe compare BASELINE [CURRENT] [OPTIONS]\n"
	      "                                         what got worse since BASELINE, and why\n"
	      "\n"
	      "Evidence (default: this host, live):\n"
	      "      --cpuid-dump FILE   a saved CPUID dump (cpuid -r, libcpuid, AIDA64 formats)\n"
	      "      --from DIR          a bundle written by hvprobe collect\n"
	      "      --msr INDEX=VALUE   a recorded MSR value, such as 0x3a=0x5 (repeatable)\n"
	      "      --msr-file FILE     recorded MSR values, one INDEX=VALUE per line\n"
	      "      --bcd FILE          a Windows BCD store file\n"
	      "      --esp DIR           a mounted EFI (or BIOS) system partition holding the BCD\n"
	      "                          (default, live: search mounted FAT and NTFS partitions)\n"
	      "      --bcd-entry ID      the BCD entry to judge: default, a GUID, a name such as\n"
	      "                          {bootmgr}, or all (judge the default, list every loader)\n"
	      "      --windows DIR       a mounted Windows volume: its installed updates and build\n"
	      "                          (config/SOFTWARE), Hyper-V services and firmware type\n"
	      "                          (config/SYSTEM) and event logs (winevt/Logs)\n"
	      "      --evtx FILE         an exported Windows event log, such as System.evtx from\n"
	      "                          wevtutil epl (repeatable)\n"
	      "      --root DIR          a mounted Linux root (from rescue media): its journal,\n"
	      "                          dpkg and apt logs, boot loader and kernel modules; the\n"
	      "                          processor is still read here (or from --cpuid-dump)\n"
	      "      --kernel RELEASE    judge this installed kernel as the next boot's\n"
	      "                          (kvm.next_boot), as a hook in /etc/kernel/postinst.d does\n"
	      "      --known-issues FILE more known bad updates (docs/known-issues.md)\n"
	      "\n"
	      "Judgement and output:\n"
	      "  -t, --target NAME       hyperv, hyperv-2012r2, kvm, xen or any\n"
	      "                          (default: hyperv with a BCD store, else kvm on a live\n"
	      "                          Linux host, any offline)\n"
	      "  -c, --check ID[,ID]     run only these checks (repeatable)\n"
	      "  -f, --format FORMAT     text (default), json, nagios (plugin output and exit\n"
	      "                          codes), prometheus (textfile collector) or junit\n"
	      "      --syslog            also log one summary line to syslog (tag hvprobe)\n"
	      "  -o, --output PATH       write the report to PATH atomically (collect: the bundle)\n"
	      "      --force             compare: even a baseline from another host\n"
	      "  -q, --quiet             print nothing; only the exit code tells\n"
	      "  -v, --verbose           show the evidence of every check\n"
	      "      --no-color          no colours even on a terminal (so does NO_COLOR)\n"
	      "  -V, --version           print the version\n"
	      "  -h, --help              print this help\n"
	      "\n"
	      "Exit codes: 0 pass, 1 fail, 2 unknown (compare: 0 no regression, 1 regression,\n"
	      "2 undecided), 64 usage, 65 bad input data,\n"
	      "66 input missing, 71 OS error, 73 cannot create output, 74 I/O error.\n",
	      out);
}

static bool usage_error(const char *fmt, ...) __attribute__((format(HV_PRINTF_FORMAT, 1, 2)));
static bool usage_error(const char *fmt, ...)
{
	va_list ap;
	fputs("hvprobe: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(" (see hvprobe --help)\n", stderr);
	return false;
}

/* A release as lib/modules/RELEASE names it ("6.1.0-18-amd64"): one path
 * component of the characters kernel releases use, never "." or "..". */
static bool kernel_release_valid(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n >= sizeof(((struct kernel_modules *)0)->release) || s[0] == '.')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("._+~-", s[i]))
			return false;
	return true;
}

/* "--check cpu.nx,fw.boot": each id must exist. */
static bool add_checks(struct options *o, const char *list)
{
	char buf[512];
	if (strlen(list) >= sizeof(buf))
		return usage_error("--check: list too long: %s", list);
	strcpy(buf, list);
	char *save = NULL;
	for (char *id = strtok_r(buf, ",", &save); id; id = strtok_r(NULL, ",", &save)) {
		int i = check_find(id);
		if (i < 0)
			return usage_error("--check: no check named \"%s\"", id);
		o->checks[i] = true;
	}
	o->checks_given = true;
	return true;
}

static bool parse_format(const char *name, enum format *out)
{
	static const char *const names[] = {
		[FORMAT_TEXT] = "text", [FORMAT_JSON] = "json", [FORMAT_NAGIOS] = "nagios",
		[FORMAT_PROMETHEUS] = "prometheus", [FORMAT_JUNIT] = "junit",
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(name, names[i]) == 0) {
			*out = (enum format)i;
			return true;
		}
	}
	return false;
}

enum { OPT_CPUID_DUMP = 256, OPT_FROM, OPT_MSR, OPT_MSR_FILE, OPT_NO_COLOUR, OPT_BCD, OPT_ESP,
       OPT_BCD_ENTRY, OPT_WINDOWS, OPT_ROOT, OPT_KERNEL, OPT_EVTX, OPT_KNOWN_ISSUES, OPT_FORCE, OPT_SYSLOG };

bool options_parse(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "target", required_argument, NULL, 't' },
		{ "check", required_argument, NULL, 'c' },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ "cpuid-dump", required_argument, NULL, OPT_CPUID_DUMP },
		{ "from", required_argument, NULL, OPT_FROM },
		{ "msr", required_argument, NULL, OPT_MSR },
		{ "msr-file", required_argument, NULL, OPT_MSR_FILE },
		{ "bcd", required_argument, NULL, OPT_BCD },
		{ "esp", required_argument, NULL, OPT_ESP },
		{ "bcd-entry", required_argument, NULL, OPT_BCD_ENTRY },
		{ "windows", required_argument, NULL, OPT_WINDOWS },
		{ "evtx", required_argument, NULL, OPT_EVTX },
		{ "root", required_argument, NULL, OPT_ROOT },
		{ "kernel", required_argument, NULL, OPT_KERNEL },
		{ "known-issues", required_argument, NULL, OPT_KNOWN_ISSUES },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "syslog", no_argument, NULL, OPT_SYSLOG },
		{ "no-color", no_argument, NULL, OPT_NO_COLOUR },
		{ "no-colour", no_argument, NULL, OPT_NO_COLOUR },
		{ NULL, 0, NULL, 0 },
	};
	static const struct {
		const char *name;
		enum command command;
	} commands[] = {
		{ "check", CMD_CHECK },
		{ "collect", CMD_COLLECT },
		{ "snapshot", CMD_SNAPSHOT },
		{ "compare", CMD_COMPARE },
	};
	memset(o, 0, sizeof(*o));
	int first = 1;
	for (size_t i = 0; argc > 1 && i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[1], commands[i].name) == 0) {
			o->command = commands[i].command;
			first = 2;
		}
	}
	optind = first;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":t:c:f:o:qvVh", longopts, NULL)) != -1) {
		switch (c) {
		case 't':
			if (!target_find(optarg))
				return usage_error("--target: unknown target \"%s\"; use hyperv, "
						   "hyperv-2012r2, kvm, xen or any", optarg);
			o->target = optarg;
			break;
		case 'c':
			if (!add_checks(o, optarg))
				return false;
			break;
		case 'f':
			if (!parse_format(optarg, &o->format))
				return usage_error("--format: unknown format \"%s\"; use text, json, nagios, "
						   "prometheus or junit", optarg);
			break;
		case 'o': o->output = optarg; break;
		case 'q': o->quiet = true; break;
		case 'v': o->verbose = true; break;
		case 'V': o->version = true; break;
		case 'h': o->help = true; break;
		case OPT_CPUID_DUMP: o->cpuid_dump = optarg; break;
		case OPT_FROM: o->from = optarg; break;
		case OPT_MSR_FILE: o->msr_file = optarg; break;
		case OPT_NO_COLOUR: o->no_colour = true; break;
		case OPT_BCD: o->bcd = optarg; break;
		case OPT_ESP: o->esp = optarg; break;
		case OPT_WINDOWS: o->windows = optarg; break;
		case OPT_ROOT: o->root = optarg; break;
		case OPT_KERNEL:
			if (!kernel_release_valid(optarg))
				return usage_error("--kernel: \"%s\" is not a kernel release (such as "
						   "6.1.0-18-amd64, as in lib/modules/RELEASE)", optarg);
			o->kernel = optarg;
			break;
		case OPT_KNOWN_ISSUES: o->known_issues = optarg; break;
		case OPT_FORCE: o->force = true; break;
		case OPT_SYSLOG: o->syslog = true; break;
		case OPT_BCD_ENTRY:
			if (!bcd_request_valid(optarg))
				return usage_error("--bcd-entry: \"%s\" is not default, all, a GUID or a "
						   "well-known name such as {bootmgr}", optarg);
			o->bcd_entry = optarg;
			break;
		case OPT_EVTX:
			if (o->nevtx >= OPTIONS_MAX_EVTX)
				return usage_error("--evtx: more than %d logs", OPTIONS_MAX_EVTX);
			o->evtx[o->nevtx++] = optarg;
			break;
		case OPT_MSR:
			if (o->nmsr >= OPTIONS_MAX_MSR)
				return usage_error("--msr: more than %d values", OPTIONS_MAX_MSR);
			o->msr[o->nmsr++] = optarg;
			break;
		case ':':
			return usage_error("%s needs a value", argv[optind - 1]);
		default:
			return usage_error("unknown option %s", argv[optind - 1]);
		}
	}
	if (o->command == CMD_COMPARE && optind < argc)
		o->baseline = argv[optind++];
	if (o->command == CMD_COMPARE && optind < argc)
		o->current = argv[optind++];
	if (optind < argc)
		return usage_error("unexpected argument \"%s\"", argv[optind]);
	if (o->command == CMD_COMPARE && !o->baseline && !o->help && !o->version)
		return usage_error("%s", "compare needs the BASELINE snapshot");
	if (o->current && (o->cpuid_dump || o->from || o->bcd || o->esp || o->windows || o->nevtx ||
			   o->root))
		return usage_error("%s", "compare with a CURRENT snapshot reads no other evidence");
	if (o->cpuid_dump && o->from)
		return usage_error("%s", "--cpuid-dump and --from are two sources: give one");
	if (o->root && o->from)
		return usage_error("%s", "--root and --from are two records of a Linux system: give one");
	if (o->kernel && (o->from || o->current || (o->cpuid_dump && !o->root)))
		return usage_error("%s", "--kernel names a kernel installed on this host or in --root: "
				   "not with --from, a CURRENT snapshot, or --cpuid-dump without --root");
	if (o->bcd && o->esp)
		return usage_error("%s", "--bcd and --esp both name a BCD store: give one");
	if (o->command == CMD_COLLECT && !o->output && !o->help && !o->version)
		return usage_error("%s", "collect needs -o DIR");
	return true;
}
