@echo off
rem hvprobe-task.cmd: will the hypervisor launch after the next restart?
rem
rem The scheduled task hvprobe (hvprobe-task.xml, registered by
rem install-task.ps1) runs this as SYSTEM when the Windows Update client
rem records an installation (System log, Microsoft-Windows-WindowsUpdateClient,
rem event 19), when a package waits for the restart (Setup log,
rem Microsoft-Windows-Servicing, event 4) and at every startup. hvprobe
rem judges the host as the next boot will find it: an update that waits for
rem the restart counts as installed.
rem
rem   1. the state now, a snapshot               DATA\last.json
rem   2. the verdict for windows_exporter         TEXTFILE (Prometheus text),
rem      and to the Application log (source hvprobe): event 1000 pass,
rem      1001 fail, 1002 unknown
rem   3. the report a person reads                DATA\last.txt
rem   4. with a baseline: what got worse since    DATA\compare.txt, and to the
rem      Application log: 1010 no regression, 1011 regression, 1012 undecided
rem   5. a snapshot whose verdict is PASS becomes the baseline,
rem      DATA\baseline.json; any other never replaces it
rem   hvprobe's error lines and the exit code go to DATA\task.log; an error (hvprobe exit 64 or
rem   above) is event 1003, written here through PowerShell.
rem
rem Exit code (Task Scheduler's "Last Run Result"): with a baseline,
rem compare's (0 no regression, 1 regression, 2 undecided), else the check's
rem (0 pass, 1 fail, 2 unknown); an error's (64 and above) before either.
rem
rem Settings: hvprobe-task.cfg beside this file (install-task.ps1 writes it),
rem name=value lines, # starts a comment line:
rem   target=hyperv-2012r2    hvprobe --target
rem   data=C:\ProgramData\hvprobe
rem   textfile=C:\Program Files\windows_exporter\textfile_inputs\hvprobe.prom
rem                           (empty: DATA\hvprobe.prom)
rem   args=                   more hvprobe options (quote paths with spaces;
rem                           no & | < > ^ %)
rem The folder of this file must be writable by administrators only (Program
rem Files is): SYSTEM runs what it holds.

setlocal EnableExtensions DisableDelayedExpansion
set "HVPROBE=%~dp0hvprobe.exe"
set "CFG_target=hyperv"
set "CFG_data=%ProgramData%\hvprobe"
set "CFG_textfile=%ProgramFiles%\windows_exporter\textfile_inputs\hvprobe.prom"
set "CFG_args="
if exist "%~dp0hvprobe-task.cfg" for /f "usebackq eol=# tokens=1,* delims==" %%A in ("%~dp0hvprobe-task.cfg") do set "CFG_%%A=%%B"
if not defined CFG_textfile set "CFG_textfile=%CFG_data%\hvprobe.prom"
if not exist "%CFG_data%\" mkdir "%CFG_data%"
set "LAST=%CFG_data%\last.json"
set "BASE=%CFG_data%\baseline.json"
set "LOG=%CFG_data%\task.log"
> "%LOG%" echo hvprobe-task %DATE% %TIME%

rem 1-3: the snapshot, the verdict (textfile, event log), the report. The
rem last run's snapshot goes first: one that failed to write must not
rem leave the old one to be compared and kept. An exit of 64 and up is
rem hvprobe's error, a negative one a crash (0xC0000005 reads -1073741819).
if exist "%LAST%" del "%LAST%"
"%HVPROBE%" snapshot --target %CFG_target% %CFG_args% -o "%LAST%" 2>> "%LOG%"
set "SNAP=%ERRORLEVEL%"
"%HVPROBE%" --target %CFG_target% %CFG_args% --syslog --format prometheus -o "%CFG_textfile%" 2>> "%LOG%"
set "CHECK=%ERRORLEVEL%"
"%HVPROBE%" --target %CFG_target% %CFG_args% -o "%CFG_data%\last.txt" 2>> "%LOG%"
set "REPORT=%ERRORLEVEL%"
set "RESULT=%CHECK%"
set "ERR="
for %%C in (%SNAP% %CHECK% %REPORT%) do if %%C GEQ 64 set "ERR=%%C"
for %%C in (%SNAP% %CHECK% %REPORT%) do if %%C LSS 0 set "ERR=%%C"
if defined ERR goto error

rem 4: what got worse since the last state that passed.
if not exist "%BASE%" goto promote
"%HVPROBE%" compare "%BASE%" "%LAST%" --syslog -o "%CFG_data%\compare.txt" 2>> "%LOG%"
set "RESULT=%ERRORLEVEL%"
if %RESULT% GEQ 64 set "ERR=%RESULT%"
if %RESULT% LSS 0 set "ERR=%RESULT%"
if defined ERR goto error

rem 5: the snapshot's own verdict decides, not the check's a moment later:
rem the first line whose first token is "verdict" is the top-level key (one
rem key a line, and every line before it starts with another key). No
rem findstr, no || or &&: wine's findstr is a stub and its cmd runs both
rem sides of ||, and the test runs this under wine.
:promote
set "SNAPVERDICT="
if not exist "%LAST%" goto done
for /f "usebackq tokens=1,2 delims=:, " %%A in ("%LAST%") do if not defined SNAPVERDICT if "%%~A"=="verdict" set "SNAPVERDICT=%%~B"
if not "%SNAPVERDICT%"=="pass" goto done
copy /y "%LAST%" "%BASE%.new" > nul
if errorlevel 1 goto done
move /y "%BASE%.new" "%BASE%" > nul
goto done

:error
set "HVPROBE_ERROR=hvprobe-task: hvprobe exited %ERR%, an error (docs\exit-codes.md); its message is in %LOG%"
>> "%LOG%" echo %HVPROBE_ERROR%
powershell.exe -NoProfile -NonInteractive -Command "Write-EventLog -LogName Application -Source hvprobe -EventId 1003 -EntryType Error -Message $env:HVPROBE_ERROR" >> "%LOG%" 2>&1
set "RESULT=%ERR%"

:done
>> "%LOG%" echo exit %RESULT%
exit /b %RESULT%
