certificates svg-pattern-nested.yaml -o @OUT@/giay-khen.pdf
