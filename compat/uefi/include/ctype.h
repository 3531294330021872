/* SPDX-License-Identifier: MIT */
#ifndef HVPROBE_UEFI_CTYPE_H
#define HVPROBE_UEFI_CTYPE_H
int tolower(int c);
int toupper(int c);
int isdigit(int c);
int isxdigit(int c);
#endif
