#!/usr/bin/env bash
# Draws grurt-bench-compare's --chart-data file as an SVG chart: ns per step
# against the layer's weight footprint, log scales, one line per library, GRU
# and LSTM side by side. Needs gnuplot (Debian: gnuplot-nox), for the chart only.
#   grurt-bench-compare --chart-data compare.tsv && bench/draw_chart.sh compare.tsv compare.svg
set -euo pipefail
if [ $# -ne 2 ]; then
  echo "usage: bench/draw_chart.sh DATA.tsv OUT.svg  (DATA from grurt-bench-compare --chart-data)" >&2
  exit 2
fi
data=$1 out=$2
[ -r "$data" ] || { echo "draw_chart.sh: $data: cannot be read" >&2; exit 1; }
command -v gnuplot >/dev/null || { echo "draw_chart.sh: gnuplot not found (Debian: apt-get install gnuplot-nox)" >&2; exit 1; }
title=${GRURT_CHART_TITLE:-"one step, batch 1, one core"}

gnuplot <<GNUPLOT
set terminal svg size 1100,460 dynamic font "sans,12" background "white"
set output "$out"
set datafile separator "\t"
set logscale xy
set grid
set key bottom right font ",10"
set xlabel "weights (KB, float32)"
set ylabel "ns per step"
set format y "%g"
# A library not measured in that run has 0 in its column: not drawn.
m(x) = x > 0 ? x : 1/0
set multiplot layout 1,2 title "grurt-bench-compare: $title"
do for [k in "gru lstm"] {
  set title (k eq "gru" ? "GRU" : "LSTM")
  plot "$data" using (strcol(1) eq k ? \$4 : 1/0):(m(\$5)) with lines dashtype 2 lc rgb "#888888" lw 2 title "bound", \
       "" using (strcol(1) eq k ? \$4 : 1/0):(m(\$6)) with linespoints lc rgb "#1b9e77" lw 2 pt 7 title "grurt step()", \
       "" using (strcol(1) eq k ? \$4 : 1/0):(m(\$7)) with linespoints lc rgb "#66a61e" lw 2 pt 5 title "grurt run(), per step", \
       "" using (strcol(1) eq k ? \$4 : 1/0):(m(\$8)) with linespoints lc rgb "#a6d854" lw 2 pt 9 title "grurt 16 streams, per stream", \
       "" using (strcol(1) eq k ? \$4 : 1/0):(m(\$9)) with linespoints lc rgb "#d95f02" lw 2 pt 11 title "RTNeural (best variant)", \
       "" using (strcol(1) eq k ? \$4 : 1/0):(m(\$10)) with linespoints lc rgb "#7570b3" lw 2 pt 13 title "LibTorch", \
       "" using (strcol(1) eq k ? \$4 : 1/0):(m(\$11)) with linespoints lc rgb "#e7298a" lw 2 pt 3 title "oneDNN"
}
unset multiplot
GNUPLOT
echo "draw_chart.sh: wrote $out"
