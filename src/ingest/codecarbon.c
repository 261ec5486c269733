/* codecarbon.c - CodeCarbon emissions.csv logs: detection, column units, and
 * the checks that tell real rows from the debris of concurrent writers.
 *
 * Columns are found by name: their order differs between CodeCarbon
 * versions (and, for 3.1-3.2.4 files, between files of one version). */
#include "reader_int.h"

#include <stdlib.h>
#include <string.h>

#include "../common/util.h"
#include "cell.h"

/* Units CodeCarbon documents for its columns (reference/FACTS.md 1e). */
static const struct {
	const char *name, *unit;
} cc_units[] = {
	{"duration", "s"},         {"emissions", "kg"},        {"emissions_rate", "kg/s"},
	{"cpu_power", "W"},        {"gpu_power", "W"},         {"ram_power", "W"},
	{"cpu_energy", "kWh"},     {"gpu_energy", "kWh"},      {"ram_energy", "kWh"},
	{"energy_consumed", "kWh"}, {"water_consumed", "L"},   {"ram_total_size", "GB"},
	{"ram_used_gb", "GB"},     {"cpu_utilization_percent", "%"},
	{"gpu_utilization_percent", "%"}, {"ram_utilization_percent", "%"},
};

void er_codecarbon_detect(er_reader *r)
{
	er_codecarbon *cc = &r->cc;
	size_t i;
	int has_version, has_pue, has_water, has_util, has_exp;

	cc->timestamp = er_reader_find_col(r, "timestamp");
	cc->run_id = er_reader_find_col(r, "run_id");
	cc->duration = er_reader_find_col(r, "duration");
	cc->emissions = er_reader_find_col(r, "emissions");
	cc->energy = er_reader_find_col(r, "energy_consumed");
	cc->emissions_rate = er_reader_find_col(r, "emissions_rate");
	has_exp = er_reader_find_col(r, "experiment_id") >= 0;
	if (cc->timestamp < 0 || cc->duration < 0 || cc->emissions < 0 || cc->energy < 0 ||
	    er_reader_find_col(r, "project_name") < 0)
		return;
	/* 1.x has no run_id: its experiment_id is the per-run id. */
	if (cc->run_id < 0 && has_exp)
		cc->run_id = er_reader_find_col(r, "experiment_id");
	if (cc->run_id < 0)
		return;
	has_version = er_reader_find_col(r, "codecarbon_version") >= 0;
	has_pue = er_reader_find_col(r, "pue") >= 0;
	has_water = er_reader_find_col(r, "water_consumed") >= 0;
	has_util = er_reader_find_col(r, "cpu_utilization_percent") >= 0;
	if (er_reader_find_col(r, "run_id") < 0)
		cc->version = "1.x";
	else if (!has_version)
		cc->version = "2.0-2.1";
	else if (!has_pue)
		cc->version = "2.2";
	else if (!has_exp)
		cc->version = "2.3-2.6";
	else if (!has_water)
		cc->version = "2.7-3.0";
	else if (!has_util)
		cc->version = "3.1";
	else
		cc->version = "3.2+";
	r->format = ER_FORMAT_CODECARBON;
	for (i = 0; i < sizeof cc_units / sizeof cc_units[0]; i++) {
		long col = er_reader_find_col(r, cc_units[i].name);
		const char *unit = cc_units[i].unit;
		if (col < 0 || r->units[col])
			continue;
		/* CodeCarbon 2.0-2.1 wrote emissions_rate in g/s. */
		if (strcmp(cc_units[i].name, "emissions_rate") == 0 && strcmp(cc->version, "2.0-2.1") == 0)
			unit = "g/s";
		r->units[col] = er_strdup(unit);
	}
}

static int blank(const er_field *f)
{
	return er_cell_is_missing(f->s, f->n);
}

/* Rejects rows that are not measurements: fragments left by concurrent
 * writers (CodeCarbon 2.x rewrote the whole file on every append), rows with
 * an unreadable timestamp, or with non-numeric measurements. */
er_status er_codecarbon_check(er_reader *r, const er_record *rec)
{
	const er_codecarbon *cc = &r->cc;
	const er_field *f = rec->f;
	const long measure[] = {cc->duration, cc->emissions, cc->energy};
	char ex[200];
	er_time t;
	size_t i;

	if (blank(&f[cc->run_id]) && blank(&f[cc->duration]) && blank(&f[cc->emissions]) &&
	    blank(&f[cc->energy]))
		return er_reader_reject(r, rec, 0, 0,
		                        "not a CodeCarbon measurement: run_id and measurements are "
		                        "empty (a fragment left by concurrent writers?)");
	if (!er_time_parse(f[cc->timestamp].s, f[cc->timestamp].n, &t))
		return er_reader_reject(r, rec, (size_t)cc->timestamp, 0,
		                        "column \"timestamp\": expected a date-time, got %s",
		                        er_diag_excerpt(ex, f[cc->timestamp].s, f[cc->timestamp].n, 40));
	for (i = 0; i < sizeof measure / sizeof measure[0]; i++) {
		const er_field *m = &f[measure[i]];
		if (blank(m) || er_cell_is_number(m->s, m->n, '.'))
			continue;
		return er_reader_reject(r, rec, (size_t)measure[i], 0,
		                        "column \"%s\": expected a number, got %s", r->names[measure[i]],
		                        er_diag_excerpt(ex, m->s, m->n, 40));
	}
	return ER_OK;
}
