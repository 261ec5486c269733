/* status.c - descriptions and exit codes of er_status values. */
#include "status.h"

static const struct {
	const char *text;
	int exit_code;
} table[ER_STATUS_COUNT] = {
	[ER_OK] = {"success", 0},
	[ER_ERR_USAGE] = {"invalid usage", 64},
	[ER_ERR_DATA] = {"invalid data", 65},
	[ER_ERR_NOINPUT] = {"input missing or unreadable", 66},
	[ER_ERR_NOMEM] = {"out of memory", 70},
	[ER_ERR_INTERNAL] = {"internal error", 70},
	[ER_ERR_CANTCREAT] = {"cannot create output", 73},
	[ER_ERR_IO] = {"input/output error", 74},
	[ER_ERR_LOCKED] = {"another run holds the lock", 75},
	[ER_ERR_LIMIT] = {"input exceeds a resource limit", 65},
	[ER_ERR_RANGE] = {"result out of range", 65},
};

const char *er_strerror(er_status st)
{
	if ((unsigned)st >= ER_STATUS_COUNT)
		return "unknown status";
	return table[st].text;
}

int er_status_exit_code(er_status st)
{
	if ((unsigned)st >= ER_STATUS_COUNT)
		return 70;
	return table[st].exit_code;
}
