# bench/chart.gp - the AI Index comparison as gnuplot draws it: 8 horizontal
# bars (boxxyerror, gnuplot has no horizontal bar style), coloured by kind,
# values at the bar ends, title and source line, 1200x675 PNG (pngcairo).
#   gnuplot -e "data='datasets/ai-index-2023-co2-comparison.csv'; out='OUT.png'" bench/chart.gp
# The rows are already in descending order of co2_t, so no sort is needed.
set encoding utf8
set terminal pngcairo size 1200,675 enhanced font "Liberation Sans,10"
set output out
set datafile separator comma
set label 2 "{/:Bold CO2 Equivalent Emissions (Tonnes) by Selected Machine Learning Models}" \
	at screen 0.02, screen 0.95 font ",15"
set label 3 "{/:Bold and Real Life Examples, 2022}" at screen 0.02, screen 0.915 font ",15"
set tmargin 6
set label 1 "Source: Luccioni et al., 2022; Strubell et al., 2019 | Chart: gnuplot" \
	at screen 0.02, screen 0.025 font ",8" textcolor rgb "#5f6368"
set bmargin 5
set yrange [7.6:-0.6]
set xrange [0:560]
set ytics scale 0 nomirror
set xtics nomirror out
set grid xtics lc rgb "#e3e3e3"
set border 3 lc rgb "#8c8c8c"
set xlabel "co2\\_t"
set key bottom right reverse Left
set style fill solid noborder
color(kind) = kind eq "Model" ? 0x1f4e79 : 0xe69f00
plot data skip 1 using (0):0:(0):2:($0 - 0.34):($0 + 0.34):(color(strcol(3))):ytic(1) \
	     with boxxyerror lc rgb variable notitle, \
     "" skip 1 using 2:0:(sprintf(" %g", $2)) with labels left font ",9" notitle, \
     keyentry with boxes fc rgb "#1f4e79" title "Model", \
     keyentry with boxes fc rgb "#e69f00" title "Real life"
