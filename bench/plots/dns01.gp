# DNS-01 against BIND and Pebble on loopback (bench/plots/dns01.sh). Left:
# one wildcard + apex certificate, certmill and lego. Right: 10,000
# propagation checks at once on one resolver, by c-ares window.
# Run from bench/plots: gnuplot dns01.gp
set terminal pngcairo size 1000,420 font ",10"
set output "dns01.png"
set multiplot layout 1,2 title "DNS-01 through BIND (RFC 2136, TSIG) and Pebble, 2 cores"
set style data histograms
set style histogram cluster gap 1
set style fill solid 0.8 border -1
set title "one wildcard + apex certificate, seconds to issued"
set logscale y
set yrange [0.5:200]
set grid ytics
set key below
plot "<head -1 dns01.dat" using 2:xtic(1) title "certmill controller", \
     "" using 3 title "lego rfc2136", \
     "" using ($0-0.18):($2*1.3):(sprintf("%.1f s",$2)) with labels notitle, \
     "" using ($0+0.18):($3*1.3):(sprintf("%.1f s",$3)) with labels notitle
unset logscale y
set title "10,000 propagation checks at once: checks/s (median of 3)"
set yrange [0:*]
set xlabel "questions on the wire per c-ares channel"
plot "<tail -n +2 dns01.dat" using 2:xtic(1) title "checks/s" lc rgb "#4060c0", \
     "" using ($0):($2*1.05):(sprintf("%.0f",$2)) with labels notitle
unset multiplot
