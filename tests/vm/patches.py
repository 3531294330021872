"""Local Debian packages for the rolling-patch test, built with dpkg-deb.

kernel_without_kvm(): linux-image-RELEASE as Debian's kernel packages are
laid out (/boot/vmlinuz-RELEASE, its config and System.map, a
lib/modules/RELEASE tree), with Debian's own preinst and postinst (depmod,
linux-update-symlinks, run-parts /etc/kernel/postinst.d), but with no
kvm.ko or kvm-amd.ko in its modules: the kernel that must not be booted on
a hypervisor host. harmless(): a package that changes nothing that
matters to a hypervisor.
"""
import os
import shutil
import subprocess

# Debian's linux-image-*.preinst and .postinst (bookworm, 6.1.0-*), with
# VERSION filled in.
PREINST = """#!/bin/sh -e

version=VERSION
image_path=/boot/vmlinuz-$version

if [ "$1" = abort-upgrade ]; then
    exit 0
fi

if [ "$1" = install ]; then
    # Create a flag file for postinst
    mkdir -p /lib/modules/$version
    touch /lib/modules/$version/.fresh-install
fi

if [ -d /etc/kernel/preinst.d ]; then
    DEB_MAINT_PARAMS="$*" run-parts --report --exit-on-error --arg=$version \\
	      --arg=$image_path /etc/kernel/preinst.d
fi

exit 0
"""

POSTINST = """#!/bin/sh -e

version=VERSION
image_path=/boot/vmlinuz-$version

if [ "$1" != configure ]; then
    exit 0
fi

depmod $version

if [ -f /lib/modules/$version/.fresh-install ]; then
    change=install
else
    change=upgrade
fi
linux-update-symlinks $change $version $image_path
rm -f /lib/modules/$version/.fresh-install

if [ -d /etc/kernel/postinst.d ]; then
    DEB_MAINT_PARAMS="$*" run-parts --report --exit-on-error --arg=$version \\
	      --arg=$image_path /etc/kernel/postinst.d
fi

exit 0
"""


def _control(stage, fields, scripts=()):
    debian = os.path.join(stage, "DEBIAN")
    os.makedirs(debian, exist_ok=True)
    with open(os.path.join(debian, "control"), "w") as f:
        for k, v in fields.items():
            f.write(f"{k}: {v}\n")
    for name, text in scripts:
        path = os.path.join(debian, name)
        with open(path, "w") as f:
            f.write(text)
        os.chmod(path, 0o755)


def _build(stage, out):
    subprocess.run(["dpkg-deb", "--root-owner-group", "-Zgzip", "--build", stage, out], check=True,
                   capture_output=True)
    return out


def kernel_without_kvm(work, release, image, config, modules_from=None):
    """linux-image-RELEASE_*.deb in WORK: IMAGE as its vmlinuz, CONFIG as
    its config; its module tree has the block and file system modules of
    MODULES_FROM (a lib/modules/OTHER directory: enough for an initramfs),
    never arch/x86/kvm."""
    stage = os.path.join(work, f"linux-image-{release}")
    shutil.rmtree(stage, ignore_errors=True)
    boot = os.path.join(stage, "boot")
    os.makedirs(boot)
    shutil.copy(image, os.path.join(boot, f"vmlinuz-{release}"))
    shutil.copy(config, os.path.join(boot, f"config-{release}"))
    with open(os.path.join(boot, f"System.map-{release}"), "w") as f:
        f.write("ffffffff81000000 T _text\n")
    moddir = os.path.join(stage, "lib", "modules", release)
    os.makedirs(os.path.join(moddir, "kernel"))
    order = []
    if modules_from:
        for sub in ("kernel/drivers/block/virtio_blk.ko", "kernel/fs/ext4/ext4.ko", "kernel/fs/jbd2/jbd2.ko",
                    "kernel/fs/mbcache.ko", "kernel/lib/crc16.ko"):
            src = os.path.join(modules_from, sub)
            if os.path.exists(src):
                os.makedirs(os.path.dirname(os.path.join(moddir, sub)), exist_ok=True)
                shutil.copy(src, os.path.join(moddir, sub))
                order.append(sub)
        for name in ("modules.builtin", "modules.builtin.modinfo"):
            shutil.copy(os.path.join(modules_from, name), moddir)
    else:
        open(os.path.join(moddir, "modules.builtin"), "w").close()
    with open(os.path.join(moddir, "modules.order"), "w") as f:
        f.writelines(o + "\n" for o in order)
    for dirpath, _, files in os.walk(moddir):
        assert not [x for x in files if x.startswith("kvm")], "the test kernel must have no KVM module"
    version = "6.1.99-1"
    _control(stage, {
        "Package": f"linux-image-{release}", "Source": "linux-signed-amd64", "Version": version,
        "Architecture": "amd64", "Maintainer": "hvprobe tests <hvprobe@invalid>",
        "Depends": "kmod, linux-base (>= 4.3~), initramfs-tools (>= 0.120+deb8u2) | linux-initramfs-tool",
        "Section": "kernel", "Priority": "optional",
        "Description": f"Linux {release} without KVM (a hvprobe test package)",
    }, [("preinst", PREINST.replace("VERSION", release)), ("postinst", POSTINST.replace("VERSION", release))])
    return _build(stage, os.path.join(work, f"linux-image-{release}_{version}_amd64.deb"))


def harmless(work, name="hvprobe-test-harmless", version="1.0"):
    """A package that installs one file under /usr/share/doc."""
    stage = os.path.join(work, name)
    shutil.rmtree(stage, ignore_errors=True)
    doc = os.path.join(stage, "usr", "share", "doc", name)
    os.makedirs(doc)
    with open(os.path.join(doc, "README"), "w") as f:
        f.write("A patch that changes nothing a hypervisor depends on.\n")
    _control(stage, {
        "Package": name, "Version": version, "Architecture": "all",
        "Maintainer": "hvprobe tests <hvprobe@invalid>", "Section": "misc", "Priority": "optional",
        "Description": "a harmless patch (a hvprobe test package)",
    })
    return _build(stage, os.path.join(work, f"{name}_{version}_all.deb"))
