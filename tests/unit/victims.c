/*
 * Unit tests of lib/measure/victims.c: a victim's lost time from its
 * gaps and loads.
 */
#include <math.h>

#include "measure/victims.h"
#include "tap.h"

/*
 * The victims' arithmetic on marks and gaps made up here, 2 cycles per
 * ns: calibration 0..2000 ns (gaps of 100 ns in each half), window
 * 3000..4000 ns (a gap of 300 ns, and one cut to 50 ns by its end).
 */
static void test_victims_loss(void)
{
	static const unsigned long long ns[MARKS] = { 0, 1000, 2000, 3000,
						      4000 };
	static const unsigned long long loads[MARKS] = { 0, 90, 170, 200,
							 250 };
	struct victim_gap gaps[] = {
		{ 200, 400 }, { 2400, 2600 }, { 6200, 6800 }, { 7900, 8100 },
	};
	struct victim v = { .cpu = 3, .gap = gaps, .ngaps = 4 };
	struct victims vs = { .n = 1, .v = &v, .threshold = 2000 };
	struct victim_loss l;

	for (int m = 0; m < MARKS; m++) {
		vs.ns_at[m] = ns[m];
		vs.cycles_at[m] = 2 * ns[m];
		v.loads_at[m] = loads[m];
	}
	victims_loss(&vs, 0, &l);
	is_int(l.cpu, 3, "victim: its CPU");
	is_int(l.loads, 50, "victim: loads in the window");
	is_int(l.cal_loads, 170, "victim: loads in the calibration");
	is_int(l.gaps, 2, "victim: gaps in the window, the cut one too");
	is_int(l.cal_gaps, 2, "victim: gaps in the calibration");
	ok(fabs(l.stolen_ns - 350) < 1e-6, "victim: stolen 300 + 50 ns (%g)",
	   l.stolen_ns);
	ok(fabs(l.cal_stolen_ns - 200) < 1e-6, "victim: calibration stolen "
	   "200 ns (%g)", l.cal_stolen_ns);
	/* 1000 - 200 * 1000 / 2000 - 50 loads at 170 per 1800 ns */
	ok(fabs(l.lost_ns - (900 - 50 * 1800 / 170.0)) < 1e-6,
	   "victim: lost = window - calibration's share of gaps - loads at "
	   "its rate (%g)", l.lost_ns);
	ok(fabs(l.slowdown_ns - (l.lost_ns - 250)) < 1e-6,
	   "victim: slowdown = lost - stolen beyond calibration (%g)",
	   l.slowdown_ns);
	/* second half: 80 loads where the first's rate makes 90 */
	ok(fabs(l.noise_ns - 100) < 1e-6, "victim: noise, the second half "
	   "against the first (%g)", l.noise_ns);
	ok(fabs(victims_window_ns(&vs) - 1000) < 1e-6 &&
	   fabs(victims_cal_ns(&vs) - 2000) < 1e-6,
	   "victim: window and calibration lengths from the cycles");
	v.loads_at[MARK_CAL_END] = 0;
	v.loads_at[MARK_CAL_MID] = 0;
	victims_loss(&vs, 0, &l);
	ok(isnan(l.lost_ns), "victim that never ran in calibration: lost "
	   "unknown, not a number made up");
}

int main(void)
{
	test_victims_loss();
	return tap_done();
}
