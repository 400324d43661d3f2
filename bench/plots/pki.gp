# Key generation and CA signing times (log scale): certmill against openssl.
# Run from bench/plots: gnuplot pki.gp
set terminal pngcairo size 900,460 font ",10"
set output "pki.png"
set title "PKI: microseconds per operation, one core (log scale)"
set style data histograms
set style histogram cluster gap 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set logscale y
set yrange [1:5e6]
set ylabel "microseconds"
set xtics rotate by -30
set grid ytics
set key top right
plot "pki.dat" using ($2 > 0 ? $2 : 1/0):xtic(1) title "certmill", \
     "" using ($3 > 0 ? $3 : 1/0) title "openssl (genpkey, or the signature alone)"
