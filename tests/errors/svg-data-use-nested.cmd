certificates svg-data-use-nested.yaml -o @OUT@/giay-khen.pdf
