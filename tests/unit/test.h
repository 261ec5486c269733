/* test.h - a tiny unit-test harness: checks print what they got and expected. */
#ifndef ER_TEST_H
#define ER_TEST_H

#include <math.h>
#include <stdio.h>
#include <string.h>

static int test_failures, test_checks;

#define CHECK(cond)                                                                    \
	do {                                                                               \
		test_checks++;                                                                 \
		if (!(cond)) {                                                                 \
			test_failures++;                                                           \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);   \
		}                                                                              \
	} while (0)

#define CHECK_INT(got, want)                                                           \
	do {                                                                               \
		long long g_ = (long long)(got), w_ = (long long)(want);                       \
		test_checks++;                                                                 \
		if (g_ != w_) {                                                                \
			test_failures++;                                                           \
			fprintf(stderr, "%s:%d: %s: got %lld, want %lld\n", __FILE__, __LINE__,    \
			        #got, g_, w_);                                                     \
		}                                                                              \
	} while (0)

#define CHECK_STR(got, want)                                                           \
	do {                                                                               \
		const char *g_ = (got), *w_ = (want);                                          \
		test_checks++;                                                                 \
		if ((g_ == NULL) != (w_ == NULL) || (g_ && strcmp(g_, w_) != 0)) {             \
			test_failures++;                                                           \
			fprintf(stderr, "%s:%d: %s: got \"%s\", want \"%s\"\n", __FILE__, __LINE__, \
			        #got, g_ ? g_ : "(null)", w_ ? w_ : "(null)");                     \
		}                                                                              \
	} while (0)

#define CHECK_NUM(got, want)                                                           \
	do {                                                                               \
		double g_ = (got), w_ = (want);                                                \
		test_checks++;                                                                 \
		if (!(g_ == w_ || (isnan(g_) && isnan(w_)))) {                                 \
			test_failures++;                                                           \
			fprintf(stderr, "%s:%d: %s: got %.17g, want %.17g\n", __FILE__, __LINE__,  \
			        #got, g_, w_);                                                     \
		}                                                                              \
	} while (0)

/* Prints the closing line ctest logs and returns the exit status. */
static int test_done(const char *name)
{
	printf("%s: %d passed, %d failed\n", name, test_checks - test_failures, test_failures);
	return test_failures ? 1 : 0;
}

#endif
