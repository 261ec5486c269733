/* status.h - the one status type every ecoreport library call returns. */
#ifndef ER_STATUS_H
#define ER_STATUS_H

/* Each value maps to one sysexits code in the CLI (see er_status_exit_code). */
typedef enum er_status {
	ER_OK = 0,
	ER_ERR_USAGE,    /* a caller passed options that do not fit together (EX_USAGE 64) */
	ER_ERR_DATA,     /* the input data or template is wrong (EX_DATAERR 65) */
	ER_ERR_NOINPUT,  /* an input file is missing or unreadable (EX_NOINPUT 66) */
	ER_ERR_NOMEM,    /* an allocation failed (EX_SOFTWARE 70) */
	ER_ERR_INTERNAL, /* a bug or a third-party library failure (EX_SOFTWARE 70) */
	ER_ERR_CANTCREAT,/* an output cannot be created (EX_CANTCREAT 73) */
	ER_ERR_IO,       /* reading or writing failed midway (EX_IOERR 74) */
	ER_ERR_LOCKED,   /* another run holds the lock (EX_TEMPFAIL 75) */
	ER_ERR_LIMIT,    /* an input exceeds a configured resource limit (EX_DATAERR 65) */
	ER_ERR_RANGE,    /* a result does not fit in a double (EX_DATAERR 65) */
	ER_STATUS_COUNT
} er_status;

/* A one-line English description of a status; never NULL. */
const char *er_strerror(er_status st);

/* The sysexits(3) code for a status: 0, 64, 65, 66, 70, 73, 74 or 75. */
int er_status_exit_code(er_status st);

#endif
