# kube-sim throughput per run against cert-manager's default write budget.
# Run from bench/plots: gnuplot kube_sim.gp
set terminal pngcairo size 760,420 font ",10"
set output "kube_sim.png"
set title "kube-sim: 10,000 creates and 20 watchers (six runs)"
set style data histograms
set style histogram cluster gap 1
set style fill solid 0.8 border -1
set logscale y
set yrange [10:500000]
set ylabel "per second (log scale)"
set xlabel "run"
set grid ytics
set key top right
plot "kube_sim.dat" using 2:xtic(1) title "creates/s", \
     "" using 3 title "watch events delivered/s", \
     20 with lines dashtype 2 lc rgb "red" title "--kube-api-qps 20 (cert-manager default)"
