/* libFuzzer target for batch manifests: parse the input, and for what
 * parses check the promises the runner relies on - every job has a name
 * that is a plain file name, a NULL-terminated command line starting with
 * its command, a position inside the input, and no two jobs share a name;
 * shares of any count cover every job exactly once. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "batch/manifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	er_manifest *m = NULL;
	er_diag_sink quiet = {0};
	unsigned long nlines = 1, n;
	size_t i, k;

	/* Lines as YAML counts them: LF, CR, CRLF, NEL, LS and PS all end one. */
	for (i = 0; i < size; i++) {
		if (data[i] == '\n' || (data[i] == '\r' && (i + 1 == size || data[i + 1] != '\n')))
			nlines++;
		else if (i + 1 < size && data[i] == 0xc2 && data[i + 1] == 0x85)
			nlines++;
		else if (i + 2 < size && data[i] == 0xe2 && data[i + 1] == 0x80 &&
		         (data[i + 2] == 0xa8 || data[i + 2] == 0xa9))
			nlines++;
	}
	if (er_manifest_parse((const char *)data, size, "fuzz/m.yaml", &quiet, &m) != ER_OK) {
		if (m != NULL)
			abort();
		return 0;
	}
	if (m->njobs == 0 || m->output == NULL)
		abort();
	for (i = 0; i < m->njobs; i++) {
		const er_job *j = &m->jobs[i];
		if (j->name == NULL || j->name[0] == '\0' || j->name[0] == '.' || strchr(j->name, '/'))
			abort();
		if (j->line == 0 || j->line > nlines || j->column == 0)
			abort();
		if (j->argc < 2 || j->argv[j->argc] != NULL)
			abort();
		if (strcmp(j->argv[0], j->kind == ER_JOB_REPORT ? "render" : "chart") != 0)
			abort();
		for (k = 0; k < i; k++)
			if (strcmp(m->jobs[k].name, j->name) == 0)
				abort();
	}
	for (n = 1; n <= 4; n++) {
		for (i = 0; i < m->njobs; i++) {
			unsigned long s, owners = 0;
			for (s = 1; s <= n; s++)
				owners += (unsigned long)er_job_in_shard(i, s, n);
			if (owners != 1)
				abort();
		}
	}
	er_manifest_free(m);
	return 0;
}
