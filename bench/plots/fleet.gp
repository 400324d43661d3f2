# The fleet benchmark's median runs: certificates per second, the controller's
# peak RSS while issuing and after a restart, and its CPU seconds, against
# cert-manager 1.14's reference figures.
# Run from bench/plots: gnuplot fleet.gp
set terminal pngcairo size 960,420 font ",10"
set output "fleet.png"
set title "certmill controller: N ECDSA Certificates from a CA issuer to Ready (kube-sim, 2 cores)"
set style data histograms
set style histogram cluster gap 1
set style fill solid 0.8 border -1
set logscale y
set yrange [0.5:2000]
set ylabel "log scale"
set xlabel "Certificates"
set grid ytics
set key outside right top
plot "fleet.dat" using 3:xtic(1) title "certificates/s", \
     "" using 4 title "peak RSS (MiB), scraped every 5 s", \
     "" using 6 title "restart peak RSS (MiB)", \
     "" using 5 title "CPU seconds", \
     200 with lines dashtype 2 lc rgb "dark-green" title "target: 200/s", \
     40 with lines dashtype 2 lc rgb "red" title "target: 40 MiB at 10,000", \
     1.2 with lines dashtype 3 lc rgb "black" title "cert-manager 1.14: about 1.2/s"
