# Figure: TLB flushes sent (tlb_flush reason 4) and shootdowns received
# (reason 1) per GiB of region, one group of bars per config line and one
# bar per kernel, the 95% interval of each median as whiskers.  Two
# panels on one scale, linear or, when the medians span more than 10x,
# logarithmic.  Data: index 0 sent, index 1 received (see
# tlbbench plotdata); ticks: data.'.tics.tsv'.  The victims' figure is
# drawn by this script too: the µs they lost per GiB above, the handler
# time on their CPUs below (ylabel1 and ylabel2 say which); a loss below
# the calibration's is negative, on a linear axis from ymin.

load data.'.gp'
group_px = nseries * 44 + 60
W = 240 + nblocks * (group_px > 12 * 8 ? group_px : 12 * 8)
W = W < 1000 ? 1000 : W
H = 860 + 15 * label_lines
load plots.'/common.gp'

bw = 0.8 / nseries
base = logy ? ymin : 0
# The medians are written above the bars where a bar is wide enough.
values = (W - 240) / nblocks * bw >= 34
clip(v) = logy && v < ymin ? ymin : v
bar(v) = logy && v <= 0 ? NaN : v

set key at screen 0.5, 1 - py(76) center top horizontal reverse Left \
	samplen 2.5 width 2 spacing 1.2 font ',10'
if (logy) {
	set logscale y
	set yrange [ymin:ymax * 2.5]
	set format y '%g'
} else {
	set yrange [(ymin < 0 ? ymin * 1.1 : 0):ymax * 1.1]
}
set xrange [0.45:nblocks + 0.55]
set lmargin at screen px(120)
set rmargin at screen 1 - px(30)

top = 1 - py(header_px + 30)
bottom = py(footer_px + 30 + 15 * label_lines)
mid = (top + bottom) / 2

# The bars, whiskers and zero labels of panel PANEL (index PANEL - 1).
bars = "for [s = 1:nseries] data.'.tsv' index panel - 1 \
		using ($2 == s ? $1 : NaN):(bar($3)):($1 - bw / 2): \
		($1 + bw / 2):(base):(bar($3)) with boxxyerror \
		fs pattern kp(s) border lc '#202020' lc rgb kc(s) \
		title (present[s] ? sname[s] : ''), \
	data.'.tsv' index panel - 1 using ($5 > $4 ? $1 : NaN):(clip($4)): \
		(0):($5 - clip($4)) with vectors arrowstyle 1 notitle, \
	data.'.tsv' index panel - 1 \
		using ($3 == 0 ? $1 : NaN):(logy ? base * 1.1 : 0):(strcol(3)) \
		with labels left offset 0.4, 0.6 font ',9' notitle, \
	data.'.tsv' index panel - 1 \
		using ($3 > 0 && values ? $1 : NaN):($5 > $3 ? $5 : $3): \
		(sprintf($3 < 10 ? '%.2g' : '%.0f', $3)) \
		with labels center offset 0, 0.6 font ',8' notitle"

set multiplot
set xtics scale 0 offset 0, -0.3
set tmargin at screen top
set bmargin at screen mid + py(12)
set ylabel ylabel1 offset -1, 0
panel = 1
set format x ''
set label 5 'not counted in these sets' at graph 0.5, 0.5 center
if (have_sent) { unset label 5 }
plot @bars
@unset_header

unset key
set tmargin at screen mid - py(12)
set bmargin at screen bottom
set ylabel ylabel2 offset -1, 0
panel = 2
set label 5 'not counted in these sets' at graph 0.5, 0.5 center
if (have_recv) { unset label 5 }
plot data.'.tics.tsv' using 1:(NaN):xtic(nl(strcol(2))) notitle, @bars
unset multiplot
