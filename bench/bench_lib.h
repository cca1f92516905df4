/*
 * What the benchmark programs share: a wall clock in milliseconds and
 * memory figures read from /proc.
 */
#ifndef RESEG_BENCH_LIB_H
#define RESEG_BENCH_LIB_H

/* Monotonic time in milliseconds, with fractions. */
double	 bench_ms(void);
/*
 * The "FIELD: N kB" line of a /proc file of this process, in kB (-1 when
 * the file or the line is missing): RssAnon of /proc/self/status,
 * Anonymous of /proc/self/smaps_rollup.
 */
long	 bench_proc_kb(const char *file, const char *field);

#endif
