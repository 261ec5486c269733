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
	"  batch MANIFEST.yaml     many reports and charts in one run (not built yet)\n"
	"\n"
	"  ecoreport COMMAND --help   options of one command\n"
	"  ecoreport --version        the version\n"
	"\n"
	"Exit status: 0 ok, 64 usage, 65 bad data or template, 66 input missing,\n"
	"70 internal error, 73 cannot create output, 74 I/O error, 75 locked.\n";

int main(int argc, char **argv)
{
	static const char *const planned[] = {"batch"};
	const char *cmd;
	size_t i;

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
	if (strcmp(cmd, "inspect") == 0)
		return cmd_inspect(argc - 1, argv + 1);
	if (strcmp(cmd, "aggregate") == 0)
		return cmd_aggregate(argc - 1, argv + 1);
	if (strcmp(cmd, "chart") == 0)
		return cmd_chart(argc - 1, argv + 1);
	if (strcmp(cmd, "render") == 0)
		return cmd_render(argc - 1, argv + 1);
	if (strcmp(cmd, "check") == 0)
		return cmd_check(argc - 1, argv + 1);
	for (i = 0; i < sizeof planned / sizeof planned[0]; i++) {
		if (strcmp(cmd, planned[i]) == 0) {
			cli_error("%s: not built yet in this version", cmd);
			return EX_USAGE_;
		}
	}
	if (cmd[0] == '-')
		return cli_usage_error(NULL, "unknown option '%s'", cmd);
	return cli_usage_error(NULL, "unknown command '%s'", cmd);
}
