# The Windows build (included from CMakeLists.txt): the same portable
# libraries (probe, formats, judge, report; cmake/sources.cmake), evidence
# from platform/windows/ through the Windows API only, one static hvprobe.exe
# that needs no DLL beyond the system's.
add_library(hvprobe_platform STATIC ${HVPROBE_PLATFORM_SOURCES} ${HVPROBE_PLATFORM_WINDOWS_SOURCES})
# Windows 8 for GetFirmwareType; processor groups and RegLoadAppKey are older.
target_compile_definitions(hvprobe_platform PUBLIC _WIN32_WINNT=0x0602 WINVER=0x0602)
target_link_libraries(hvprobe_platform PUBLIC hvprobe_formats advapi32 wevtapi)

add_executable(hvprobe ${HVPROBE_CLI_SOURCES} ${HVPROBE_CLI_WINDOWS_SOURCES})
target_link_libraries(hvprobe PRIVATE hvprobe_platform hvprobe_report)
target_link_options(hvprobe PRIVATE -static)
install(TARGETS hvprobe RUNTIME DESTINATION .)
install(FILES README.md DESTINATION .)
install(DIRECTORY docs/ DESTINATION docs)
install(FILES contrib/windows/install-task.ps1 contrib/windows/hvprobe-task.cmd
  contrib/windows/hvprobe-task.xml DESTINATION contrib)
