# Figure: time per operation of each config line, one bar per kernel,
# the 95% interval of each median as whiskers; a log scale when the
# medians span more than 10x.  The unit (ns, µs, ms) is in ylabel1.
# Data: index 0 (see tlbbench plotdata); ticks: data.'.tics.tsv'.

load data.'.gp'
group_px = nseries * 44 + 60
W = 240 + nblocks * (group_px > 12 * 8 ? group_px : 12 * 8)
W = W < 1000 ? 1000 : W
H = 560 + 15 * label_lines
load plots.'/common.gp'

bw = 0.8 / nseries
base = logy ? ymin : 0
clip(v) = logy && v < ymin ? ymin : v

set key at screen 0.5, 1 - py(76) center top horizontal reverse Left \
	samplen 2.5 width 2 spacing 1.2 font ',10'
if (logy) {
	set logscale y
	set yrange [ymin:ymax * 2.5]
} else {
	set yrange [0:ymax * 1.1]
}
set xrange [0.45:nblocks + 0.55]
set lmargin at screen px(120)
set rmargin at screen 1 - px(30)
set tmargin at screen 1 - py(header_px + 30)
set bmargin at screen py(footer_px + 30 + 15 * label_lines)
set ylabel ylabel1 offset -1, 0
set xtics scale 0 offset 0, -0.3

plot data.'.tics.tsv' using 1:(NaN):xtic(nl(strcol(2))) notitle, \
	for [s = 1:nseries] data.'.tsv' index 0 \
		using ($2 == s ? $1 : NaN):3:($1 - bw / 2):($1 + bw / 2): \
		(base):3 with boxxyerror \
		fs pattern kp(s) border lc '#202020' lc rgb kc(s) \
		title (present[s] ? sname[s] : ""), \
	data.'.tsv' index 0 using ($5 > $4 ? $1 : NaN):(clip($4)): \
		(0):($5 - clip($4)) with vectors arrowstyle 1 notitle
