/* input_opts.c - the CSV input options shared by every command that reads data. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

const char cli_input_help[] =
	"Input options:\n"
	"  --delimiter C        field delimiter: ',' ';' '|' or 'tab' (default: detected)\n"
	"  --decimal .|,        decimal mark of numbers (default: '.')\n"
	"  --format-in csv|codecarbon\n"
	"                       how to read the file (default: CodeCarbon logs are\n"
	"                       recognised by their header)\n"
	"  --bad-rows error|skip\n"
	"                       a malformed row is an error (default), or is skipped,\n"
	"                       counted and reported\n"
	"Limits (inputs beyond them are refused before they exhaust memory):\n"
	"  --max-field-bytes N  the longest record, in bytes (default 16 MiB)\n"
	"  --max-columns N      columns of a file (default 10,000)\n"
	"  --max-rows N         groups, or rows without --group-by, held in memory\n"
	"                       (default 5,000,000)\n";

void cli_input_init(cli_input *in)
{
	er_csv_options_defaults(&in->csv);
	in->max_rows = 0;
}

/* The value of an option given as "--opt VALUE" or "--opt=VALUE". */
static const char *option_value(const char *cmd, const char *name, int argc, char **argv, int *i,
                                int *err)
{
	size_t n = strlen(name);
	const char *arg = argv[*i];
	*err = 0;
	if (strncmp(arg, name, n) != 0)
		return NULL;
	if (arg[n] == '=')
		return arg + n + 1;
	if (arg[n] != '\0')
		return NULL;
	if (*i + 1 >= argc) {
		cli_usage_error(cmd, "option '%s' needs a value", name);
		*err = 1;
		return NULL;
	}
	return argv[++*i];
}

int cli_input_option(cli_input *in, const char *cmd, int argc, char **argv, int *i)
{
	const char *v;
	int err;

	if ((v = option_value(cmd, "--delimiter", argc, argv, i, &err)) != NULL) {
		if (strcmp(v, "tab") == 0 || strcmp(v, "\\t") == 0 || strcmp(v, "\t") == 0)
			in->csv.delimiter = '\t';
		else if (strlen(v) == 1 && strchr(",;|", v[0]))
			in->csv.delimiter = v[0];
		else {
			cli_usage_error(cmd, "--delimiter must be ',', ';', '|' or 'tab', not '%s'", v);
			return -1;
		}
		return 1;
	}
	if (err)
		return -1;
	if ((v = option_value(cmd, "--decimal", argc, argv, i, &err)) != NULL) {
		if (strcmp(v, ".") != 0 && strcmp(v, ",") != 0) {
			cli_usage_error(cmd, "--decimal must be '.' or ',', not '%s'", v);
			return -1;
		}
		in->csv.decimal = v[0];
		return 1;
	}
	if (err)
		return -1;
	if ((v = option_value(cmd, "--format-in", argc, argv, i, &err)) != NULL) {
		if (strcmp(v, "csv") == 0)
			in->csv.format = ER_FORMAT_CSV;
		else if (strcmp(v, "codecarbon") == 0)
			in->csv.format = ER_FORMAT_CODECARBON;
		else {
			cli_usage_error(cmd, "--format-in must be 'csv' or 'codecarbon', not '%s'", v);
			return -1;
		}
		return 1;
	}
	if (err)
		return -1;
	{
		static const char *const names[] = {"--max-field-bytes", "--max-columns", "--max-rows"};
		size_t k;
		for (k = 0; k < 3; k++) {
			char *end;
			unsigned long long n;
			if ((v = option_value(cmd, names[k], argc, argv, i, &err)) == NULL) {
				if (err)
					return -1;
				continue;
			}
			errno = 0;
			n = strtoull(v, &end, 10);
			if (end == v || *end || errno || n == 0 || v[0] == '-' || n > (1ULL << 30)) {
				cli_usage_error(cmd, "%s takes a whole number from 1 to 1073741824, not '%s'",
				                names[k], v);
				return -1;
			}
			if (k == 0)
				in->csv.max_record_bytes = (size_t)n;
			else if (k == 1)
				in->csv.max_columns = (size_t)n;
			else
				in->max_rows = (size_t)n;
			return 1;
		}
	}
	if ((v = option_value(cmd, "--bad-rows", argc, argv, i, &err)) != NULL) {
		if (strcmp(v, "error") == 0)
			in->csv.bad_rows = ER_BAD_ROWS_ERROR;
		else if (strcmp(v, "skip") == 0)
			in->csv.bad_rows = ER_BAD_ROWS_SKIP;
		else {
			cli_usage_error(cmd, "--bad-rows must be 'error' or 'skip', not '%s'", v);
			return -1;
		}
		return 1;
	}
	if (err)
		return -1;
	return 0;
}
