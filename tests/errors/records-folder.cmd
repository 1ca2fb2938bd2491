certificates ../cases-src -o @OUT@/giay-khen.pdf
