certificates svg-use-cycle.yaml -o @OUT@/giay-khen.pdf
