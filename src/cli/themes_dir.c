/* themes_dir.c - where the bundled themes and languages are, for every
 * command that draws: $ECOREPORT_THEMES / $ECOREPORT_LOCALES, else next to
 * the sources this binary was built from. */
#include <stdlib.h>

#include "cli.h"
#include "common/l10n.h"

const char *cli_themes_dir(void)
{
	const char *env = getenv("ECOREPORT_THEMES");
	return env && *env ? env : ER_THEMES_DIR;
}

const char *cli_locales_dir(void)
{
	const char *env = getenv("ECOREPORT_LOCALES");
	return env && *env ? env : ER_LOCALES_DIR;
}

int cli_lang_ok(const char *cmd, const char *code)
{
	er_buf names = ER_BUF_INIT;
	if (er_locale_exists(cli_locales_dir(), code))
		return 1;
	if (er_locale_names(cli_locales_dir(), &names) == ER_OK)
		cli_usage_error(cmd, "--lang must be one of %s, not '%s'", names.data, code);
	else
		cli_error("out of memory");
	er_buf_free(&names);
	return 0;
}
