/*
 * The fuzz targets (README, "Fuzzing"): each fuzz_<name>.c defines
 * LLVMFuzzerTestOneInput over one reader of the engine.  Built with
 * clang's libFuzzer by `make fuzz`; built with the normal compiler and
 * replay.c as tests/fuzz/replay_<name>, which feeds it every file of
 * tests/fuzz/regress/<name>/ and tests/fuzz/corpus/<name>/ in make check.
 * A target aborts (fuzz_fail) when the engine breaks a promise its
 * headers make, so the fuzzer reports it like a crash.
 */
#ifndef RESEG_FUZZ_H
#define RESEG_FUZZ_H

#include <stddef.h>
#include <stdint.h>

struct cond;
struct pdb_schema;

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* The input as a NUL-terminated string (it may hold NULs; caller frees). */
char	*fuzz_string(const uint8_t *, size_t);
/* Prints what broke to stderr and aborts. */
void	 fuzz_fail(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
/* A schema with a field and an event property of every type. */
const struct pdb_schema *fuzz_schema(void);
/*
 * The round trips of a tree: its script parses back to a tree that
 * prints the same (the same tree when exact), its JSON reads back to
 * the same tree.  Aborts when one fails.
 */
void	 fuzz_cond_roundtrip(const struct cond *, int exact);
/* Sets the engine's clock to a fixed time (once). */
void	 fuzz_init(void);

#endif
