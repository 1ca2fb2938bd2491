certificates control-raw.yaml -o @OUT@/giay-khen.pdf
