certificates control-c1.yaml -o @OUT@/giay-khen.pdf
