# The Windows build (included from CMakeLists.txt): the same core and
# parsers, evidence from platform/windows/ through the Windows API only,
# one static hvprobe.exe that needs no DLL beyond the system's.
add_library(hvprobe_platform STATIC
  platform/parse_file.c
  platform/nocase_path.c
  formats/regtree.c
  formats/bcd_walk.c
  formats/software_walk.c
  formats/system_walk.c
  platform/bcd_find.c
  platform/cpuid_read.c
  platform/windows/cpuid_win.c
  platform/windows/regtree_win.c
  platform/windows/live_win.c
  platform/hive/hive_file.c
  platform/hive/bcd_hive.c
  platform/hive/software_hive.c
  platform/windows/hive_win.c
  platform/windows/fileio_win.c
  platform/windows/eventlog_win.c
  platform/windows/events_win.c
  platform/windows/stubs_win.c
)
# Windows 8 for GetFirmwareType; processor groups and RegLoadAppKey are older.
target_compile_definitions(hvprobe_platform PUBLIC _WIN32_WINNT=0x0602 WINVER=0x0602)
target_link_libraries(hvprobe_platform PUBLIC hvprobe_parsers advapi32 wevtapi)

add_executable(hvprobe cli/main.c cli/options.c cli/output.c cli/gather.c cli/compare_cmd.c)
target_link_libraries(hvprobe PRIVATE hvprobe_platform)
target_link_options(hvprobe PRIVATE -static)
install(TARGETS hvprobe RUNTIME DESTINATION .)
install(FILES README.md DESTINATION .)
install(DIRECTORY docs/ DESTINATION docs)
install(FILES contrib/windows/install-task.ps1 DESTINATION contrib)
