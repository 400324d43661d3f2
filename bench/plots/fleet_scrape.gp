# Peak RSS at 10,000 Certificates while /metrics is scraped, before and after
# the streamed exposition (bench/RESULTS.md, the fleet's current figures).
# Run from bench/plots: gnuplot fleet_scrape.gp
set terminal pngcairo size 760,380 font ",10"
set output "fleet_scrape.png"
set title "certmill controller, 10,000 Certificates, /metrics scraped every 5 s"
set style data histograms
set style histogram cluster gap 1
set style fill solid 0.8 border -1
set yrange [0:90]
set ylabel "peak RSS (MiB)"
set grid ytics
set key top right
plot "fleet_scrape.dat" using 2:xtic(1) title "while issuing", \
     "" using 3 title "restarted over the fleet", \
     40 with lines dashtype 2 lc rgb "red" title "target: 40 MiB"
