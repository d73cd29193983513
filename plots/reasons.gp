# Figure: tlb_flush events per GiB of region by reason (tlb:tlb_flush
# reason 0..5), stacked, one bar per kernel in each config line's group,
# on a linear axis (on a log one the bottom segment would look ten times
# the others).  Above a bar: its kernel's letter (the legend under the
# title) and the flushes it sent (reason 4): the stack is no count of
# flushes, a flush being an event at its sender and at each receiver.
# Data: index 0 the segments (x, reason, bottom, top),
# index 1 the bar tops with their labels; ticks: data.'.tics.tsv'.

load data.'.gp'
group_px = nseries * 44 + 60
W = 240 + nblocks * (group_px > 12 * 8 ? group_px : 12 * 8)
W = W < 1000 ? 1000 : W
H = 620 + 15 * label_lines + 18 * nseries
load plots.'/common.gp'

# Reasons: their own colours and fills, not the kernels'; in grey the
# two solid ones are dark and light, the others hatched four ways.
array rcolour[6] = ['#000000', '#0072B2', '#56B4E9', '#009E73', \
		    '#E69F00', '#D55E00']
array rpattern[6] = [7, 3, 5, 4, 3, 1]
bw = 0.8 / nseries

# The kernels: one line each under the note.
do for [s = 1:nseries] {
	set label 10 + s sname[s] at screen 0.5, 1 - py(80 + 16 * (s - 1)) \
		center font ',10'
}
top = 1 - py(header_px + 16 * nseries + 44)

set key at screen 0.5, top + py(30) center top horizontal reverse Left \
	samplen 2 width 1 spacing 1.1 font ',9' maxrows 1
set yrange [0:*]
set offsets 0, 0, graph 0.14, 0
set xrange [0.45:nblocks + 0.55]
set lmargin at screen px(120)
set rmargin at screen 1 - px(30)
set tmargin at screen top
set bmargin at screen py(footer_px + 30 + 15 * label_lines)
set ylabel ylabel1 offset -1, 0
set xtics scale 0 offset 0, -0.3

plot data.'.tics.tsv' using 1:(NaN):xtic(nl(strcol(2))) notitle, \
	for [r = 1:nreasons] data.'.tsv' index 0 \
		using ($2 == r ? $1 : NaN):4:($1 - bw / 2):($1 + bw / 2): \
		($3):4 \
		with boxxyerror fs pattern rpattern[r] border lc '#202020' \
		lc rgb rcolour[r] title rname[r], \
	data.'.tsv' index 1 using 1:2:(nl(strcol(3))) with labels \
		offset 0, 1.3 font ',9' notitle
