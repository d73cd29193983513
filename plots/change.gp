# Figure: % change of the median from the base, one horizontal bar per
# config line and new kernel, with the 95% bootstrap interval of the
# change as whiskers; one panel per metric (flushes sent, shootdowns
# received, time).  Filled bars (solid, the kernel's colour) are
# significant changes, hollow ones are not.  A panel whose changes pass 10x in either direction is drawn on a
# log scale of new/base, labelled in %.
# Data: rows (panel, y, series, change, ci_lo, ci_hi, base, significant,
# label); ticks: data.'.tics.tsv' index 0 the lines, index 1..3 the x
# ticks of each log panel.

load data.'.gp'
# The line labels, then three panels of 340 pixels.
W = 20 + 7 * label_chars + 3 * 340 + 2 * 48 + 20
W = W < 1300 ? 1300 : W
H = 250 + nblocks * (26 * nslots + 14)
H = H < 480 ? 480 : H
load plots.'/common.gp'

bh = 0.8 / nslots
left = px(20 + 7 * label_chars)
gap = px(48)
pw = (1 - px(20) - left - 2 * gap) / 3

set key at screen 0.5, 1 - py(76) center top vertical reverse Left \
	samplen 2 spacing 1.2 font ',10'
set yrange [0.5:nblocks + 0.5]
set tmargin at screen 1 - py(header_px + 18 * nseries + 24)
set bmargin at screen py(footer_px + 84)
set grid noytics xtics
set border 1 lc '#404040'
set ytics scale 0 nomirror
set xtics nomirror out font ',9'

# Bars of series S in panel P, filled (sig 1) or hollow (sig 0).
inpanel(p, s, sig) = ($1 == p && $3 == s && $8 == sig)
side(p, right) = ($1 == p && ((right && $4 >= $7) || (!right && $4 < $7)))

# Panel P: its place, scale and axis label.
setup = "unset logscale x; \
	set lmargin at screen left + (p - 1) * (pw + gap); \
	set rmargin at screen left + (p - 1) * (pw + gap) + pw; \
	set xrange [xmin[p]:xmax[p]]; \
	set xtics nomirror out font ',9' autofreq; \
	set arrow 1 from first (logx[p] ? 1 : 0), graph 0 \
		to first (logx[p] ? 1 : 0), graph 1 nohead lc '#404040'; \
	set xlabel ptitle[p].(logx[p] ? \
		'\n(%, log scale of new/base)' : '\n(%)')"
# Ticks: the lines on the first panel; a log panel's own % marks.
ylines = "data.'.tics.tsv' index 0 using (NaN):1:ytic(flat(strcol(2))) notitle,"
xlog = "data.'.tics.tsv' index p using 1:(NaN):xtic(strcol(2)) notitle,"
bars = "for [s = 2:nseries] data.'.tsv' \
		using (inpanel(p, s, 1) ? $4 : NaN):2:7:4:($2 - bh / 2): \
		($2 + bh / 2) with boxxyerror fs solid 0.85 \
		border lc '#202020' lc rgb kc(s) title (present[s] ? sname[s] : ''), \
	for [s = 1:nseries] data.'.tsv' \
		using (inpanel(p, s, 0) ? $4 : NaN):2:7:4:($2 - bh / 2): \
		($2 + bh / 2) with boxxyerror fs empty border lc rgb kc(s) \
		lc rgb kc(s) lw 2 notitle, \
	data.'.tsv' using ($1 == p && $6 > $5 ? $5 : NaN):2:($6 - $5):(0) \
		with vectors arrowstyle 2 notitle, \
	data.'.tsv' using (side(p, 1) ? ($6 > $4 ? $6 : $4) : NaN):2: \
		(strcol(9)) with labels left offset 0.6, 0 font ',9' notitle, \
	data.'.tsv' using (side(p, 0) ? ($5 < $4 ? $5 : $4) : NaN):2: \
		(strcol(9)) with labels right offset -0.6, 0 font ',9' notitle, \
	keyentry with boxes fs empty border lc '#202020' lc '#202020' lw 2 \
		title 'hollow: not significant'"

set multiplot
p = 1
@setup
if (nocmp[p]) { set label 7 'not compared' at graph 0.5, 0.5 center font ',12' tc '#404040' } else { unset label 7 }
if (logx[p]) { set logscale x; xt = xlog } else { xt = '' }
plot @ylines @xt @bars
@unset_header
unset key
set ytics format ''

p = 2
@setup
if (nocmp[p]) { set label 7 'not compared' at graph 0.5, 0.5 center font ',12' tc '#404040' } else { unset label 7 }
if (logx[p]) { set logscale x; xt = xlog } else { xt = '' }
plot @xt @bars

p = 3
@setup
if (nocmp[p]) { set label 7 'not compared' at graph 0.5, 0.5 center font ',12' tc '#404040' } else { unset label 7 }
if (logx[p]) { set logscale x; xt = xlog } else { xt = '' }
plot @xt @bars
unset multiplot
