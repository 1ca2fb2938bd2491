certificates svg-use-nested.yaml -o @OUT@/giay-khen.pdf
