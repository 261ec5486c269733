/* breaks.c - line-break opportunities (UAX #14) through libunibreak. */
#include <linebreak.h>
#include <pthread.h>
#include <string.h>

#include "text.h"

static pthread_once_t once = PTHREAD_ONCE_INIT;

static void init(void)
{
	init_linebreak();
}

void er_text_breaks(const char *s, size_t n, char *brks)
{
	size_t i;
	pthread_once(&once, init);
	if (n == 0)
		return;
	/* libunibreak marks the last byte of each character; the others are
	 * LINEBREAK_INSIDEACHAR. Its values match ours; map them explicitly. */
	set_linebreaks_utf8((const utf8_t *)s, n, NULL, brks);
	for (i = 0; i < n; i++) {
		switch (brks[i]) {
		case LINEBREAK_MUSTBREAK:
			brks[i] = ER_BREAK_MUST;
			break;
		case LINEBREAK_ALLOWBREAK:
			brks[i] = ER_BREAK_ALLOW;
			break;
		case LINEBREAK_NOBREAK:
			brks[i] = ER_BREAK_NO;
			break;
		default:
			brks[i] = ER_BREAK_INSIDE;
			break;
		}
	}
}
