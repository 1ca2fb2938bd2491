certificates @IN@/ho-so.yaml -o @OUT@/giay-khen.pdf
