certificates --layouts /nonexistent ../cases-src/nfc.yaml -o @OUT@/giay-khen.pdf
