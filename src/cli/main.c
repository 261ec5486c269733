/* main.c - ecoreport's entry point: dispatch to a subcommand. */
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
	"Usage: ecoreport COMMAND [ARGS]...\n"
	"\n"
	"Turns CSV data about the energy and CO2 of computing into charts and\n"
	"AI-Index-style PDF reports.\n"
	"\n"
	"Commands:\n"
	"  inspect DATA.csv        columns, inferred types and units, row count, ranges\n"
	"  aggregate DATA.csv      filter, derive, group and total a CSV file\n"
	"  chart DATA.csv -o OUT   a bar chart as PNG, SVG or PDF\n"
	"  render TEMPLATE.md      a PDF report from a Markdown template\n"
	"  check TEMPLATE.md       validate a template and its data\n"
	"  batch MANIFEST.yaml     many reports and charts in one run, incrementally\n"
	"\n"
	"  ecoreport COMMAND --help   options of one command\n"
	"  ecoreport --version        the version\n"
	"\n"
	"Exit status: 0 ok, 64 usage, 65 bad data or template, 66 input missing,\n"
	"70 internal error, 73 cannot create output, 74 I/O error, 75 locked.\n";

int cli_dispatch(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int, char **);
	} commands[] = {{"inspect", cmd_inspect}, {"aggregate", cmd_aggregate}, {"chart", cmd_chart},
	                {"render", cmd_render},   {"check", cmd_check},         {"batch", cmd_batch}};
	size_t i;
	for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(argv[0], commands[i].name) == 0)
			return commands[i].fn(argc, argv);
	return -1;
}

int main(int argc, char **argv)
{
	const char *cmd;
	int rc;

	/* Character classes only: numbers never follow the locale (DESIGN.md 5). */
	setlocale(LC_CTYPE, "");
	if (argc < 2)
		return cli_usage_error(NULL, "missing command");
	cmd = argv[1];
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
		fputs(usage, stdout);
		return 0;
	}
	if (strcmp(cmd, "--version") == 0) {
		printf("ecoreport %s\n", ER_VERSION);
		return 0;
	}
	rc = cli_dispatch(argc - 1, argv + 1);
	if (rc >= 0)
		return rc;
	if (cmd[0] == '-')
		return cli_usage_error(NULL, "unknown option '%s'", cmd);
	return cli_usage_error(NULL, "unknown command '%s'", cmd);
}
