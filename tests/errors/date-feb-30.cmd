certificates date-feb-30.yaml -o @OUT@/giay-khen.pdf
