certificates --input-format xml ../cases-src/nfc.yaml -o @OUT@/giay-khen.pdf
