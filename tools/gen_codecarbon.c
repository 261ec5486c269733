/*
 * gen-codecarbon: a deterministic generator of SYNTHETIC CodeCarbon logs.
 *
 *   gen-codecarbon [--rows N] [--seed S] [--start YYYY-MM-DD] [--days D]
 *
 * Writes to stdout an `emissions.csv` in CodeCarbon's current 3.x layout
 * (the 38-column header written by CodeCarbon 3.2.1 to 3.3.0): LF line
 * endings, a final newline, no field needs quoting (no value holds a comma,
 * a quote or a newline). Defaults: --rows 600 --seed 1 --start 2024-10-01
 * --days 456, so the timestamps run from 2024-Q4 to 2025-Q4.
 *
 * What the data look like:
 *
 * - Six projects, each on its own machine with a fixed location, grid carbon
 *   intensity, PUE and WUE (see `profiles` below). Some are CPU-only: their
 *   gpu_count and gpu_model are empty and every GPU number is 0.0.
 * - Physics as CodeCarbon computes it: E_part (kWh) = P_part (W) x duration
 *   (s) / 3.6e6 x pue; energy_consumed = cpu + gpu + ram energy; emissions
 *   (kg) = energy_consumed x intensity (g/kWh) / 1000; emissions_rate (kg/s)
 *   = emissions / duration; water_consumed (L) = energy_consumed x wue.
 * - Rows are sorted by timestamp (`%Y-%m-%dT%H:%M:%S`, local time, no zone;
 *   several rows may share a second). Activity varies by season, grows over
 *   the span and is heavier in working hours and on weekdays, so quarterly
 *   totals differ; the project mix shifts over time (chatbot-inference only
 *   starts after about 30% of the span).
 * - CUMULATIVE SNAPSHOT ROWS: about 10% of runs are written as 2 to 4 rows
 *   with the same run_id, as CodeCarbon does when a tracker is flushed
 *   periodically: each row repeats the run's identity and carries the
 *   CUMULATIVE duration, energies and emissions so far; the last row (the
 *   largest duration) is the run's total. Summing these rows over-counts;
 *   an aggregator must keep only the last row per run_id. Rows of other runs
 *   may come between the snapshots of one run. With a large --rows the
 *   final snapshots of a few runs may fall after the last row written; the
 *   last row written for such a run is then its total.
 * - Pandas quirks of real files: cpu_count is sometimes written as `40.0`,
 *   gpu_count as `4.0` for some machines; longitude/latitude are empty for
 *   one cloud machine and for some runs of another.
 *
 * Floats are printed the way Python's repr(float) prints them: the shortest
 * digit string that reads back to the same double, in fixed notation when
 * the decimal exponent is in [-4, 16) and as `d.ddde-XX` otherwise
 * (`5.5e-05`), integral values with a trailing `.0`. (Real pandas-written
 * files sometimes stop at 16 significant digits; any reader must accept
 * both.)
 *
 * Determinism: the same arguments give the same bytes on every platform with
 * IEEE-754 binary64 doubles evaluated in double precision (FLT_EVAL_METHOD
 * 0, i.e. not x87). The program uses its own PRNG (splitmix64), never reads
 * the clock or the environment, never calls setlocale (so the C library runs
 * in the "C" locale), and uses only + - * / on doubles (no libm
 * transcendental functions, whose last bit may differ between libm builds).
 * Fused multiply-add contraction would change results, so it is switched off
 * below (GCC already does not contract with -std=c11).
 *
 * Memory is constant in --rows (a weight table of 24 doubles per day of the
 * span, one line buffer, a 1 MiB stdout buffer). Rows average about 520
 * bytes, close to real CodeCarbon 3.x files (two UUIDs, a timestamp and a
 * dozen full-precision floats per row); 1,000,000 rows make about 520 MB in
 * about 2 s. `--selftest` checks the fast float formatter against the
 * reference one (snprintf %.{15,16,17}g + strtod) and exits 0 or 1.
 *
 * Exit status: 0 ok, 64 bad arguments, 74 write error.
 */
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXIT_USAGE 64
#define EXIT_IOERR 74

#define HEADER                                                                 \
    "timestamp,project_name,run_id,experiment_id,duration,emissions,"         \
    "emissions_rate,cpu_power,gpu_power,ram_power,cpu_energy,gpu_energy,"     \
    "ram_energy,energy_consumed,water_consumed,country_name,"                 \
    "country_iso_code,region,cloud_provider,cloud_region,os,python_version,"  \
    "codecarbon_version,cpu_count,cpu_model,gpu_count,gpu_model,longitude,"   \
    "latitude,ram_total_size,tracking_mode,cpu_utilization_percent,"          \
    "gpu_utilization_percent,ram_utilization_percent,ram_used_gb,on_cloud,"   \
    "pue,wue\n"

/* CodeCarbon's default experiment_id. */
#define EXPERIMENT_ID "5b0fa12a-3dd7-45bb-9766-cc326314d9f1"

/* ------------------------------------------------------------------------ */
/* PRNG: splitmix64 (Steele, Lea, Flood 2014).                               */

typedef struct {
    uint64_t state;
} rng;

static uint64_t rng_next(rng *r)
{
    uint64_t z = (r->state += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

/* Uniform in [0, 1), 53 random bits. */
static double rng_unit(rng *r)
{
    return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

/* Uniform in [lo, hi). */
static double rng_range(rng *r, double lo, double hi)
{
    return lo + (hi - lo) * rng_unit(r);
}

/* Uniform integer in [0, n), n > 0 (modulo bias is irrelevant here). */
static uint32_t rng_below(rng *r, uint32_t n)
{
    return (uint32_t)(rng_next(r) % n);
}

/* ------------------------------------------------------------------------ */
/* Python-repr float formatting.                                             */

/* 128-bit unsigned arithmetic without compiler extensions. */
typedef struct {
    uint64_t hi, lo;
} u128;

static u128 mul64(uint64_t a, uint64_t b)
{
    uint64_t a_lo = a & 0xffffffffu, a_hi = a >> 32;
    uint64_t b_lo = b & 0xffffffffu, b_hi = b >> 32;
    uint64_t p0 = a_lo * b_lo, p1 = a_lo * b_hi;
    uint64_t p2 = a_hi * b_lo, p3 = a_hi * b_hi;
    uint64_t mid = (p0 >> 32) + (p1 & 0xffffffffu) + (p2 & 0xffffffffu);
    u128 r;
    r.lo = (mid << 32) | (p0 & 0xffffffffu);
    r.hi = p3 + (p1 >> 32) + (p2 >> 32) + (mid >> 32);
    return r;
}

static u128 shl128(u128 v, unsigned n) /* n < 128 */
{
    u128 r;
    if (n == 0)
        return v;
    if (n >= 64) {
        r.hi = v.lo << (n - 64);
        r.lo = 0;
    } else {
        r.hi = (v.hi << n) | (v.lo >> (64 - n));
        r.lo = v.lo << n;
    }
    return r;
}

static u128 shr128(u128 v, unsigned n) /* n < 128 */
{
    u128 r;
    if (n == 0)
        return v;
    if (n >= 64) {
        r.lo = v.hi >> (n - 64);
        r.hi = 0;
    } else {
        r.lo = (v.lo >> n) | (v.hi << (64 - n));
        r.hi = v.hi >> n;
    }
    return r;
}

static int cmp128(u128 a, u128 b)
{
    if (a.hi != b.hi)
        return a.hi < b.hi ? -1 : 1;
    if (a.lo != b.lo)
        return a.lo < b.lo ? -1 : 1;
    return 0;
}

static u128 sub128(u128 a, u128 b) /* a >= b */
{
    u128 r;
    r.lo = a.lo - b.lo;
    r.hi = a.hi - b.hi - (a.lo < b.lo);
    return r;
}

static const uint64_t pow10_tab[18] = {
    UINT64_C(1),
    UINT64_C(10),
    UINT64_C(100),
    UINT64_C(1000),
    UINT64_C(10000),
    UINT64_C(100000),
    UINT64_C(1000000),
    UINT64_C(10000000),
    UINT64_C(100000000),
    UINT64_C(1000000000),
    UINT64_C(10000000000),
    UINT64_C(100000000000),
    UINT64_C(1000000000000),
    UINT64_C(10000000000000),
    UINT64_C(100000000000000),
    UINT64_C(1000000000000000),
    UINT64_C(10000000000000000),
    UINT64_C(100000000000000000),
};

#define POW5_MAX 27
static uint64_t pow5_tab[POW5_MAX + 1];

static void pow5_init(void)
{
    uint64_t p = 1;
    for (int i = 0; i <= POW5_MAX; i++) {
        pow5_tab[i] = p;
        p *= 5;
    }
}

static int floor_div(int a, int b) /* b > 0 */
{
    return a >= 0 ? a / b : -((-a + b - 1) / b);
}

/*
 * Shortest round-trip digits of a positive finite double x, exactly as
 * "the first of %.15g, %.16g, %.17g that strtod reads back as x", computed
 * with exact integer arithmetic: x = m * 2^e, and for the k with
 * x * 10^k in [1e16, 1e17) the integer P = m * 5^k and shift s = -(e + k)
 * give x * 10^k = P / 2^s exactly. Correctly rounded 17-, 16- and
 * 15-digit values follow from the quotient and the exact remainder, and a
 * candidate C (in units of 10^-k) reads back as x iff
 * |C - x*10^k| <= half the gap to x's neighbours (strictly less when x's
 * mantissa is odd, as strtod rounds ties to even).
 *
 * Returns the number of digits written to `digits` (no trailing zeros) and
 * the decimal exponent of the first digit in *dexp; 0 when x is outside the
 * range this fast path handles (then use shortest_slow).
 */
static int shortest_fast(double x, char *digits, int *dexp)
{
    uint64_t bits;
    memcpy(&bits, &x, sizeof bits);
    int be = (int)((bits >> 52) & 0x7ff);
    if (be == 0 || be == 0x7ff || (bits >> 63))
        return 0;
    uint64_t m = (bits & ((UINT64_C(1) << 52) - 1)) | (UINT64_C(1) << 52);
    int e = be - 1075;
    /* floor(log10(x)) is est or est + 1 */
    int est = floor_div((be - 1023) * 78913, 1 << 18);
    int k = 16 - est;
    u128 P = {0, 0};
    uint64_t q = 0;
    int s = 0, found = 0;
    for (int tries = 0; tries < 3; tries++) {
        if (k < 0 || k > POW5_MAX)
            return 0;
        s = -(e + k);
        if (s < 1 || s > 66)
            return 0;
        P = mul64(m, pow5_tab[k]);
        u128 qq = shr128(P, (unsigned)s);
        if (qq.hi != 0 || qq.lo >= pow10_tab[17]) {
            k--;
            continue;
        }
        if (qq.lo < pow10_tab[16]) {
            k++;
            continue;
        }
        q = qq.lo;
        found = 1;
        break;
    }
    if (!found)
        return 0;
    /* remainder R = P mod 2^s; compare against half = 2^(s-1) */
    u128 mask = sub128(shl128((u128){0, 1}, (unsigned)s), (u128){0, 1});
    u128 R = {P.hi & mask.hi, P.lo & mask.lo};
    int r_zero = (R.hi == 0 && R.lo == 0);
    int r_vs_half = cmp128(R, shl128((u128){0, 1}, (unsigned)(s - 1)));

    u128 twoP = shl128(P, 1);
    uint64_t half_gap = pow5_tab[k]; /* in units of 2^-(s+1) * 10^-k */
    int m_even = (m & 1) == 0;
    int lower_closer = (m == (UINT64_C(1) << 52)) && be > 1;

    for (int p = 15; p <= 17; p++) {
        uint64_t unit = pow10_tab[17 - p];
        uint64_t d = q / unit;
        uint64_t rest = q % unit;
        uint64_t half = unit / 2;
        int up;
        if (p == 17) {
            up = r_vs_half > 0 || (r_vs_half == 0 && (d & 1));
        } else if (rest != half) {
            up = rest > half;
        } else {
            up = !r_zero || (d & 1);
        }
        d += (uint64_t)up;
        uint64_t c = d * unit; /* <= 1e17 */
        u128 cs = shl128((u128){0, c}, (unsigned)(s + 1));
        int below = cmp128(cs, twoP) < 0;
        u128 diff = below ? sub128(twoP, cs) : sub128(cs, twoP);
        int ok;
        if (below && lower_closer) {
            u128 d2 = shl128(diff, 1);
            ok = cmp128(d2, (u128){0, half_gap}) <= 0;
        } else {
            int c2 = cmp128(diff, (u128){0, half_gap});
            ok = c2 < 0 || (c2 == 0 && m_even);
        }
        if (!ok)
            continue;
        int E = 16 - k;
        if (d == pow10_tab[p]) { /* rounding carried into a new digit */
            d = 1;
            E++;
        }
        char tmp[24];
        int n = 0;
        while (d > 0) {
            tmp[n++] = (char)('0' + d % 10);
            d /= 10;
        }
        int start = 0;
        while (start < n - 1 && tmp[start] == '0')
            start++; /* trailing zeros of the number */
        int len = 0;
        for (int i = n - 1; i >= start; i--)
            digits[len++] = tmp[i];
        *dexp = E;
        return len;
    }
    return 0; /* not reached: the 17-digit candidate always reads back */
}

/* Reference implementation: the same result through the C library. */
static int shortest_slow(double x, char *digits, int *dexp)
{
    char buf[48];
    for (int p = 15; p <= 17; p++) {
        snprintf(buf, sizeof buf, "%.*e", p - 1, x);
        if (p == 17 || strtod(buf, NULL) == x)
            break;
    }
    /* buf is d.ddddde[+-]XX */
    int len = 0;
    const char *c = buf;
    for (; *c && *c != 'e'; c++)
        if (*c >= '0' && *c <= '9')
            digits[len++] = *c;
    while (len > 1 && digits[len - 1] == '0')
        len--;
    *dexp = (int)strtol(c + 1, NULL, 10);
    return len;
}

/* Writes repr(x) at w; returns the new end. Never more than 32 bytes. */
static char *put_double_with(char *w, double x, int fast)
{
    char digits[24];
    int E = 0, n = 0;
    if (x != x) { /* not produced; kept for completeness */
        memcpy(w, "nan", 3);
        return w + 3;
    }
    if (x < 0 || (x == 0 && 1 / x < 0)) {
        *w++ = '-';
        x = -x;
    }
    if (x == 0) {
        memcpy(w, "0.0", 3);
        return w + 3;
    }
    if (x > 1.7976931348623157e308) {
        memcpy(w, "inf", 3);
        return w + 3;
    }
    if (fast)
        n = shortest_fast(x, digits, &E);
    if (n == 0)
        n = shortest_slow(x, digits, &E);
    if (E < -4 || E >= 16) {
        *w++ = digits[0];
        if (n > 1) {
            *w++ = '.';
            memcpy(w, digits + 1, (size_t)(n - 1));
            w += n - 1;
        }
        *w++ = 'e';
        *w++ = E < 0 ? '-' : '+';
        int a = E < 0 ? -E : E;
        if (a >= 100)
            *w++ = (char)('0' + a / 100);
        *w++ = (char)('0' + a / 10 % 10);
        *w++ = (char)('0' + a % 10);
    } else if (E >= 0) {
        if (n <= E + 1) {
            memcpy(w, digits, (size_t)n);
            w += n;
            for (int i = n; i <= E; i++)
                *w++ = '0';
            *w++ = '.';
            *w++ = '0';
        } else {
            memcpy(w, digits, (size_t)(E + 1));
            w += E + 1;
            *w++ = '.';
            memcpy(w, digits + E + 1, (size_t)(n - E - 1));
            w += n - E - 1;
        }
    } else {
        *w++ = '0';
        *w++ = '.';
        for (int i = -1; i > E; i--)
            *w++ = '0';
        memcpy(w, digits, (size_t)n);
        w += n;
    }
    return w;
}

static char *put_double(char *w, double x)
{
    return put_double_with(w, x, 1);
}

static char *put_str(char *w, const char *s)
{
    size_t n = strlen(s);
    memcpy(w, s, n);
    return w + n;
}

static char *put_uint(char *w, uint64_t v)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v > 0);
    while (n > 0)
        *w++ = tmp[--n];
    return w;
}

static char *put_2d(char *w, int v)
{
    *w++ = (char)('0' + v / 10);
    *w++ = (char)('0' + v % 10);
    return w;
}

static int selftest(void)
{
    rng r = {UINT64_C(0x5eed)};
    long bad = 0, fastn = 0, total = 0;
    char a[40], b[40];
    static const double special[] = {
        1.0,     0.1,    0.5,     20.0,    40.0,   1e-4,    1e-5,  5.5e-05,
        1e15,    1e16,   1e17,    123.456, 1e-11,  9.5e-12, 2.5,   0.3,
        1.0 / 3, 2.0 / 3, 1e22,   1e-300,  5e-324, 1.7976931348623157e308,
        4503599627370496.0, 9007199254740991.0, 0.0001, 0.00009999999999999999,
    };
    for (long i = 0; i < 4000000; i++) {
        double x;
        if (i < (long)(sizeof special / sizeof special[0])) {
            x = special[i];
        } else if (i % 3 == 0) {
            /* random bits over the whole finite positive range */
            uint64_t bits = rng_next(&r) & UINT64_C(0x7fffffffffffffff);
            if (((bits >> 52) & 0x7ff) == 0x7ff)
                continue;
            memcpy(&x, &bits, sizeof x);
        } else if (i % 3 == 1) {
            /* random mantissa, exponent in the range the generator uses */
            uint64_t bits = (rng_next(&r) & ((UINT64_C(1) << 52) - 1)) |
                            ((uint64_t)(1023 - 45 + (int)rng_below(&r, 75))
                             << 52);
            memcpy(&x, &bits, sizeof x);
        } else {
            /* short decimals: n / 10^j, and powers of two */
            uint64_t n = rng_next(&r) % 100000000;
            int j = (int)rng_below(&r, 17);
            x = (double)n / (double)pow10_tab[j];
            if (rng_below(&r, 4) == 0) {
                uint64_t bits = (uint64_t)(1023 - 45 + (int)rng_below(&r, 75))
                                << 52;
                memcpy(&x, &bits, sizeof x);
            }
        }
        char *ea = put_double_with(a, x, 1);
        char *eb = put_double_with(b, x, 0);
        *ea = 0;
        *eb = 0;
        int E;
        char dg[24];
        if (x > 0 && shortest_fast(x, dg, &E))
            fastn++;
        total++;
        if (strcmp(a, b) != 0 || strtod(a, NULL) != x) {
            if (bad < 10)
                fprintf(stderr, "mismatch: fast %s slow %s\n", a, b);
            bad++;
        }
    }
    fprintf(stderr, "selftest: %ld values, %ld on the fast path, %ld mismatches\n",
            total, fastn, bad);
    return bad == 0 ? 0 : 1;
}

/* ------------------------------------------------------------------------ */
/* Calendar (proleptic Gregorian, days since 1970-01-01; H. Hinnant).        */

static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

/* ------------------------------------------------------------------------ */
/* Machines and projects.                                                    */

typedef struct {
    const char *name;
    const char *country, *iso, *region, *cloud_provider, *cloud_region;
    const char *os, *python;
    const char *cc_old, *cc_new; /* codecarbon version before/after upgrade */
    double upgrade_at;           /* fraction of the span */
    int cpu_count;
    const char *cpu_model;
    int gpu_count; /* 0: CPU-only */
    const char *gpu_model;
    int has_geo;
    double lon, lat;
    double geo_missing; /* probability that a run has no longitude/latitude */
    double ram_total, ram_power;
    int ram_power_varies; /* process mode: RAM power follows the process */
    const char *tracking_mode;
    int on_cloud;
    double pue, wue, intensity; /* -, L/kWh, gCO2eq/kWh */
    double cpu_w_lo, cpu_w_hi;  /* equal: CodeCarbon's constant TDP fallback */
    double gpu_w_lo, gpu_w_hi;  /* per GPU */
    double dur_lo, dur_hi;      /* seconds */
    double cpu_u_lo, cpu_u_hi, gpu_u_lo, gpu_u_hi, ram_u_lo, ram_u_hi;
    double count_float; /* probability that cpu_count/gpu_count print as N.0 */
    int gpu_count_float; /* gpu_count always N.0 */
    double w_begin, w_end, active_from, night_boost;
} profile;

#define IDF "\xc3\xae" "le-de-france" /* île-de-france, UTF-8 */

/* Grid carbon intensities (gCO2eq/kWh) are round illustrative values of the
 * right order for each grid, not taken from any source: France ~56,
 * Germany ~380, US / Virginia ~350, Canada / Quebec ~30. */
static const profile profiles[] = {
    {.name = "llm-finetune", .country = "France", .iso = "FRA",
     .region = IDF, .cloud_provider = "", .cloud_region = "",
     .os = "Linux-5.15.0-125-generic-x86_64-with-glibc2.35",
     .python = "3.10.12", .cc_old = "3.2.3", .cc_new = "3.2.6",
     .upgrade_at = 0.55, .cpu_count = 128,
     .cpu_model = "AMD EPYC 7763 64-Core Processor", .gpu_count = 8,
     .gpu_model = "8 x NVIDIA A100-SXM4-80GB", .has_geo = 1, .lon = 2.3522,
     .lat = 48.8566, .geo_missing = 0.0, .ram_total = 1007.5,
     .ram_power = 40.0, .ram_power_varies = 0, .tracking_mode = "machine",
     .on_cloud = 0, .pue = 1.2, .wue = 0.0, .intensity = 56.0,
     .cpu_w_lo = 110.0, .cpu_w_hi = 210.0, .gpu_w_lo = 240.0,
     .gpu_w_hi = 390.0, .dur_lo = 3600.0, .dur_hi = 36000.0, .cpu_u_lo = 6.0,
     .cpu_u_hi = 22.0, .gpu_u_lo = 70.0, .gpu_u_hi = 98.0, .ram_u_lo = 18.0,
     .ram_u_hi = 45.0, .count_float = 0.0, .gpu_count_float = 0,
     .w_begin = 2.0, .w_end = 1.5, .active_from = 0.0, .night_boost = 1.0},
    {.name = "vision-train", .country = "Germany", .iso = "DEU",
     .region = "hesse", .cloud_provider = "", .cloud_region = "",
     .os = "Windows-11-10.0.22631-SP0", .python = "3.11.9", .cc_old = "3.2.3",
     .cc_new = "3.2.3", .upgrade_at = 1.0, .cpu_count = 64,
     .cpu_model = "AMD Ryzen Threadripper PRO 5975WX 32-Cores",
     .gpu_count = 4, .gpu_model = "4 x NVIDIA RTX A6000", .has_geo = 1,
     .lon = 8.6821, .lat = 50.1109, .geo_missing = 0.0, .ram_total = 251.5,
     .ram_power = 30.0, .ram_power_varies = 0, .tracking_mode = "machine",
     .on_cloud = 0, .pue = 1.3, .wue = 0.0, .intensity = 380.0,
     .cpu_w_lo = 95.0, .cpu_w_hi = 180.0, .gpu_w_lo = 170.0,
     .gpu_w_hi = 290.0, .dur_lo = 1800.0, .dur_hi = 21600.0,
     .cpu_u_lo = 10.0, .cpu_u_hi = 35.0, .gpu_u_lo = 60.0, .gpu_u_hi = 97.0,
     .ram_u_lo = 25.0, .ram_u_hi = 70.0, .count_float = 0.0,
     .gpu_count_float = 1, .w_begin = 2.0, .w_end = 0.8, .active_from = 0.0,
     .night_boost = 1.0},
    {.name = "recsys-batch", .country = "United States", .iso = "USA",
     .region = "virginia", .cloud_provider = "aws",
     .cloud_region = "us-east-1",
     .os = "Linux-6.8.0-1018-aws-x86_64-with-glibc2.39", .python = "3.12.3",
     .cc_old = "3.2.1", .cc_new = "3.2.5", .upgrade_at = 0.4, .cpu_count = 32,
     .cpu_model = "Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz",
     .gpu_count = 0, .gpu_model = "", .has_geo = 0, .lon = 0.0, .lat = 0.0,
     .geo_missing = 1.0, .ram_total = 124.5, .ram_power = 20.0,
     .ram_power_varies = 0, .tracking_mode = "machine", .on_cloud = 1,
     .pue = 1.15, .wue = 0.0, .intensity = 350.0, .cpu_w_lo = 75.0,
     .cpu_w_hi = 75.0, .gpu_w_lo = 0.0, .gpu_w_hi = 0.0, .dur_lo = 600.0,
     .dur_hi = 7200.0, .cpu_u_lo = 40.0, .cpu_u_hi = 95.0, .gpu_u_lo = 0.0,
     .gpu_u_hi = 0.0, .ram_u_lo = 30.0, .ram_u_hi = 80.0, .count_float = 0.1,
     .gpu_count_float = 0, .w_begin = 3.0, .w_end = 3.5, .active_from = 0.0,
     .night_boost = 1.5},
    {.name = "eval-harness", .country = "Canada", .iso = "CAN",
     .region = "quebec", .cloud_provider = "", .cloud_region = "",
     .os = "Linux-5.15.0-122-generic-x86_64-with-glibc2.35",
     .python = "3.10.12", .cc_old = "3.2.3", .cc_new = "3.2.6",
     .upgrade_at = 0.7, .cpu_count = 64,
     .cpu_model = "Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz", .gpu_count = 2,
     .gpu_model = "2 x NVIDIA L40S", .has_geo = 1, .lon = -73.5878,
     .lat = 45.5088, .geo_missing = 0.0, .ram_total = 503.5,
     .ram_power = 40.0, .ram_power_varies = 0, .tracking_mode = "machine",
     .on_cloud = 0, .pue = 1.1, .wue = 0.0, .intensity = 30.0,
     .cpu_w_lo = 60.0, .cpu_w_hi = 150.0, .gpu_w_lo = 90.0,
     .gpu_w_hi = 330.0, .dur_lo = 300.0, .dur_hi = 5400.0, .cpu_u_lo = 8.0,
     .cpu_u_hi = 40.0, .gpu_u_lo = 30.0, .gpu_u_hi = 92.0, .ram_u_lo = 10.0,
     .ram_u_hi = 35.0, .count_float = 0.0, .gpu_count_float = 0,
     .w_begin = 1.0, .w_end = 2.0, .active_from = 0.0, .night_boost = 1.0},
    {.name = "data-pipeline", .country = "France", .iso = "FRA",
     .region = IDF, .cloud_provider = "", .cloud_region = "",
     .os = "Linux-6.1.0-26-amd64-x86_64-with-glibc2.36", .python = "3.11.2",
     .cc_old = "3.2.3", .cc_new = "3.2.3", .upgrade_at = 1.0, .cpu_count = 40,
     .cpu_model = "Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz", .gpu_count = 0,
     .gpu_model = "", .has_geo = 1, .lon = 2.3522, .lat = 48.8566,
     .geo_missing = 0.15, .ram_total = 376.5, .ram_power = 0.0,
     .ram_power_varies = 1, .tracking_mode = "process", .on_cloud = 0,
     .pue = 1.2, .wue = 0.0, .intensity = 56.0, .cpu_w_lo = 30.0,
     .cpu_w_hi = 110.0, .gpu_w_lo = 0.0, .gpu_w_hi = 0.0, .dur_lo = 120.0,
     .dur_hi = 2700.0, .cpu_u_lo = 20.0, .cpu_u_hi = 85.0, .gpu_u_lo = 0.0,
     .gpu_u_hi = 0.0, .ram_u_lo = 5.0, .ram_u_hi = 25.0, .count_float = 0.12,
     .gpu_count_float = 0, .w_begin = 4.0, .w_end = 4.0, .active_from = 0.0,
     .night_boost = 3.0},
    {.name = "chatbot-inference", .country = "United States", .iso = "USA",
     .region = "virginia", .cloud_provider = "aws",
     .cloud_region = "us-east-1",
     .os = "Linux-6.5.0-1022-aws-x86_64-with-glibc2.35", .python = "3.10.12",
     .cc_old = "3.2.5", .cc_new = "3.2.5", .upgrade_at = 1.0, .cpu_count = 48,
     .cpu_model = "AMD EPYC 7R32", .gpu_count = 4,
     .gpu_model = "4 x NVIDIA A10G", .has_geo = 1, .lon = -77.4875,
     .lat = 39.0437, .geo_missing = 0.0, .ram_total = 184.5,
     .ram_power = 20.0, .ram_power_varies = 0, .tracking_mode = "machine",
     .on_cloud = 1, .pue = 1.15, .wue = 0.18, .intensity = 350.0,
     .cpu_w_lo = 50.0, .cpu_w_hi = 50.0, .gpu_w_lo = 60.0, .gpu_w_hi = 150.0,
     .dur_lo = 3600.0, .dur_hi = 21600.0, .cpu_u_lo = 5.0, .cpu_u_hi = 20.0,
     .gpu_u_lo = 15.0, .gpu_u_hi = 60.0, .ram_u_lo = 40.0, .ram_u_hi = 65.0,
     .count_float = 0.0, .gpu_count_float = 1, .w_begin = 0.0,
     .w_end = 3.0, .active_from = 0.3, .night_boost = 1.0},
};
#define NPROFILES ((int)(sizeof profiles / sizeof profiles[0]))

/* ------------------------------------------------------------------------ */
/* Runs.                                                                     */

typedef struct {
    int prof;
    char run_id[37];
    const char *cc_version;
    int geo_missing, count_float;
    double start;   /* seconds since the span origin, may be fractional */
    int rows_left;  /* snapshot rows still to write */
    int64_t due;    /* next snapshot, whole seconds since the origin */
    int64_t step;   /* seconds between snapshots */
    double cpu_w, gpu_w, ram_w, cpu_u, gpu_u, ram_u;
} run;

/* Multi-row runs waiting for their next snapshot, as a binary min-heap on
 * `due`. With very large --rows (over ~50 million) the heap can fill up;
 * new runs are then written as single rows, so the share of multi-row runs
 * drops a little while memory stays bounded. */
#define MAX_PENDING 8192

typedef struct {
    run *v;
    int n;
} run_heap;

static void heap_swap(run *a, run *b)
{
    run t = *a;
    *a = *b;
    *b = t;
}

static void heap_down(run_heap *h, int i)
{
    for (;;) {
        int l = 2 * i + 1, m = i;
        if (l < h->n && h->v[l].due < h->v[m].due)
            m = l;
        if (l + 1 < h->n && h->v[l + 1].due < h->v[m].due)
            m = l + 1;
        if (m == i)
            return;
        heap_swap(&h->v[i], &h->v[m]);
        i = m;
    }
}

static void heap_push(run_heap *h, const run *rn) /* h->n < MAX_PENDING */
{
    int i = h->n++;
    h->v[i] = *rn;
    while (i > 0 && h->v[(i - 1) / 2].due > h->v[i].due) {
        heap_swap(&h->v[i], &h->v[(i - 1) / 2]);
        i = (i - 1) / 2;
    }
}

static void heap_pop(run_heap *h)
{
    h->v[0] = h->v[--h->n];
    heap_down(h, 0);
}

static void make_uuid(rng *r, char *out)
{
    static const char hex[] = "0123456789abcdef";
    uint64_t a = rng_next(r), b = rng_next(r);
    a = (a & UINT64_C(0xffffffffffff0fff)) | UINT64_C(0x4000); /* version 4 */
    b = (b & UINT64_C(0x3fffffffffffffff)) | UINT64_C(0x8000000000000000);
    int n = 0;
    for (int i = 0; i < 32; i++) {
        uint64_t w = i < 16 ? a : b;
        int nib = (int)((w >> (60 - 4 * (i % 16))) & 0xf);
        if (i == 8 || i == 12 || i == 16 || i == 20)
            out[n++] = '-';
        out[n++] = hex[nib];
    }
    out[n] = 0;
}

static double duration_sample(rng *r, const profile *p)
{
    double u = rng_unit(r);
    return p->dur_lo + (p->dur_hi - p->dur_lo) * u * u; /* long tail */
}

/* Writes one CSV row for run `rn` at timestamp `ts` (seconds since epoch)
 * with cumulative duration `dur`; returns the end of the row. */
static char *format_row(char *w, const run *rn, int64_t ts, double dur, rng *r)
{
    const profile *p = &profiles[rn->prof];
    /* running averages drift a little between snapshots */
    double jit = 1.0 + rng_range(r, -0.004, 0.004);
    double cpu_w = rn->cpu_w * (p->cpu_w_lo == p->cpu_w_hi ? 1.0 : jit);
    double gpu_w = rn->gpu_w * jit;
    double ram_w = rn->ram_w * (p->ram_power_varies ? jit : 1.0);
    double cpu_u = rn->cpu_u * jit;
    double gpu_u = rn->gpu_u * jit;
    double ram_u = rn->ram_u * jit;
    double cpu_e = cpu_w * dur / 3600000.0 * p->pue;
    double gpu_e = gpu_w * dur / 3600000.0 * p->pue;
    double ram_e = ram_w * dur / 3600000.0 * p->pue;
    double energy = cpu_e + gpu_e + ram_e;
    double emissions = energy * p->intensity / 1000.0;
    double rate = emissions / dur;
    double water = energy * p->wue;
    double ram_used = p->ram_total * ram_u / 100.0;

    int64_t days = ts >= 0 ? ts / 86400 : -((-ts + 86399) / 86400);
    int sec = (int)(ts - days * 86400);
    int64_t y;
    int mo, d;
    civil_from_days(days, &y, &mo, &d);
    w = put_uint(w, (uint64_t)y);
    *w++ = '-';
    w = put_2d(w, mo);
    *w++ = '-';
    w = put_2d(w, d);
    *w++ = 'T';
    w = put_2d(w, sec / 3600);
    *w++ = ':';
    w = put_2d(w, sec / 60 % 60);
    *w++ = ':';
    w = put_2d(w, sec % 60);
    *w++ = ',';
    w = put_str(w, p->name);
    *w++ = ',';
    w = put_str(w, rn->run_id);
    *w++ = ',';
    w = put_str(w, EXPERIMENT_ID ",");
    w = put_double(w, dur);
    *w++ = ',';
    w = put_double(w, emissions);
    *w++ = ',';
    w = put_double(w, rate);
    *w++ = ',';
    w = put_double(w, cpu_w);
    *w++ = ',';
    w = put_double(w, gpu_w);
    *w++ = ',';
    w = put_double(w, ram_w);
    *w++ = ',';
    w = put_double(w, cpu_e);
    *w++ = ',';
    w = put_double(w, gpu_e);
    *w++ = ',';
    w = put_double(w, ram_e);
    *w++ = ',';
    w = put_double(w, energy);
    *w++ = ',';
    w = put_double(w, water);
    *w++ = ',';
    w = put_str(w, p->country);
    *w++ = ',';
    w = put_str(w, p->iso);
    *w++ = ',';
    w = put_str(w, p->region);
    *w++ = ',';
    w = put_str(w, p->cloud_provider);
    *w++ = ',';
    w = put_str(w, p->cloud_region);
    *w++ = ',';
    w = put_str(w, p->os);
    *w++ = ',';
    w = put_str(w, p->python);
    *w++ = ',';
    w = put_str(w, rn->cc_version);
    *w++ = ',';
    w = put_uint(w, (uint64_t)p->cpu_count);
    if (rn->count_float)
        w = put_str(w, ".0");
    *w++ = ',';
    w = put_str(w, p->cpu_model);
    *w++ = ',';
    if (p->gpu_count > 0) {
        w = put_uint(w, (uint64_t)p->gpu_count);
        if (rn->count_float || p->gpu_count_float)
            w = put_str(w, ".0");
    }
    *w++ = ',';
    w = put_str(w, p->gpu_model);
    *w++ = ',';
    if (p->has_geo && !rn->geo_missing) {
        w = put_double(w, p->lon);
        *w++ = ',';
        w = put_double(w, p->lat);
    } else {
        *w++ = ',';
    }
    *w++ = ',';
    w = put_double(w, p->ram_total);
    *w++ = ',';
    w = put_str(w, p->tracking_mode);
    *w++ = ',';
    w = put_double(w, cpu_u);
    *w++ = ',';
    w = put_double(w, gpu_u);
    *w++ = ',';
    w = put_double(w, ram_u);
    *w++ = ',';
    w = put_double(w, ram_used);
    *w++ = ',';
    *w++ = p->on_cloud ? 'Y' : 'N';
    *w++ = ',';
    w = put_double(w, p->pue);
    *w++ = ',';
    w = put_double(w, p->wue);
    *w++ = '\n';
    return w;
}

/* ------------------------------------------------------------------------ */
/* Activity over time: a weight per hour of the span; rows are placed at the
 * quantiles (j + u) / N of the cumulative weight, which keeps them sorted.  */

static const double month_weight[12] = {
    /* Jan .. Dec */
    0.9, 1.0, 1.15, 1.0, 0.95, 0.85, 0.55, 0.45, 1.0, 1.2, 1.3, 0.75,
};
static const double hour_weight[24] = {
    0.35, 0.3, 0.3, 0.3, 0.3, 0.35, 0.45, 0.7, 1.0, 1.3, 1.4, 1.4,
    1.2,  1.3, 1.4, 1.4, 1.3, 1.1,  0.9,  0.8, 0.7, 0.6, 0.5, 0.4,
};

typedef struct {
    int64_t origin;   /* seconds since epoch of the start date, 00:00:00 */
    int64_t nbins;    /* hours */
    double *cum;      /* nbins + 1 cumulative weights */
    int64_t cursor;   /* bin of the previous quantile */
    int64_t days;
} timeline;

static int timeline_init(timeline *t, int64_t start_day, int64_t days)
{
    t->origin = start_day * 86400;
    t->days = days;
    t->nbins = days * 24;
    t->cursor = 0;
    t->cum = malloc((size_t)(t->nbins + 1) * sizeof *t->cum);
    if (!t->cum)
        return -1;
    t->cum[0] = 0.0;
    for (int64_t dd = 0; dd < days; dd++) {
        int64_t y;
        int mo, d;
        civil_from_days(start_day + dd, &y, &mo, &d);
        /* 1970-01-01 was a Thursday: (day + 4) % 7 == 0 is Sunday */
        int64_t wd = ((start_day + dd) % 7 + 7 + 4) % 7;
        double day_w = month_weight[mo - 1] * (wd == 0 || wd == 6 ? 0.55 : 1.0) *
                       (1.0 + 0.8 * (double)dd / (double)days);
        for (int h = 0; h < 24; h++) {
            int64_t b = dd * 24 + h;
            t->cum[b + 1] = t->cum[b] + day_w * hour_weight[h];
        }
    }
    return 0;
}

/* q in [0, 1): seconds since the origin (with fraction) and the bin. */
static double timeline_at(timeline *t, double q, int64_t *bin)
{
    double x = q * t->cum[t->nbins];
    while (t->cursor < t->nbins - 1 && t->cum[t->cursor + 1] <= x)
        t->cursor++;
    int64_t b = t->cursor;
    double f = (x - t->cum[b]) / (t->cum[b + 1] - t->cum[b]);
    if (f < 0.0)
        f = 0.0;
    if (f > 0.999999)
        f = 0.999999;
    *bin = b;
    return (double)b * 3600.0 + f * 3600.0;
}

static int choose_profile(rng *r, double frac, int hour)
{
    double w[NPROFILES], total = 0.0;
    int night = hour < 6;
    for (int i = 0; i < NPROFILES; i++) {
        const profile *p = &profiles[i];
        double v = 0.0;
        if (frac >= p->active_from)
            v = p->w_begin + (p->w_end - p->w_begin) * frac;
        if (night)
            v *= p->night_boost;
        w[i] = v;
        total += v;
    }
    double x = rng_unit(r) * total;
    for (int i = 0; i < NPROFILES; i++) {
        if (x < w[i])
            return i;
        x -= w[i];
    }
    return NPROFILES - 1;
}

static void start_run(rng *r, run *rn, int prof, double frac)
{
    const profile *p = &profiles[prof];
    rn->prof = prof;
    make_uuid(r, rn->run_id);
    rn->cc_version = frac < p->upgrade_at ? p->cc_old : p->cc_new;
    rn->geo_missing = rng_unit(r) < p->geo_missing;
    rn->count_float = rng_unit(r) < p->count_float;
    rn->cpu_w = p->cpu_w_lo == p->cpu_w_hi ? p->cpu_w_lo
                                           : rng_range(r, p->cpu_w_lo, p->cpu_w_hi);
    rn->gpu_w = p->gpu_count > 0
                    ? (double)p->gpu_count * rng_range(r, p->gpu_w_lo, p->gpu_w_hi)
                    : 0.0;
    rn->ram_w = p->ram_power_varies ? rng_range(r, 2.0, 12.0) : p->ram_power;
    rn->cpu_u = rng_range(r, p->cpu_u_lo, p->cpu_u_hi);
    rn->gpu_u = p->gpu_count > 0 ? rng_range(r, p->gpu_u_lo, p->gpu_u_hi) : 0.0;
    rn->ram_u = rng_range(r, p->ram_u_lo, p->ram_u_hi);
}

/* ------------------------------------------------------------------------ */
/* Command line.                                                             */

static const char usage_text[] =
    "usage: gen-codecarbon [--rows N] [--seed S] [--start YYYY-MM-DD] "
    "[--days D]\n"
    "Writes a synthetic CodeCarbon 3.x emissions.csv to stdout.\n"
    "  --rows N    data rows (default 600; 0 writes only the header)\n"
    "  --seed S    PRNG seed, 0 to 2^64-1 (default 1)\n"
    "  --start D   first day of the span (default 2024-10-01)\n"
    "  --days D    length of the span in days, 1 to 36600 (default 456)\n"
    "  --selftest  check the float formatter and exit\n";

static int usage_error(const char *msg, const char *arg)
{
    if (arg)
        fprintf(stderr, "gen-codecarbon: %s: '%s'\n", msg, arg);
    else
        fprintf(stderr, "gen-codecarbon: %s\n", msg);
    fputs(usage_text, stderr);
    return EXIT_USAGE;
}

static int parse_u64(const char *s, uint64_t max, uint64_t *out)
{
    uint64_t v = 0;
    if (!*s)
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        unsigned dgt = (unsigned)(*s - '0');
        if (v > (max - dgt) / 10)
            return -1;
        v = v * 10 + dgt;
    }
    *out = v;
    return 0;
}

static int parse_date(const char *s, int64_t *day)
{
    uint64_t y, m, d;
    char buf[16];
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return -1;
    memcpy(buf, s, 11);
    buf[4] = buf[7] = 0;
    if (parse_u64(buf, 9999, &y) || parse_u64(buf + 5, 12, &m) ||
        parse_u64(buf + 8, 31, &d) || y < 1000 || m < 1 || d < 1)
        return -1;
    static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if ((int)d > mdays[m - 1] || (m == 2 && d == 29 && !leap))
        return -1;
    *day = days_from_civil((int64_t)y, (int)m, (int)d);
    return 0;
}

int main(int argc, char **argv)
{
    uint64_t nrows = 600, seed = 1, ndays = 456;
    int64_t start_day = days_from_civil(2024, 10, 1);

    pow5_init();
    for (int i = 1; i < argc; i++) {
        const char *opt = argv[i], *val = NULL;
        char name[16];
        const char *eq = strchr(opt, '=');
        if (strcmp(opt, "--help") == 0 || strcmp(opt, "-h") == 0) {
            fputs(usage_text, stdout);
            return 0;
        }
        if (strcmp(opt, "--selftest") == 0)
            return selftest();
        if (strncmp(opt, "--", 2) != 0)
            return usage_error("unexpected argument", opt);
        if (eq) {
            size_t n = (size_t)(eq - opt);
            if (n >= sizeof name)
                return usage_error("unknown option", opt);
            memcpy(name, opt, n);
            name[n] = 0;
            val = eq + 1;
        } else {
            size_t n = strlen(opt);
            if (n >= sizeof name)
                return usage_error("unknown option", opt);
            memcpy(name, opt, n + 1);
        }
        if (strcmp(name, "--rows") && strcmp(name, "--seed") &&
            strcmp(name, "--start") && strcmp(name, "--days"))
            return usage_error("unknown option", opt);
        if (!val) {
            if (i + 1 >= argc)
                return usage_error("option needs a value", opt);
            val = argv[++i];
        }
        if (strcmp(name, "--rows") == 0) {
            if (parse_u64(val, UINT64_C(1000000000000), &nrows))
                return usage_error("--rows needs an integer 0 to 10^12", val);
        } else if (strcmp(name, "--seed") == 0) {
            if (parse_u64(val, UINT64_MAX, &seed))
                return usage_error("--seed needs an integer 0 to 2^64-1", val);
        } else if (strcmp(name, "--start") == 0) {
            if (parse_date(val, &start_day))
                return usage_error("--start needs a date YYYY-MM-DD", val);
        } else {
            if (parse_u64(val, 36600, &ndays) || ndays < 1)
                return usage_error("--days needs an integer 1 to 36600", val);
        }
    }

    static char outbuf[1 << 20];
    setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);

    timeline tl;
    if (timeline_init(&tl, start_day, (int64_t)ndays) != 0) {
        fputs("gen-codecarbon: out of memory\n", stderr);
        return 70;
    }
    rng r = {seed};
    run_heap pending = {malloc(MAX_PENDING * sizeof(run)), 0};
    if (!pending.v) {
        free(tl.cum);
        fputs("gen-codecarbon: out of memory\n", stderr);
        return 70;
    }
    char line[2048];
    int64_t last_ts = 0;

    fputs(HEADER, stdout);
    for (uint64_t j = 0; j < nrows; j++) {
        double u = rng_unit(&r);
        double q = ((double)j + u) / (double)nrows;
        int64_t bin;
        double t_new = timeline_at(&tl, q, &bin);
        int64_t ts_new = (int64_t)t_new; /* t_new >= 0 */
        char *w = line;

        if (pending.n > 0 && pending.v[0].due <= ts_new) {
            /* next cumulative snapshot of a multi-row run */
            run *rn = &pending.v[0];
            int64_t ts = rn->due < last_ts ? last_ts : rn->due;
            double dur = (double)ts + rng_unit(&r) - rn->start;
            w = format_row(w, rn, tl.origin + ts, dur, &r);
            last_ts = ts;
            if (--rn->rows_left == 0) {
                heap_pop(&pending);
            } else {
                rn->due = ts + rn->step + (int64_t)rng_below(&r, 600);
                heap_down(&pending, 0);
            }
        } else {
            double frac = t_new / ((double)tl.nbins * 3600.0);
            int prof = choose_profile(&r, frac, (int)(bin % 24));
            run rn;
            memset(&rn, 0, sizeof rn);
            start_run(&r, &rn, prof, frac);
            int64_t ts = ts_new < last_ts ? last_ts : ts_new;
            double dur;
            if (rng_unit(&r) < 0.10 && pending.n < MAX_PENDING) {
                int k = 2 + (int)rng_below(&r, 3);
                double total = duration_sample(&r, &profiles[prof]) * 1.5;
                rn.step = (int64_t)(total / k);
                if (rn.step < 60)
                    rn.step = 60;
                dur = (double)rn.step * rng_range(&r, 0.8, 1.2);
                rn.start = (double)ts + rng_unit(&r) - dur;
                rn.rows_left = k - 1;
                rn.due = ts + rn.step + (int64_t)rng_below(&r, 600);
                heap_push(&pending, &rn);
            } else {
                dur = duration_sample(&r, &profiles[prof]);
            }
            w = format_row(w, &rn, tl.origin + ts, dur, &r);
            last_ts = ts;
        }
        fwrite(line, 1, (size_t)(w - line), stdout);
    }
    free(pending.v);
    free(tl.cum);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fputs("gen-codecarbon: write error on stdout\n", stderr);
        return EXIT_IOERR;
    }
    return 0;
}
