# Figure: one swept config line (--threads 1,2,4 or --size 64M,256M,1G):
# flushes sent and shootdowns received per GiB and time per operation
# against the swept value, one line per kernel with the 95% interval of
# each median as error bars; sizes on a log axis, and a metric too where
# it spans more than 10x.
# Data: index 0 sent, 1 received, 2 time (x, series, median, ci_lo,
# ci_hi); ticks: data.'.tics.tsv' (the swept values as written).

load data.'.gp'
W = 1400
H = 560
load plots.'/common.gp'

left = px(90)
gap = px(90)
pw = (1 - px(20) - left - 2 * gap) / 3
clip(v) = logy[p] && v <= 0 ? NaN : v

set key at screen 0.5, 1 - py(76) center top horizontal reverse Left \
	samplen 3 width 2 spacing 1.2 font ',10'
set tmargin at screen 1 - py(header_px + 40)
set bmargin at screen py(footer_px + 60)
set xlabel xlabel
set autoscale fix
set offsets graph 0.12, graph 0.12, graph 0.12, graph 0.06
if (logx) {
	set logscale x
}
# Panel P's y axis.
yaxis = "if (logy[p]) { set logscale y; set yrange [*:*] } \
	else { unset logscale y; set yrange [0:*] }"
set xtics scale 1, 0 nomirror out

lines = "for [s = 1:nseries] data.'.tsv' index p - 1 \
	using ($2 == s ? $1 : NaN):(clip($3)):(clip($4)):(clip($5)) \
	with yerrorlines lc rgb kc(s) dt kdash[(s - 1) % 8 + 1] \
	pt kpoint[(s - 1) % 8 + 1] ps 1.3 lw 2 title (present[s] ? sname[s] : '')"
xt = "data.'.tics.tsv' using 1:(NaN):xtic(strcol(2)) notitle,"

set multiplot
p = 1
set label 5 'not counted in these sets' at graph 0.5, 0.5 center
if (have[p]) { unset label 5 }
set lmargin at screen left
set rmargin at screen left + pw
set ylabel ylabel[p]
@yaxis
plot @xt @lines
@unset_header
unset key

p = 2
set label 5 'not counted in these sets' at graph 0.5, 0.5 center
if (have[p]) { unset label 5 }
set lmargin at screen left + pw + gap
set rmargin at screen left + 2 * pw + gap
set ylabel ylabel[p]
@yaxis
plot @xt @lines

p = 3
set label 5 'not counted in these sets' at graph 0.5, 0.5 center
if (have[p]) { unset label 5 }
set lmargin at screen left + 2 * (pw + gap)
set rmargin at screen left + 3 * pw + 2 * gap
set ylabel ylabel[p]
@yaxis
plot @xt @lines
unset multiplot
