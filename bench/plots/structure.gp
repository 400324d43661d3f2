# Certificates per second before and after issue #18's structure work
# (115aafc against 82283c7), three alternating runs each (bench/RESULTS.md).
# Run from bench/plots: gnuplot structure.gp
set terminal pngcairo size 860,360 font ",10"
set output "structure.png"
set multiplot layout 1,2 title "before (115aafc) and after (82283c7) the structure work, alternating runs"
set style data histograms
set style histogram cluster gap 1
set style fill solid 0.8 border -1
set grid ytics
set key top left opaque
set xlabel "run"
set title "10,000 CA Certificates to Ready"
set ylabel "certificates/s"
set yrange [0:300]
plot "structure.dat" using 2:xtic(1) title "before", "" using 3 title "after"
set title "1,000 ACME HTTP-01 Certificates (Pebble)"
set yrange [0:50]
plot "structure.dat" using 4:xtic(1) title "before", "" using 5 title "after"
unset multiplot
