certificates @IN@/recipients-csv-fifo.yaml -o @OUT@/giay-khen.pdf
