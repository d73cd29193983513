# Shared by the figure scripts of plot-bench: terminal, colours and fills,
# label helpers, and the header (title, subtitle, note) and footer.
#
# plot-bench sets: data (the figure's data files without extension), out
# (the figure file), fmt (png or svg), plots (this directory).  A figure
# script loads data.'.gp' (its variables, written by tlbbench plotdata),
# sets W and H (the canvas in pixels) and then loads this file.

set encoding utf8
if (fmt eq 'svg') {
	set terminal svg size W, H font 'DejaVu Sans,12' noenhanced \
		background '#ffffff'
} else {
	set terminal pngcairo size W, H font 'DejaVu Sans,10' noenhanced \
		background '#ffffff'
}
set output out
set datafile separator "\t"

# One colour and fill per series (kernel), Okabe-Ito: distinct for
# colour-blind readers; solid against hatches tells them apart in grey.
array kcolour[8] = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', \
		    '#D55E00', '#56B4E9', '#000000', '#F0E442']
array kpattern[8] = [3, 4, 5, 1, 6, 7, 2, 4]
array kdash[8] = [1, 2, 4, 5, 3, 1, 2, 4]
array kpoint[8] = [7, 5, 9, 11, 13, 15, 6, 4]
kc(s) = kcolour[(s - 1) % 8 + 1]
kp(s) = kpattern[(s - 1) % 8 + 1]

# Fractions of the canvas from pixels.
py(n) = n / real(H)
px(n) = n / real(W)

# Labels come with "|" between their lines.
nl(s) = (_i = strstrt(s, "|"), _i ? s[1:_i - 1]."\n".nl(s[_i + 1:]) : s)
flat(s) = (_i = strstrt(s, "|"), _i ? s[1:_i - 1]." ".flat(s[_i + 1:]) : s)

header_px = 96		# title, subtitle, note
footer_px = 10 + 14 * footer_lines

set label 1 title at screen 0.5, 1 - py(20) center font ',15'
set label 2 subtitle at screen 0.5, 1 - py(44) center font ',11'
set label 3 note at screen 0.5, 1 - py(64) center font ',9' tc '#404040'
set label 4 footer at screen px(8), py(footer_px - 8) left font ',9' \
	tc '#404040'

# After the first panel of a multiplot: draw the header only once.
unset_header = 'unset label 1; unset label 2; unset label 3; unset label 4'

set border 3 lc '#404040'
set tics nomirror out
set grid ytics lc '#d0d0d0' dt 1
set style fill solid 1.0 border lc '#202020'
# Whiskers: vectors from the interval's low to its high end, capped.
set style arrow 1 heads size screen 0.004, 90 lc '#202020' lw 1.2
set style arrow 2 heads size screen 0.006, 90 lc '#202020' lw 1.2
