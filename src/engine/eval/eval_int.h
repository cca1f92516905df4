/*
 * What the evaluator's files share (not a public API): the compiled
 * program and its nodes (eval_compile.c builds them), the per-thread
 * scratch of a worker and the scan state (eval_kernels.c runs them), and
 * the small helpers the hot loops must be able to inline wherever they
 * are used.
 */
#ifndef RESEG_EVAL_INT_H
#define RESEG_EVAL_INT_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "eval.h"

#define EVAL_WORDS	(PDB_CHUNK_ROWS / 64)
/* Local dates beyond these (years -768 .. 10000) stand for "never" on
 * their side: unbounded. */
#define EVAL_DATE_MIN	(-1000000)
#define EVAL_DATE_MAX	3000000

enum eval_kind {
	EK_CONST,	/* is empty / is not empty on fixed-width columns */
	EK_I64,		/* int, datetime */
	EK_I32,		/* date */
	EK_U8,		/* bool (0/1) */
	EK_F64,		/* float */
	EK_STR,		/* per dictionary code */
	EK_TAGS,	/* per row over its tag codes */
	EK_SEGMENT,	/* in segment */
	EK_EVENT,	/* an event test: the bits of the events pass */
	EK_QI64,	/* int in query: the sorted qint */
	EK_QI32		/* date in query: the sorted qint */
};

struct eval_ival {
	int64_t		lo, hi;		/* inclusive */
};

struct eval_fival {
	double		lo, hi;		/* inclusive */
};

struct eval_node {
	enum cond_kind	  kind;
	struct eval_node **kids;
	size_t		  nkids;
	const struct cond *c;

	/* CK_PRED */
	enum eval_kind	  ek;
	int		  col;		/* index into prog->cols */
	uint16_t	  field;
	enum field_type	  ft;
	int		  neg;		/* negate the test on present values */
	int		  empty_true;	/* result for an empty value */
	int		  const_l;	/* EK_CONST: result for present values */
	struct eval_ival *iv;
	size_t		  niv;
	struct eval_fival *fv;
	size_t		  nfv;
	/* CK_IN_SEGMENT */
	const roaring_bitmap_t *seg;
	/* CK_EVENT: index into prog->ev's nodes */
	size_t		  evidx;
	/*
	 * CK_IN_QUERY: the query's values, sorted by bytes (strings and
	 * tags: ek EK_STR or EK_TAGS), or those that are the text of a
	 * number or date, as sorted numbers (EK_QI64, EK_QI32).
	 */
	const char	**qstr;
	size_t		  nqstr;
	int64_t		 *qint;
	size_t		  nqint;
	size_t		  nqvalues;	/* as the query returned them */
};

struct eval_events;

struct eval_prog {
	struct pdb_schema *schema;
	struct cond	*cond;		/* our copy; NULL = everyone */
	struct eval_node *root;
	struct tz	*tz;
	int64_t		 now;
	int32_t		 today;
	uint16_t	 range_lo, range_hi;
	int64_t		 limit;
	uint16_t	*cols;		/* fields read, bucket last if needed */
	size_t		 ncols;
	int		 bucket_col;	/* -1 when the range keeps everyone */
	int		 depth;		/* deepest nesting, for scratch space */
	struct eval_events *ev;		/* event tests; NULL when none */
	/* What the last scan read (eval_stats). */
	uint64_t	 stat_chunks;
	uint64_t	 stat_bytes;
};

struct eval_worker {
	const struct eval_prog	*p;
	const struct col_chunk	*views;	/* this chunk's, one per column */
	uint32_t		 chunk;
	uint32_t		 nrows;
	uint64_t		*stack;
	uint8_t			*lut;
	size_t			 lutcap;
	uint64_t		*mlut;
	size_t			 mlutcap;
	char			*fold;	/* a chunk's dictionary, lower case */
	size_t			 foldcap;
	uint64_t		 bytes;	/* column data read (eval_stats) */
};

/*
 * One pass over every chunk, shared by its threads, evaluating one or
 * several programs of one database (eval_run_many) per chunk while the
 * chunk's columns are in the cache.
 */
struct eval_scan {
	struct eval_prog	**progs;
	size_t			 nprogs;
	const struct pdb_schema	*schema;	/* progs[0]'s */
	/* The columns any program reads; program j's column k is */
	const uint16_t		*cols;		/* cols[map[mapoff[j] + k]] */
	size_t			 ncols;
	const size_t		*map;
	const size_t		*mapoff;
	int			 identity;	/* one program, its own columns */
	struct col_chunk	*views;	/* nchunks x ncols */
	uint32_t		 nchunks;
	uint64_t		 nprofiles;
	uint64_t		**res;	/* per program: EVAL_WORDS per chunk */
	uint32_t		**counts;	/* per program: members per chunk */
	const uint64_t		*dead;	/* deleted profiles' bits, or NULL */
	const struct eval_progress *progress;
	atomic_uint		 next;
	atomic_ullong		 scanned;
	atomic_ullong		*bytes;	/* per program: column data read */
	atomic_int		 stop;
	_Atomic(char *)		 err;	/* the first damaged chunk's message */
};

static inline int64_t
eval_clamp(int64_t v, int64_t lo, int64_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static inline size_t
eval_utf8_len(const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			n++;
	}
	return n;
}

static inline int
eval_lower(int ch)
{
	return ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch;
}

/* Rows of chunk c among nprofiles. */
static inline uint32_t
eval_chunk_rows(uint64_t nprofiles, uint32_t c)
{
	uint64_t left = nprofiles - (uint64_t)c * PDB_CHUNK_ROWS;

	return left < PDB_CHUNK_ROWS ? (uint32_t)left : PDB_CHUNK_ROWS;
}

static inline int
eval_progress_cancelled(const struct eval_progress *pr)
{
	return pr != NULL && pr->cancel != NULL && *pr->cancel != 0;
}

static inline int
eval_cancelled(const struct eval_scan *s)
{
	return eval_progress_cancelled(s->progress);
}

/* eval_compile.c */
int64_t	 eval_age(int32_t birth, int32_t today);
/* Whether the len bytes at s are one of an "in query" node's strings. */
int	 eval_qstr_has(const struct eval_node *, const char *s, size_t len);
struct eval_node *eval_compile_node(struct eval_prog *,
	    const struct eval_env *, const struct cond *, int depth,
	    char **cause);
void	 eval_node_free(struct eval_node *);

/* Interval builders shared with the event tests (eval_events.c). */
void	 eval_add_float_cmp(struct eval_node *, enum cond_op, const double *v,
	    size_t nv);
/* Adds a column to those the program reads; returns its index there. */
int	 eval_use_column(struct eval_prog *, uint16_t field);

/* eval_events.c: compiling an event test into p->ev. */
int	 eval_events_compile(struct eval_prog *, const struct eval_env *,
	    struct eval_node *, char **cause);
void	 eval_events_free(struct eval_events *);
/*
 * eval_events_pass.c: the events pass before a scan, each event test's
 * bits over profiles.  why_pno (UINT32_MAX: none) also gathers that
 * profile's matching events for eval_events_why.
 */
int	 eval_events_run(struct eval_prog *, struct store_txn *, int nthreads,
	    const struct eval_progress *, uint32_t why_pno, char **cause);
/* The bits of event test i for one chunk of profiles. */
const uint64_t *eval_events_bits(const struct eval_prog *, size_t i,
	    uint32_t chunk);
/*
 * eval_events_why.c: after a pass with why_pno, what event test i found
 * for that profile.
 */
void	 eval_events_why(const struct eval_prog *, size_t i, int indent,
	    struct strbuf *);

/* eval_kernels.c */
void	 eval_worker_init(struct eval_worker *, const struct eval_prog *);
void	 eval_worker_done(struct eval_worker *);
void	 eval_node(struct eval_worker *, const struct eval_node *, int depth,
	    uint64_t *out);
/* A scanning thread: takes chunks from s until none is left. */
void	*eval_thread(void *s);

/* eval.c */
/* Threads for a pass over nchunks chunks, n asked (0: one per core). */
int	 eval_nthreads(int n, size_t nchunks);
struct col_chunk *eval_collect(struct eval_prog *, struct store_txn *,
	    uint32_t first, uint32_t n, int layout, char **cause);
struct col_chunk *eval_collect_cols(const struct pdb_schema *,
	    const uint16_t *cols, size_t ncols, struct store_txn *,
	    uint32_t first, uint32_t n, int layout, char **cause);
void	 eval_release_views(struct col_chunk *, size_t);

#endif
