# Figure: what the walking victims lost in a window against the
# shootdowns they received in it, a point per repetition of every config
# line, one colour and point shape per kernel; each kernel's median loss
# per shootdown drawn as a line through the origin.  Data: one index per
# series: shootdowns, µs lost, block (see tlbbench plotdata).

load data.'.gp'
W = 1000
H = 700
load plots.'/common.gp'

set key at screen 0.5, 1 - py(76) center top horizontal reverse Left \
	samplen 2.5 width 2 spacing 1.2 font ',10'
set xrange [0:xmax * 1.08]
set yrange [(ymin < 0 ? ymin * 1.1 : 0):ymax * 1.1]
set lmargin at screen px(120)
set rmargin at screen 1 - px(30)
set tmargin at screen 1 - py(header_px + 30)
set bmargin at screen py(footer_px + 70)
set xlabel xlabel
set ylabel ylabel1 offset -1, 0
set grid xtics ytics lc '#d0d0d0' dt 1
kpt(s) = kpoint[(s - 1) % 8 + 1]
kdt(s) = kdash[(s - 1) % 8 + 1]

plot for [s = 1:nseries] data.'.tsv' index s - 1 using 1:2 \
		with points pt kpt(s) ps 1.1 lc rgb kc(s) title sname[s], \
	for [s = 1:nseries] (slope[s] == slope[s] ? slope[s] * x : NaN) \
		with lines dt kdt(s) lw 1.5 lc rgb kc(s) \
		title (slope[s] == slope[s] ? \
		       sprintf('%.3g µs per shootdown', slope[s]) : '')
