/* csv_floor.c - the floor for any libcsv-based reader: parse a file with
 * libcsv and callbacks that only count. Prints "records fields". */
#include <csv.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static size_t fields, records;

static void on_field(void *s, size_t n, void *ctx)
{
	(void)s;
	(void)n;
	(void)ctx;
	fields++;
}

static void on_record(int c, void *ctx)
{
	(void)c;
	(void)ctx;
	records++;
}

int main(int argc, char **argv)
{
	static char buf[1 << 20];
	struct csv_parser p;
	ssize_t n;
	int fd;

	if (argc != 2 || (fd = open(argv[1], O_RDONLY)) < 0) {
		fprintf(stderr, "usage: csv_floor FILE\n");
		return 64;
	}
	if (csv_init(&p, 0) != 0)
		return 70;
	while ((n = read(fd, buf, sizeof buf)) > 0) {
		if (csv_parse(&p, buf, (size_t)n, on_field, on_record, NULL) != (size_t)n) {
			fprintf(stderr, "csv_floor: %s\n", csv_strerror(csv_error(&p)));
			return 65;
		}
	}
	csv_fini(&p, on_field, on_record, NULL);
	csv_free(&p);
	close(fd);
	printf("%zu %zu\n", records, fields);
	return 0;
}
