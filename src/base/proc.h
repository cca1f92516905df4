/*
 * Who a pid is: a process that writes its pid into the store for others
 * to wait on (a segment run, an import's mark) is told from a later one
 * given the same pid by its start time and the boot it ran in.
 */
#ifndef RESEG_PROC_H
#define RESEG_PROC_H

#include <stdint.h>

#define PROC_BOOT_ID	16

/*
 * When process pid started, in clock ticks since boot (field 22 of
 * /proc/PID/stat); 0 when /proc does not say.
 */
uint64_t proc_start_ticks(long pid);
/* This boot's id (/proc/sys/kernel/random/boot_id); zeros when unknown. */
void	 proc_boot_id(uint8_t id[PROC_BOOT_ID]);
/*
 * Whether pid is a process of this boot that runs (kill(pid, 0),
 * permission aside) and, unless start is 0, started at start.  boot
 * (NULL or zeros: unknown) is the boot the process was noted in.
 */
int	 proc_alive(long pid, uint64_t start, const uint8_t *boot);

#endif
