# The sources of each folder, named once. CMakeLists.txt (Linux),
# cmake/windows.cmake and scripts/build-uefi.sh all read these lists; the
# shell script reads them with sed, so keep the shape: "set(NAME" alone on a
# line, one path a line indented by two spaces, ")" alone on a line.
#
# The portable folders (probe, formats, judge, report) are plain C11 and
# the C standard library. Every file of the *_SOURCES lists below also
# builds freestanding against compat/uefi's small C library, so
# hvprobe.efi compiles them all and its linker takes what efi/main.c uses;
# HVPROBE_FORMATS_HOSTED_SOURCES need more of the C library (errno,
# strtoull, jsmn) than the shim gives.

# probe/: the evidence model, decoding, checks, targets, verdict.
set(HVPROBE_PROBE_SOURCES
  probe/evidence.c
  probe/strbuf.c
  probe/cpuid_decode.c
  probe/facts.c
  probe/check.c
  probe/checks_cpu.c
  probe/checks_hv.c
  probe/checks_fw.c
  probe/checks_os.c
  probe/checks_bcd.c
  probe/checks_updates.c
  probe/updates.c
  probe/checks_launch.c
  probe/checks_kvm.c
  probe/launch.c
  probe/launch_events.c
  probe/kvm_boots.c
  probe/utc.c
  probe/sort.c
  probe/bcd.c
  probe/utf16.c
  probe/known_issues.c
  probe/check_table.c
  probe/target.c
  probe/verdict.c
)

# formats/: readers of saved or captured evidence, no OS.
set(HVPROBE_FORMATS_SOURCES
  formats/textscan.c
  formats/cpuid_dump.c
  formats/msr_text.c
  formats/bundle_text.c
  formats/installed_text.c
  formats/history_text.c
  formats/known_issues_text.c
  formats/evtx_scan.c
  formats/cpuinfo.c
  formats/kmsg.c
  formats/mounts.c
  formats/dpkg.c
  formats/pkglog.c
  formats/bootloader.c
  formats/regtree.c
  formats/bcd_walk.c
  formats/software_walk.c
  formats/system_walk.c
  formats/snapshot.c
)
set(HVPROBE_FORMATS_HOSTED_SOURCES
  formats/event_xml.c
  formats/events_text.c
  formats/json_reader.c
)

# judge/: two snapshots compared.
set(HVPROBE_JUDGE_SOURCES
  judge/compare.c
)

# report/: renderers.
set(HVPROBE_REPORT_SOURCES
  report/json_writer.c
  report/text_clean.c
  report/summary.c
  report/report_text.c
  report/report_json.c
  report/report_nagios.c
  report/report_prometheus.c
  report/report_junit.c
  report/compare_text.c
  report/compare_json.c
  report/compare_nagios.c
  report/compare_prometheus.c
  report/compare_junit.c
)

# platform/: collectors. Those every OS build takes, then each OS's own.
set(HVPROBE_PLATFORM_SOURCES
  platform/read_growing.c
  platform/parse_file.c
  platform/nocase_path.c
  platform/bcd_find.c
  platform/event_logs.c
  platform/hive/hive_file.c
  platform/hive/bcd_hive.c
  platform/hive/software_hive.c
)
set(HVPROBE_PLATFORM_LINUX_SOURCES
  platform/fileio.c
  platform/bundle.c
  platform/cpu_identify.c
  platform/hive/hive.c
  platform/evtx/evtx_file.c
  platform/evtx/events_load.c
  platform/linux/bcd_live.c
  platform/linux/packages_live.c
  platform/linux/live_all.c
  platform/linux/root_collect.c
  platform/linux/cpuid_live.c
  platform/linux/msr_live.c
  platform/linux/kernel_live.c
  platform/linux/kvm_live.c
  platform/linux/history_files.c
  platform/linux/journal_read.c
  platform/linux/root_path.c
)
set(HVPROBE_PLATFORM_WINDOWS_SOURCES
  platform/cpuid_read.c
  platform/windows/cpuid_win.c
  platform/windows/regtree_win.c
  platform/windows/live_win.c
  platform/windows/hive_win.c
  platform/windows/fileio_win.c
  platform/windows/events_win.c
  platform/windows/stubs_win.c
)
# The firmware's, for hvprobe.efi: CPUID through a caller's instruction
# (shared with Windows) and platform/uefi/, which also needs gnu-efi's
# headers: every processor's CPUID and MSRs, the firmware's variables, the
# boot volume's BCD store and the bundle written back to that volume.
set(HVPROBE_PLATFORM_UEFI_SOURCES
  platform/cpuid_read.c
  platform/uefi/cpuid_uefi.c
  platform/uefi/msr_uefi.c
  platform/uefi/variables_uefi.c
  platform/uefi/volume_uefi.c
  platform/uefi/bcd_uefi.c
  platform/uefi/bundle_write_uefi.c
)

# The programs.
set(HVPROBE_CLI_SOURCES
  cli/main.c
  cli/options.c
  cli/output.c
  cli/gather.c
  cli/compare_cmd.c
)
set(HVPROBE_CLI_LINUX_SOURCES
  cli/syslog_out.c
)
set(HVPROBE_CLI_WINDOWS_SOURCES
  cli/syslog_win.c
)
# hvprobe.efi: the entry point and the C library shim. libc.c builds
# freestanding; pool.c and main.c, like platform/uefi/, also need gnu-efi's
# headers.
set(HVPROBE_COMPAT_UEFI_SOURCES
  compat/uefi/libc.c
)
set(HVPROBE_EFI_SOURCES
  compat/uefi/pool.c
  efi/main.c
)
