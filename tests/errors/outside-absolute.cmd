certificates outside-absolute.yaml -o @OUT@/giay-khen.pdf
