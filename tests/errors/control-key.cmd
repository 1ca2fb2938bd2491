certificates control-key.yaml -o @OUT@/giay-khen.pdf
