certificates year-zero.yaml -o @OUT@/giay-khen.pdf
