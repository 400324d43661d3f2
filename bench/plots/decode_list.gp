# Draws decode_list.png from decode_list.dat (written by decode_list.sh):
# decoding throughput of a Certificate LIST page against the page size.
here = system("dirname " . ARG0)
set terminal pngcairo size 800,480 font ",10" noenhanced
set output here . "/decode_list.png"
set title "Decoding a Certificate LIST page (median of 5 runs)"
set xlabel "items in the page"
set logscale x
set xrange [50:20000]
set ylabel "thousand items per second"
set y2label "MB per second"
set yrange [0:*]
set y2range [0:*]
set ytics nomirror
set y2tics
set grid ytics
set key bottom left
set style data linespoints
plot here . "/decode_list.dat" using 1:($2/1000) axes x1y1 lw 2 pt 7 title "items/s", \
     "" using 1:3 axes x1y2 lw 2 pt 5 dt 2 title "MB/s"
