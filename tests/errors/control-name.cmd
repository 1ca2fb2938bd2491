certificates control-name.yaml -o @OUT@/giay-khen.pdf
