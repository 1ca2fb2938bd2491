certificates --input-format json ../cases-src/nfc.yaml -o @OUT@/giay-khen.pdf
