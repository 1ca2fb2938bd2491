certificates /dev/zero -o @OUT@/giay-khen.pdf
