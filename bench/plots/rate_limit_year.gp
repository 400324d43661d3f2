# A simulated year of one Let's Encrypt account (bench/plots/rate_limit_year.sh).
# Top: orders a day, those the account's new-order limit counts (at most
# 2,400 a day plus a full bucket) and the renewals it exempts. Bottom: the
# longest the line of waiting issuances was each day, and the fewest
# new-order tokens left.
# Run from bench/plots: gnuplot rate_limit_year.gp
set terminal pngcairo size 1000,620 font ",10"
set output "rate_limit_year.png"
set multiplot layout 2,1 title "50,000 certificates, one account, Let's Encrypt's limits, one simulated year"
set grid ytics
set key top right
set xrange [0:365]
set ylabel "orders a day"
plot "rate_limit_year.dat" using 1:2 with steps lw 2 lc rgb "#c04040" title "counted by new-orders-per-account", \
     "" using 1:3 with steps lw 1 lc rgb "#4060c0" title "renewals (ARI or same names), exempt", \
     2400 with lines dt 2 lc rgb "#808080" title "300 per 3 h"
set ylabel "waiting issuances"
set y2label "new-order tokens left (fewest)"
set y2tics
set xlabel "day"
plot "rate_limit_year.dat" using 1:4 with steps lw 2 lc rgb "#208020" title "longest line of the day", \
     "" using 1:5 axes x1y2 with steps lw 1 lc rgb "#a0a0a0" title "fewest tokens left"
unset multiplot
