# Heap bytes per cached object: the full API struct against the compact view.
# Run from bench/plots: gnuplot informer_cache.gp
set terminal pngcairo size 720,420 font ",10"
set output "informer_cache.png"
set title "Informer cache: heap bytes per object (10,000 of each)"
set style data histograms
set style histogram cluster gap 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set ylabel "bytes per object"
set yrange [0:*]
set grid ytics
set key top left
plot "informer_cache.dat" using 2:xtic(1) title "full API struct", \
     "" using 3 title "compact view", \
     1024 with lines dashtype 2 lc rgb "red" title "target: 1 KiB per Certificate"
