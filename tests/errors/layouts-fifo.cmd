certificates -l @IN@/giay-khen-fifo.yaml ../cases-src/nfc.yaml -o @OUT@/giay-khen.pdf
