certificates --paper $'A4\e[31m' ../cases-src/nfc.yaml -o @OUT@/giay-khen.pdf
