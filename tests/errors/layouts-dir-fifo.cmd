certificates --layouts @IN@/mau -l giay-khen ../cases-src/nfc.yaml -o @OUT@/giay-khen.pdf
