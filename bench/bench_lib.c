/* Helpers of the benchmark programs (bench_lib.h). */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "bench_lib.h"

double
bench_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

long
bench_proc_kb(const char *file, const char *field)
{
	FILE *f = fopen(file, "r");
	char line[256];
	size_t n = strlen(field);
	long kb = -1, v;

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof line, f) != NULL) {
		if (strncmp(line, field, n) == 0 && line[n] == ':' &&
		    sscanf(line + n + 1, " %ld kB", &v) == 1)
			kb = v;
	}
	fclose(f);
	return kb;
}
