certificates khong-co.yaml -o @OUT@/giay-khen.pdf
