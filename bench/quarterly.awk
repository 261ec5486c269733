# quarterly.awk - quarterly x project totals of a CodeCarbon 3.x log, the
# naive way: run as `mawk -F, -f quarterly.awk FILE`.
#
# FAST BUT WRONG IN GENERAL: it splits on every comma (a quoted field holding
# a comma shifts every column after it), takes columns by position ($1
# timestamp, $2 project_name, $6 emissions, $14 energy_consumed: the 3.x
# layout only; other CodeCarbon versions order them differently), and sums
# every row, so runs written as several cumulative snapshot rows are counted
# several times instead of once (the last row of each run_id).
NR > 1 {
	k = substr($1, 1, 4) "-Q" int((substr($1, 6, 2) - 1) / 3) + 1 "," $2
	energy[k] += $14
	co2[k] += $6
}
END {
	print "quarter(timestamp),project_name,energy_kwh,co2_kg"
	for (k in energy)
		printf "%s,%.17g,%.17g\n", k, energy[k], co2[k]
}
