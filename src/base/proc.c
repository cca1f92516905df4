#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <threads.h>

#include "proc.h"

uint64_t
proc_start_ticks(long pid)
{
	char path[64], buf[1024], *p;
	unsigned long long start = 0;
	FILE *f;
	size_t n;
	int field;

	snprintf(path, sizeof path, "/proc/%ld/stat", pid);
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* The command name may hold spaces; count fields after its ')'. */
	if ((p = strrchr(buf, ')')) == NULL)
		return 0;
	p++;
	for (field = 3; field < 22 && p != NULL; field++)
		p = strchr(p + 1, ' ');
	if (p == NULL || sscanf(p, " %llu", &start) != 1)
		return 0;
	return start;
}

/* The boot's id, read once: it does not change while the process runs. */
static uint8_t proc_boot[PROC_BOOT_ID];
static once_flag proc_boot_once = ONCE_FLAG_INIT;

static void
proc_boot_read(void)
{
	unsigned x;
	FILE *f;
	int i, c;

	if ((f = fopen("/proc/sys/kernel/random/boot_id", "r")) == NULL)
		return;
	/* 32 hex digits in groups joined by dashes. */
	for (i = 0; i < PROC_BOOT_ID; i++) {
		while ((c = fgetc(f)) == '-')
			;
		if (c == EOF || ungetc(c, f) == EOF || fscanf(f, "%2x", &x) != 1)
			break;
		proc_boot[i] = (uint8_t)x;
	}
	if (i < PROC_BOOT_ID)
		memset(proc_boot, 0, PROC_BOOT_ID);
	fclose(f);
}

void
proc_boot_id(uint8_t id[PROC_BOOT_ID])
{
	call_once(&proc_boot_once, proc_boot_read);
	memcpy(id, proc_boot, PROC_BOOT_ID);
}

int
proc_alive(long pid, uint64_t start, const uint8_t *boot)
{
	static const uint8_t unknown[PROC_BOOT_ID];
	uint8_t now[PROC_BOOT_ID];

	/* A reboot ended it, whatever runs under its pid now. */
	if (boot != NULL && memcmp(boot, unknown, PROC_BOOT_ID) != 0) {
		proc_boot_id(now);
		if (memcmp(boot, now, PROC_BOOT_ID) != 0)
			return 0;
	}
	if (pid <= 0 || (kill((pid_t)pid, 0) != 0 && errno != EPERM))
		return 0;
	/* A recycled pid belongs to a process that started at another time. */
	return start == 0 || proc_start_ticks(pid) == start;
}
