certificates @IN@/a.yaml -o @IN@/giay-khen.pdf
