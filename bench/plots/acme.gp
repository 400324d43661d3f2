# bench_acme: certmill and lego issuing the same names over HTTP-01 from
# Pebble (behind acme-front). Run from bench/plots: gnuplot acme.gp
set terminal pngcairo size 900,480 font ",10"
set output "acme.png"
set title "1,000 ECDSA certificates over HTTP-01 from Pebble: certmill controller vs lego (2 cores)"
set style data histograms
set style histogram cluster gap 1
set style fill solid 0.8 border -1
set logscale y
set yrange [0.1:1000]
set ylabel "log scale"
set grid ytics
set key below
plot "acme.dat" using 2:xtic(1) title "certmill (one controller process)", \
     "" using 3 title "lego (16 runs at once; CPU summed over 1,000 runs; RSS of one run)", \
     "" using ($0-0.18):($2*1.25):(sprintf("%g",$2)) with labels notitle, \
     "" using ($0+0.18):($3*1.25):(sprintf("%g",$3)) with labels notitle
