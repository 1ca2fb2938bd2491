certificates @IN@/emblem-fifo.yaml -o @OUT@/giay-khen.pdf
