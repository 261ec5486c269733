/* themes_dir.c - where the bundled themes are, for every command that
 * draws: $ECOREPORT_THEMES, else next to the sources this binary was built
 * from. */
#include <stdlib.h>

#include "cli.h"

const char *cli_themes_dir(void)
{
	const char *env = getenv("ECOREPORT_THEMES");
	return env && *env ? env : ER_THEMES_DIR;
}
