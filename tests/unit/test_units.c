/* Unit tests: the unit table and conversions (common/units). */
#include "common/units.h"
#include "test.h"

static double factor(const char *a, const char *b)
{
	double f;
	return er_unit_factor(a, b, &f) ? f : NAN;
}

int main(void)
{
	char dim[64];

	CHECK_NUM(factor("MWh", "kWh"), 1000);
	CHECK_NUM(factor("kWh", "MWh"), 0.001);
	CHECK_NUM(factor("GWh", "MWh"), 1000);
	CHECK_NUM(factor("t", "kg"), 1000);
	CHECK_NUM(factor("tonnes", "t"), 1);
	CHECK_NUM(factor("g", "kg"), 0.001);
	CHECK_NUM(factor("lbs", "kg"), 0.45359237);
	CHECK_NUM(factor("tCO2e", "kgCO2eq"), 1000);
	CHECK_NUM(factor("kg/kWh", "gCO2eq/kWh"), 1000);
	CHECK_NUM(factor("gCO2/kWh", "gCO2eq/MWh"), 1000);
	CHECK_NUM(factor("B", "M"), 1000);
	CHECK_NUM(factor("kg", "kg"), 1);
	CHECK(isnan(factor("kWh", "kg")));
	CHECK(isnan(factor("tons", "t"))); /* short tons must not pass for tonnes */
	CHECK(isnan(factor("kg/kWh", "kg")));
	CHECK(isnan(factor("USD", "EUR")));
	CHECK(er_unit_is_known("gCO2eq/kWh"));
	CHECK(!er_unit_is_known("apples"));
	CHECK_STR(er_unit_dimension("gCO2eq/kWh", dim, sizeof dim), "mass/energy");
	/* Unit algebra: products and quotients. */
	CHECK_NUM(factor("MWh*gCO2eq/kWh", "kg"), 1);
	CHECK_NUM(factor("MWh*gCO2eq/kWh", "t"), 0.001);
	CHECK_NUM(factor("W*h", "Wh"), 1);
	CHECK_NUM(factor("kW*h", "kWh"), 1);
	CHECK_NUM(factor("kg/s*h", "kg"), 3600);
	CHECK_NUM(factor("kg/(kWh*h)", "g/(Wh*s)"), 1.0 / 3600);
	CHECK_NUM(factor("USD/kWh*MWh", "USD"), 1000);
	CHECK(isnan(factor("USD/kWh*MWh", "EUR")));
	CHECK(isnan(factor("MWh*gCO2eq/kWh", "kWh")));
	{
		char b[32];
		CHECK(er_unit_simplify("MWh*gCO2eq/kWh", b, sizeof b));
		CHECK_STR(b, "kg");
		CHECK(er_unit_simplify("kW*h", b, sizeof b));
		CHECK_STR(b, "kWh");
		CHECK(!er_unit_simplify("kg/kWh", b, sizeof b));
	}
	CHECK_STR(er_unit_dimension("MWh", dim, sizeof dim), "energy");
	CHECK_STR(er_unit_dimension("kW", dim, sizeof dim), "energy/time");
	CHECK(er_unit_is_symbol("kWh", 3));
	CHECK(er_unit_is_symbol("%", 1));
	CHECK(!er_unit_is_symbol("2023 USD", 8));
	CHECK(!er_unit_is_symbol("from Organization", 17));
	/* Mostly letters, at most one dash: the tail of an identifier is not. */
	CHECK(er_unit_is_symbol("gCO2eq/kWh", 10));
	CHECK(er_unit_is_symbol("kW-h", 4));
	CHECK(er_unit_is_symbol("m2", 2));
	CHECK(!er_unit_is_symbol("c-437b-a0d7-9e029f1132d7", 24));
	CHECK(!er_unit_is_symbol("e29f1132d7", 10));
	return test_done("test_units");
}
