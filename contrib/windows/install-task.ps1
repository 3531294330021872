# Register hvprobe as a startup task on a Windows (Hyper-V) host.
#
# Run once, as Administrator, from the unpacked release folder:
#   powershell -ExecutionPolicy Bypass -File contrib\install-task.ps1
#
# At every boot the task (as SYSTEM, so it can read HKLM\BCD00000000):
#   1. writes the JSON snapshot   C:\ProgramData\hvprobe\last.json
#   2. writes the Prometheus file C:\Program Files\windows_exporter\textfile_inputs\hvprobe.prom
#      (windows_exporter's textfile collector reads the node_exporter format)
#   3. logs the verdict to the Application event log (source hvprobe).
# Remove it with: Unregister-ScheduledTask -TaskName hvprobe -Confirm:$false
param(
    [string]$Exe = (Join-Path $PSScriptRoot '..\hvprobe.exe'),
    [string]$DataDir = 'C:\ProgramData\hvprobe',
    [string]$TextfileDir = 'C:\Program Files\windows_exporter\textfile_inputs',
    [string]$Target = 'hyperv'
)
$ErrorActionPreference = 'Stop'

# The program where the task can find it whatever the current directory.
$installDir = 'C:\Program Files\hvprobe'
New-Item -ItemType Directory -Force -Path $installDir, $DataDir, $TextfileDir | Out-Null
Copy-Item -Force $Exe (Join-Path $installDir 'hvprobe.exe')
$hvprobe = Join-Path $installDir 'hvprobe.exe'

# The event source --syslog writes to (registering it needs Administrator).
if (-not [System.Diagnostics.EventLog]::SourceExists('hvprobe')) {
    New-EventLog -LogName Application -Source hvprobe
}

# One cmd line: the snapshot, then the Prometheus file with the event-log
# line. Each output is written atomically by hvprobe itself.
$commands = @(
    "`"$hvprobe`" snapshot --target $Target -o `"$DataDir\last.json`"",
    "`"$hvprobe`" --target $Target --syslog --format prometheus -o `"$TextfileDir\hvprobe.prom`""
) -join ' & '
$action = New-ScheduledTaskAction -Execute 'cmd.exe' -Argument "/c $commands"
$trigger = New-ScheduledTaskTrigger -AtStartup
$principal = New-ScheduledTaskPrincipal -UserId 'SYSTEM' -LogonType ServiceAccount -RunLevel Highest
$settings = New-ScheduledTaskSettingsSet -ExecutionTimeLimit (New-TimeSpan -Minutes 5) -StartWhenAvailable
Register-ScheduledTask -TaskName 'hvprobe' -Action $action -Trigger $trigger -Principal $principal `
    -Settings $settings -Description 'Checks that the hypervisor can launch (hvprobe)' -Force | Out-Null
Write-Output "registered the startup task hvprobe; run it now with: Start-ScheduledTask -TaskName hvprobe"
