/*
 * Replays inputs through a fuzz target without libFuzzer (fuzz.h): the
 * files and directories named on the command line, or with no argument
 * every file of tests/fuzz/regress/NAME/ and tests/fuzz/corpus/NAME/
 * under $top_srcdir, NAME being the target this program was built with
 * (FUZZ_NAME).  make check runs it, so every input a fuzzer once broke
 * the engine with is tried again in every build.
 */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"
#include "util.h"

static int
replay_file(const char *path)
{
	FILE *f;
	struct strbuf sb = STRBUF_INIT;
	char buf[65536];
	size_t n;

	if ((f = fopen(path, "rb")) == NULL) {
		perror(path);
		return -1;
	}
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		sb_add(&sb, buf, n);
	fclose(f);
	LLVMFuzzerTestOneInput((const uint8_t *)(sb.len > 0 ? sb.buf : ""),
	    sb.len);
	sb_free(&sb);
	return 0;
}

static int
replay_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file of a directory, in name order; how many, or -1. */
static long
replay_path(const char *path)
{
	struct stat st;
	struct dirent *e;
	DIR *d;
	char **names = NULL, *p;
	size_t n = 0, i;
	long count = 0;

	if (stat(path, &st) != 0) {
		perror(path);
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return replay_file(path) == 0 ? 1 : -1;
	if ((d = opendir(path)) == NULL) {
		perror(path);
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		names = xreallocarray(names, n + 1, sizeof *names);
		names[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof *names, replay_names);
	for (i = 0; i < n; i++) {
		p = xasprintf("%s/%s", path, names[i]);
		if (stat(p, &st) == 0 && S_ISREG(st.st_mode)) {
			if (replay_file(p) != 0)
				count = -1;
			else if (count >= 0)
				count++;
		}
		free(p);
		free(names[i]);
	}
	free(names);
	return count;
}

int
main(int argc, char **argv)
{
	const char *top = getenv("top_srcdir");
	const char *kinds[] = { "regress", "corpus" };
	struct stat st;
	char *p;
	long n;
	int i, rc = 0;

	if (argc > 1) {
		for (i = 1; i < argc; i++)
			if (replay_path(argv[i]) < 0)
				rc = 1;
		return rc;
	}
	if (top == NULL)
		top = ".";
	for (i = 0; i < 2; i++) {
		p = xasprintf("%s/tests/fuzz/%s/%s", top, kinds[i], FUZZ_NAME);
		/* A target that never crashed has no regress directory. */
		if (i == 0 && stat(p, &st) != 0)
			n = 0;
		else
			n = replay_path(p);
		if (n < 0 || (i == 1 && n == 0)) {
			fprintf(stderr, "%s: no inputs\n", p);
			rc = 1;
		}
		printf("%s: %ld inputs replayed\n", p, n);
		free(p);
	}
	return rc;
}
