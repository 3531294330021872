# Install hvprobe's scheduled task on a Windows (Hyper-V) host: will the
# hypervisor launch after the next restart?
#
# Run once, as Administrator, from the unpacked release folder:
#   powershell -ExecutionPolicy Bypass -File contrib\install-task.ps1
# Windows Server 2012 R2 (PowerShell 4, its ScheduledTasks module) and later.
#
# What it does:
#   1. copies hvprobe.exe and hvprobe-task.cmd to -InstallDir
#      (C:\Program Files\hvprobe) and writes hvprobe-task.cfg there (the
#      target, the folders, -Arguments); that folder and -DataDir
#      (C:\ProgramData\hvprobe) are made writable by SYSTEM and
#      Administrators only, since SYSTEM runs what is there and the baseline
#      there decides what a comparison reports;
#   2. registers the event source hvprobe in the Application log;
#   3. registers the task hvprobe from hvprobe-task.xml (replacing an older
#      one of that name): as SYSTEM, when the Windows Update client records
#      an installation (System log, Microsoft-Windows-WindowsUpdateClient,
#      event 19), when a package waits for the restart (Setup log,
#      Microsoft-Windows-Servicing, event 4) and at startup, it runs
#      hvprobe-task.cmd, which judges the host as the next boot will find
#      it, keeps the last PASS snapshot as the baseline and compares against
#      it, writes the windows_exporter textfile (-TextfileDir\hvprobe.prom)
#      and logs the verdict to the Application log (event IDs in
#      docs\windows.md);
#   4. runs the task once, so a baseline exists before the next update.
# It changes no Windows Update setting unless -HoldAutomaticRestart is given.
#
# -HoldAutomaticRestart (opt-in): Windows Update's documented policy
# "Configure Automatic Updates", option 3 "Auto download and notify for
# install": in HKLM\SOFTWARE\Policies\Microsoft\Windows\WindowsUpdate\AU it
# sets NoAutoUpdate = 0 and AUOptions = 3. Updates are still downloaded,
# but installed (and so followed by a restart) only when an administrator
# says so, after reading the task's verdict. The previous values are saved
# in -DataDir\windows-update-policy.before and restored by
# -ReleaseAutomaticRestart or -Uninstall. A domain Group Policy that sets
# Windows Update overrides these values at its next refresh: set the same
# policy in that GPO instead. Sources: docs\windows.md.
#
# Undo:
#   powershell -ExecutionPolicy Bypass -File contrib\install-task.ps1 -ReleaseAutomaticRestart
#   powershell -ExecutionPolicy Bypass -File contrib\install-task.ps1 -Uninstall
# -Uninstall removes the task and -InstallDir and restores a held policy; it
# keeps -DataDir (the baseline and the last reports): remove it by hand.
#Requires -Version 4.0
#Requires -RunAsAdministrator
[CmdletBinding(DefaultParameterSetName = 'Install')]
param(
    [Parameter(ParameterSetName = 'Install')]
    [string]$Exe = (Join-Path $PSScriptRoot '..\hvprobe.exe'),
    [string]$InstallDir = (Join-Path $env:ProgramFiles 'hvprobe'),
    [string]$DataDir = (Join-Path $env:ProgramData 'hvprobe'),
    [Parameter(ParameterSetName = 'Install')]
    [string]$TextfileDir = (Join-Path $env:ProgramFiles 'windows_exporter\textfile_inputs'),
    # hyperv-2012r2 or hyperv; default: hyperv-2012r2 on build 9600
    # (Windows Server 2012 R2), else hyperv.
    [Parameter(ParameterSetName = 'Install')]
    [string]$Target = '',
    # More hvprobe options for every run, e.g. '--bcd-entry {current}'.
    [Parameter(ParameterSetName = 'Install')]
    [string]$Arguments = '',
    [Parameter(ParameterSetName = 'Install')]
    [switch]$HoldAutomaticRestart,
    [Parameter(ParameterSetName = 'Release', Mandatory = $true)]
    [switch]$ReleaseAutomaticRestart,
    [Parameter(ParameterSetName = 'Uninstall', Mandatory = $true)]
    [switch]$Uninstall
)
$ErrorActionPreference = 'Stop'
$taskName = 'hvprobe'
$auKey = 'HKLM:\SOFTWARE\Policies\Microsoft\Windows\WindowsUpdate\AU'
$auValues = @{ NoAutoUpdate = 0; AUOptions = 3 }
$saved = Join-Path $DataDir 'windows-update-policy.before'

# SYSTEM and Administrators: full control; Users (InstallDir only): read and
# run. No inherited entry: ProgramData lets every user create files.
function Set-AdminOnly([string]$Path, [bool]$UsersRead) {
    $grants = @('*S-1-5-18:(OI)(CI)F', '*S-1-5-32-544:(OI)(CI)F')
    if ($UsersRead) { $grants += '*S-1-5-32-545:(OI)(CI)RX' }
    & icacls.exe $Path /inheritance:r /grant:r @grants | Out-Null
    if ($LASTEXITCODE -ne 0) { throw "icacls $Path failed ($LASTEXITCODE)" }
}

function Restore-WindowsUpdatePolicy {
    if (-not (Test-Path $saved)) {
        Write-Output "no Windows Update policy held by hvprobe ($saved absent): nothing to restore"
        return
    }
    foreach ($line in Get-Content $saved) {
        $name, $value = $line -split '=', 2
        if ($value -eq 'absent') {
            Remove-ItemProperty -Path $auKey -Name $name -ErrorAction SilentlyContinue
            Write-Output "removed $auKey\$name (it was not set before)"
        } else {
            New-ItemProperty -Path $auKey -Name $name -PropertyType DWord -Value ([int]$value) -Force | Out-Null
            Write-Output "restored $auKey\$name = $value"
        }
    }
    Remove-Item $saved
    Write-Output 'Windows Update applies this when its service restarts or at the next policy refresh (gpupdate /force).'
}

function Set-RestartHold {
    if (-not (Test-Path $auKey)) { New-Item -Path $auKey -Force | Out-Null }
    $current = Get-ItemProperty -Path $auKey
    if (-not (Test-Path $saved)) {  # the first hold keeps the original values
        $lines = foreach ($name in $auValues.Keys) {
            $v = $current.$name
            if ($null -eq $v) { "$name=absent" } else { "$name=$v" }
        }
        Set-Content -Path $saved -Value $lines -Encoding ASCII
    }
    foreach ($name in $auValues.Keys) {
        New-ItemProperty -Path $auKey -Name $name -PropertyType DWord -Value $auValues[$name] -Force | Out-Null
        Write-Output "set $auKey\$name = $($auValues[$name]) (was: $(if ($null -eq $current.$name) { 'not set' } else { $current.$name }))"
    }
    Write-Output @"
Configure Automatic Updates is now option 3, "Auto download and notify for install": updates are
downloaded, and installed (then restarted for) only when an administrator starts the installation
(Windows Update, or sconfig option 6). Read the verdict after each installation: the Application log
(source hvprobe) or $DataDir\last.txt. It takes effect when the Windows Update service restarts or at
the next policy refresh (gpupdate /force). A domain Group Policy for Windows Update overrides it at
its next refresh. Undo: install-task.ps1 -ReleaseAutomaticRestart (the values before are in $saved).
"@
}

if ($ReleaseAutomaticRestart) {
    Restore-WindowsUpdatePolicy
    return
}

if ($Uninstall) {
    if (Get-ScheduledTask -TaskName $taskName -ErrorAction SilentlyContinue) {
        Unregister-ScheduledTask -TaskName $taskName -Confirm:$false
        Write-Output "removed the task $taskName"
    }
    Restore-WindowsUpdatePolicy
    if (Test-Path $InstallDir) {
        Remove-Item -Recurse -Force $InstallDir
        Write-Output "removed $InstallDir"
    }
    Write-Output "kept $DataDir (baseline and reports) and the event source hvprobe; remove them with:"
    Write-Output "  Remove-Item -Recurse '$DataDir'; Remove-EventLog -Source hvprobe"
    return
}

if (-not $Target) {  # the registry's build, which no compatibility shim rewrites
    $build = (Get-ItemProperty 'HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion').CurrentBuild
    $Target = if ($build -eq '9600') { 'hyperv-2012r2' } else { 'hyperv' }
}
if ($Target -notin 'hyperv', 'hyperv-2012r2') { throw "-Target: hyperv or hyperv-2012r2, not $Target" }
# hvprobe-task.cmd expands these unquoted on cmd's command line.
if ($Arguments -match '[&|<>^%!]') { throw "-Arguments: none of & | < > ^ % ! (cmd.exe reads them)" }

# 1. The program, the script and its settings where SYSTEM runs them.
New-Item -ItemType Directory -Force -Path $InstallDir, $DataDir, $TextfileDir | Out-Null
Set-AdminOnly $InstallDir $true
Set-AdminOnly $DataDir $false
Copy-Item -Force $Exe (Join-Path $InstallDir 'hvprobe.exe')
Copy-Item -Force (Join-Path $PSScriptRoot 'hvprobe-task.cmd') $InstallDir
Set-Content -Path (Join-Path $InstallDir 'hvprobe-task.cfg') -Encoding ASCII -Value @(
    '# hvprobe-task.cmd settings, written by install-task.ps1 (name=value)',
    "target=$Target",
    "data=$DataDir",
    "textfile=$(Join-Path $TextfileDir 'hvprobe.prom')",
    "args=$Arguments")

# 2. The event source --syslog writes to.
if (-not [System.Diagnostics.EventLog]::SourceExists('hvprobe')) {
    New-EventLog -LogName Application -Source hvprobe
}

# 3. The task, from hvprobe-task.xml: the folder filled in (as text, so XML
# escaping is the DOM's), the comments dropped.
$xml = New-Object System.Xml.XmlDocument
$xml.Load((Join-Path $PSScriptRoot 'hvprobe-task.xml'))
$ns = New-Object System.Xml.XmlNamespaceManager $xml.NameTable
$ns.AddNamespace('t', 'http://schemas.microsoft.com/windows/2004/02/mit/task')
$argsNode = $xml.SelectSingleNode('/t:Task/t:Actions/t:Exec/t:Arguments', $ns)
$argsNode.InnerText = $argsNode.InnerText.Replace('@INSTALLDIR@', $InstallDir.TrimEnd('\'))
foreach ($c in @($xml.SelectNodes('//comment()'))) { [void]$c.ParentNode.RemoveChild($c) }
Register-ScheduledTask -TaskName $taskName -Xml $xml.OuterXml -User 'NT AUTHORITY\SYSTEM' -Force | Out-Null
Write-Output "registered the task ${taskName}: at startup and after each Windows Update installation (System event 19, Setup event 4)"
Write-Output "  runs: %windir%\System32\cmd.exe $($argsNode.InnerText)"

if ($HoldAutomaticRestart) {
    Set-RestartHold
} elseif (Test-Path $saved) {
    Write-Output "the Windows Update hold set by an earlier -HoldAutomaticRestart stays; undo: -ReleaseAutomaticRestart"
}

# 4. A first run now: the baseline, if this host passes.
# LastTaskResult 267009 (0x41301) is "running", 267011 (0x41303) "not yet run".
Start-ScheduledTask -TaskName $taskName
$deadline = (Get-Date).AddMinutes(10)
do {
    Start-Sleep -Seconds 2
    $result = (Get-ScheduledTaskInfo -TaskName $taskName).LastTaskResult
} while (($result -in @(267009, 267011)) -and ((Get-Date) -lt $deadline))
Write-Output "first run: exit $result (0 pass, 1 fail, 2 unknown, 64 and above an error; docs\exit-codes.md)"
Write-Output "  report: $DataDir\last.txt; baseline (written only when the verdict is PASS): $DataDir\baseline.json"
