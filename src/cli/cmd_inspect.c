/* cmd_inspect.c - `ecoreport inspect DATA.csv`: what is in a CSV file. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "common/num.h"
#include "common/utf8.h"
#include "ingest/profile.h"

static const char help[] =
	"Usage: ecoreport inspect DATA.csv [--to text|json] [input options]\n"
	"\n"
	"Prints the delimiter and decimal mark, the row count, and for every column\n"
	"its name, inferred type (number, text, datetime), unit, missing cells, and\n"
	"min/max (numbers, date-times) or distinct count (text). DATA.csv may be '-'\n"
	"for standard input.\n"
	"\n"
	"  --to text|json       output format (default: text)\n";

static const char *delim_name(char d)
{
	switch (d) {
	case '\t':
		return "tab";
	case ';':
		return ";";
	case '|':
		return "|";
	default:
		return ",";
	}
}

static void print_num(FILE *f, double v)
{
	char b[64];
	er_num_format_shortest(v, b, sizeof b);
	fputs(b, f);
}

static void print_time(FILE *f, const er_time *t)
{
	char b[64];
	er_time_format(t, b, sizeof b);
	fputs(b, f);
}

/* Prints s padded with spaces to `width` characters (UTF-8 aware). */
static void pad(FILE *f, const char *s, size_t width)
{
	size_t n = er_utf8_count(s, strlen(s));
	fputs(s, f);
	while (n++ < width)
		fputc(' ', f);
}

static void print_distinct(FILE *f, const er_colprofile *c)
{
	bool exact;
	double n = er_distinct_count(&c->distinct, &exact);
	if (c->distinct_partial)
		fprintf(f, "at least ~%.0f distinct (estimated)", n);
	else if (exact)
		fprintf(f, "%.0f distinct", n);
	else
		fprintf(f, "~%.0f distinct (estimated)", n);
}

static void print_text(FILE *f, const er_reader *r, const er_profile *p)
{
	size_t i, wname = 4, wunit = 4;
	const char *cc = er_reader_codecarbon_version(r);

	fprintf(f, "file       %s\n", er_reader_display(r));
	if (cc)
		fprintf(f, "format     CodeCarbon log (schema %s)\n", cc);
	else
		fprintf(f, "format     csv\n");
	fprintf(f, "delimiter  %s\n", delim_name(er_reader_delimiter(r)));
	fprintf(f, "decimal    %c\n", er_reader_decimal(r));
	fprintf(f, "rows       %zu", p->rows);
	if (p->rows_skipped)
		fprintf(f, " (%zu skipped)", p->rows_skipped);
	fprintf(f, "\ncolumns    %zu\n\n", p->ncols);
	for (i = 0; i < p->ncols; i++) {
		size_t n = er_utf8_count(p->cols[i].name, strlen(p->cols[i].name));
		if (n > wname)
			wname = n;
		if (p->cols[i].unit && strlen(p->cols[i].unit) > wunit)
			wunit = strlen(p->cols[i].unit);
	}
	if (wname > 48)
		wname = 48;
	fprintf(f, "%4s  ", "#");
	pad(f, "name", wname);
	fputs("  type      ", f);
	pad(f, "unit", wunit);
	fputs("  missing  range or distinct\n", f);
	for (i = 0; i < p->ncols; i++) {
		const er_colprofile *c = &p->cols[i];
		fprintf(f, "%4zu  ", i + 1);
		pad(f, c->name, wname);
		fprintf(f, "  %-8s  ", er_type_name(c->type));
		pad(f, c->unit && c->type == ER_TYPE_NUMBER ? c->unit : "", wunit);
		fprintf(f, "  %7zu  ", c->missing);
		if (c->type == ER_TYPE_NUMBER) {
			print_num(f, c->min);
			fputs(" .. ", f);
			print_num(f, c->max);
		} else if (c->type == ER_TYPE_DATETIME) {
			print_time(f, &c->tmin);
			fputs(" .. ", f);
			print_time(f, &c->tmax);
		} else if (c->numbers + c->times + c->texts == 0) {
			fputs("(all missing)", f);
		} else {
			print_distinct(f, c);
		}
		fputc('\n', f);
	}
	{
		int any = 0;
		for (i = 0; i < p->ncols; i++) {
			const er_colprofile *c = &p->cols[i];
			if (c->type == ER_TYPE_TEXT && c->odd_text && (c->numbers || c->times)) {
				if (!any++)
					fputs("\nnotes\n", f);
				fprintf(f, "  column \"%s\" is text: %zu of %zu cells are %s, but line %lu has \"%s\"\n",
				        c->name, c->numbers ? c->numbers : c->times,
				        c->numbers + c->times + c->texts, c->numbers ? "numbers" : "date-times",
				        c->odd_line, c->odd_text);
			}
			if (c->type == ER_TYPE_NUMBER && c->converted) {
				if (!any++)
					fputs("\nnotes\n", f);
				fprintf(f, "  column \"%s\": %zu cells converted to %s\n", c->name, c->converted,
				        c->unit);
			}
		}
		if (p->rows_skipped) {
			if (!any++)
				fputs("\nnotes\n", f);
			fprintf(f, "  %zu rows skipped (--bad-rows skip); see the warnings\n", p->rows_skipped);
		}
	}
}

static void print_json(FILE *f, const er_reader *r, const er_profile *p)
{
	size_t i;
	char d[2] = {er_reader_delimiter(r), 0}, m[2] = {er_reader_decimal(r), 0};
	const char *cc = er_reader_codecarbon_version(r);

	fputs("{\"file\":", f);
	json_string(f, er_reader_display(r));
	fputs(",\"format\":", f);
	json_string(f, cc ? "codecarbon" : "csv");
	if (cc) {
		fputs(",\"codecarbon_schema\":", f);
		json_string(f, cc);
	}
	fputs(",\"delimiter\":", f);
	json_string(f, d);
	fputs(",\"decimal\":", f);
	json_string(f, m);
	fprintf(f, ",\"rows\":%zu,\"rows_skipped\":%zu,\"columns\":[", p->rows, p->rows_skipped);
	for (i = 0; i < p->ncols; i++) {
		const er_colprofile *c = &p->cols[i];
		fputs(i ? ",{\"name\":" : "{\"name\":", f);
		json_string(f, c->name);
		fputs(",\"type\":", f);
		json_string(f, er_type_name(c->type));
		fputs(",\"unit\":", f);
		if (c->unit && c->type == ER_TYPE_NUMBER)
			json_string(f, c->unit);
		else
			fputs("null", f);
		fprintf(f, ",\"missing\":%zu", c->missing);
		if (c->type == ER_TYPE_NUMBER) {
			fputs(",\"min\":", f);
			print_num(f, c->min);
			fputs(",\"max\":", f);
			print_num(f, c->max);
		} else if (c->type == ER_TYPE_DATETIME) {
			fputs(",\"min\":\"", f);
			print_time(f, &c->tmin);
			fputs("\",\"max\":\"", f);
			print_time(f, &c->tmax);
			fputc('"', f);
		} else {
			bool exact;
			double n = er_distinct_count(&c->distinct, &exact);
			fprintf(f, ",\"distinct\":%.0f,\"distinct_exact\":%s", n, exact ? "true" : "false");
		}
		fputc('}', f);
	}
	fputs("]}\n", f);
}

int cmd_inspect(int argc, char **argv)
{
	cli_input in;
	er_diag_sink diag;
	const char *path = NULL, *to = "text";
	er_reader *r = NULL;
	er_profile *p = NULL;
	er_status st;
	int i, rc;

	cli_input_init(&in);
	cli_diag_init(&diag);
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		int taken;
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(help, stdout);
			fputs(cli_input_help, stdout);
			return 0;
		}
		taken = cli_input_option(&in, "inspect", argc, argv, &i);
		if (taken < 0)
			return EX_USAGE_;
		if (taken)
			continue;
		if (strcmp(a, "--to") == 0 || strncmp(a, "--to=", 5) == 0) {
			if (a[4] == '=')
				to = a + 5;
			else if (i + 1 < argc)
				to = argv[++i];
			else
				return cli_usage_error("inspect", "option '--to' needs a value");
			if (strcmp(to, "text") != 0 && strcmp(to, "json") != 0)
				return cli_usage_error("inspect", "--to must be 'text' or 'json', not '%s'", to);
			continue;
		}
		if (a[0] == '-' && a[1] != '\0')
			return cli_usage_error("inspect", "unknown option '%s'", a);
		if (path)
			return cli_usage_error("inspect", "one file at a time (got '%s' and '%s')", path, a);
		path = a;
	}
	if (path == NULL)
		return cli_usage_error("inspect", "missing DATA.csv");

	st = er_reader_open(path, NULL, &in.csv, &diag, &r);
	if (st == ER_OK)
		st = er_profile_read(r, &p);
	if (st == ER_OK) {
		if (strcmp(to, "json") == 0)
			print_json(stdout, r, p);
		else
			print_text(stdout, r, p);
		if (fflush(stdout) != 0 || ferror(stdout)) {
			cli_error("cannot write to standard output");
			st = ER_ERR_IO;
		}
	} else if (st == ER_ERR_NOMEM || st == ER_ERR_INTERNAL) {
		cli_error("%s: %s", path, er_strerror(st));
	}
	rc = cli_exit_code(st);
	er_profile_free(p);
	er_reader_free(r);
	return rc;
}
