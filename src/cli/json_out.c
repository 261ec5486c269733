/* json_out.c - JSON strings for the CLI's own output. */
#include <string.h>

#include "cli.h"
#include "common/json.h"

void json_string(FILE *f, const char *s)
{
	er_json_string(f, s ? s : "", s ? strlen(s) : 0);
}
