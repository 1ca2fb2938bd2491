bulletin ../../samples/ban-tin --month 0000-11 -o @OUT@/ban-tin.pdf
