certificates ../cases-src/nfc.yaml -o @OUT@/giay-khen.pdf --manifest @OUT@/out/../giay-khen.pdf
